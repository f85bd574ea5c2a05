// The Web Worker: every computation of the page runs here, so the page never freezes. It exposes
// the engine through comlink; errors come back as `{ ok: false, message }` values, never as
// stack traces. Cancelling a search terminates this worker (see client.ts), which is immediate
// whatever the search is doing.
import { expose } from 'comlink'
import { toSnipSnapError } from '@snipsnap/core'
import { createEngine, encodeTile, type ChosenDesign, type FormatRequest, type SearchProgressEvent } from './engine'
import { readDroppedSpec } from './spec'
import type { Study } from './study'

const engine = createEngine()

const attempt = <T>(run: () => T): { ok: true; value: T } | { ok: false; message: string } => {
  try {
    return { ok: true, value: run() }
  } catch (error) {
    return { ok: false, message: toSnipSnapError(error).message }
  }
}

const api = {
  catalog: () => engine.catalog(),
  outline: (study: Study) => attempt(() => engine.outline(study)),
  searchLayer: async (study: Study, index: number, onProgress: (event: SearchProgressEvent) => void) => {
    try {
      return { ok: true as const, value: await engine.searchLayer(study, index, { now: () => performance.now(), onProgress }) }
    } catch (error) {
      return { ok: false as const, message: toSnipSnapError(error).message }
    }
  },
  encodeTile: (pattern: string, dims: readonly string[], tile: { readonly shape: readonly number[]; readonly values: readonly number[] }) => encodeTile(pattern, dims, tile),
  readDroppedSpec: (files: readonly { fileName: string; text: string }[], current: Study) => readDroppedSpec(files, current),
  evaluateFormat: (study: Study, request: FormatRequest, chosen: ChosenDesign | null) => engine.evaluateFormat(study, request, chosen),
}

export type WorkerApi = typeof api

expose(api)
