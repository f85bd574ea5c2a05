// One sweep job: the whole-model co-search of `@snipsnap/explorer` with the job's inputs. Runs in
// a worker thread (job-worker.ts) or in this thread; a throwing search becomes a failed outcome
// carrying its error, so one bad job never stops a sweep.
import { toSnipSnapError } from '@snipsnap/core'
import { createExplorer, type Explorer } from '@snipsnap/explorer'
import { performance } from 'node:perf_hooks'
import type { JobOutcome } from '../records'
import type { JobInputs } from '../spec'

let explorer: Explorer | null = null

/** Runs one job (the explorer is built once per thread). Never throws: errors become outcomes. */
export const runJob = async (inputs: JobInputs): Promise<JobOutcome> => {
  const start = performance.now()
  try {
    explorer ??= createExplorer()
    const result = await explorer.exploreModel({
      model: inputs.model,
      phase: inputs.phase,
      sparsity: inputs.sparsity,
      arch: inputs.arch,
      objective: inputs.objective,
      dataflowEvaluations: inputs.evaluations,
      seed: inputs.seed,
      ...(inputs.hardware === null ? {} : { hardware: inputs.hardware }),
      ...(inputs.formatSpace === null ? {} : { formatSpace: inputs.formatSpace }),
      ...(inputs.seqLen === undefined ? {} : { seqLen: inputs.seqLen }),
      ...(inputs.batch === undefined ? {} : { batch: inputs.batch }),
    })
    if (result.layers.length > 0 && result.failedLayers === result.layers.length) {
      const reason = result.layers[0]?.reason ?? 'no valid design'
      return { status: 'failed', error: { code: 'NO_VALID_DESIGN', message: `no layer has a valid design: ${reason}` }, elapsedMs: performance.now() - start }
    }
    return { status: 'ok', result, elapsedMs: performance.now() - start }
  } catch (error) {
    const e = toSnipSnapError(error)
    return { status: 'failed', error: { code: e.code, message: e.message, ...(e.path.length === 0 ? {} : { path: [...e.path] }) }, elapsedMs: performance.now() - start }
  }
}
