// Worker-thread entry used only when the package runs from its TypeScript sources (tests, tsx):
// Node 20 does not pass a parent's loader to worker threads, so this registers tsx's hooks in the
// thread before importing the TypeScript task module. Built packages use dist/job-worker.js.
import { register } from 'node:module'

register('tsx/esm', { parentURL: import.meta.url, data: { active: true } })
const task = await import('./job-worker.ts')
export default task.default
