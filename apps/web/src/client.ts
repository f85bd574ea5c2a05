// The page's handle on the workers: one for searches (terminated and replaced on cancel, so
// cancelling takes effect at once) and one for the format editor (stays responsive while a
// search runs).
import { proxy, wrap, type Remote } from 'comlink'
import type { WorkerApi } from './worker'

const spawn = (): { worker: Worker; api: Remote<WorkerApi> } => {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })
  return { worker, api: wrap<WorkerApi>(worker) }
}

export interface Client {
  readonly search: () => Remote<WorkerApi>
  readonly editor: Remote<WorkerApi>
  /** Stops the running search now: the search worker is terminated and a fresh one started. */
  cancelSearch(): void
}

export const createClient = (): Client => {
  let search = spawn()
  const editor = spawn()
  return {
    search: () => search.api,
    editor: editor.api,
    cancelSearch: () => {
      search.worker.terminate()
      search = spawn()
    },
  }
}

export { proxy }
