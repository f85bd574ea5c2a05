// `--plugin <module>` (repeatable) and `--cost-model <id>`, declared on every command that runs a
// cost model; ../plugins.ts loads them (only when the command runs).
import type { Command } from 'commander'

/** The options every command with plug-ins takes. */
export interface PluginCliOptions {
  readonly plugin?: readonly string[]
  readonly costModel?: string
}

/** Accumulates a repeatable option's values. */
export const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, value]
export const PLUGIN_FLAG = '--plugin <module>'
export const PLUGIN_HELP = 'load a plug-in (package folder or ES module file exporting definePlugin(...)); repeatable'
export const COST_MODEL_FLAG = '--cost-model <id>'
export const COST_MODEL_HELP = 'cost model id (default sparseloop; plug-ins may add more)'

/** Declares `--plugin <module>` (repeatable) and `--cost-model <id>` on a command. */
export const withPluginOptions = (command: Command): Command =>
  command
    .option(PLUGIN_FLAG, PLUGIN_HELP, collect)
    .option(COST_MODEL_FLAG, COST_MODEL_HELP)
