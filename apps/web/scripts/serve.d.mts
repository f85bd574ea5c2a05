/** Starts a static server for `dir` on 127.0.0.1; resolves to its base URL and a close function. */
export declare const serveStatic: (options: { readonly dir: string; readonly port?: number; readonly host?: string }) => Promise<{ url: string; close: () => Promise<void> }>
