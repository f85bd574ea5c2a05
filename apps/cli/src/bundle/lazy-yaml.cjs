// Stand-in for `yaml` in the CommonJS build (tsup.config.ts): the Timeloop reader reads usual
// design files with its own fast reader and calls `yaml` only for what that reader leaves
// (anchors, block scalars, …), so `evaluate` loads the library (dist/yaml.js) on first use
// instead of parsing its ~100 kB at every start (~1 MiB of peak memory, issue 12).
'use strict'
let real
const load = () => (real ??= require('./yaml.js'))
module.exports = {
  parseDocument: (...args) => load().parseDocument(...args),
  stringify: (...args) => load().stringify(...args),
}
