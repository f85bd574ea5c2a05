// Stand-in for `node:child_process` inside commander (bundled by tsup.config.ts): commander
// loads it at start-up only to spawn executable sub-commands, which snipsnap has none of. Loading
// the real module on first use saves every command ~15 ms of start-up (issue 12).
'use strict'
let real
const load = () => (real ??= require('node:child_process'))
module.exports = {
  spawn: (...args) => load().spawn(...args),
}
