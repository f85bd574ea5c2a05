// Module customization hooks for src/module-graph.test.ts: every module the process resolves is
// appended, one URL a line, to the file named by SNIPSNAP_MODULE_LOG. Registered with
// `--import ./module-log-register.mjs` after tsx, so it sees the final URLs.
import { appendFileSync } from 'node:fs'

const log = process.env.SNIPSNAP_MODULE_LOG

export const resolve = async (specifier, context, next) => {
  const result = await next(specifier, context)
  if (log !== undefined) appendFileSync(log, `${result.url}\n`)
  return result
}
