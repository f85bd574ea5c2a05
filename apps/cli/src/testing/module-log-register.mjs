// `node --import ./module-log-register.mjs …`: installs ./module-log-hooks.mjs (see there).
import { register } from 'node:module'

register('./module-log-hooks.mjs', import.meta.url)
