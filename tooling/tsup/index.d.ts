import type { Options } from 'tsup'

/** Options for a platform-neutral, ESM-only library package. */
export declare const library: (entry: string[]) => Options
/** Options for a Node program (the CLI, worker entry points). */
export declare const nodeProgram: (entry: string[]) => Options
