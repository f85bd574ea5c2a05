// Benchmarks of @snipsnap/format (run by `pnpm bench`; not timed tests): encode+decode throughput of
// a 4096×4096 tensor at 50% unstructured density in CSR, bitmap and a three-level pattern, and the
// analytic size model's evaluations per second on that shape against the 1,000,000/s target.
import { createRng } from '@snipsnap/core'
import {
  bindFormat,
  createFormatRegistry,
  createSizeEstimator,
  createUniformDensity,
  decodeTensor,
  encodeTensor,
} from '@snipsnap/format'

const SHAPE = [4096, 4096]
const TARGET_EVALUATIONS_PER_SECOND = 1_000_000
const registry = createFormatRegistry()
const now = (): number => performance.now()
/** Process CPU time in ms: on a shared, overloaded machine it is closer to one core's cost than wall time. */
const cpuNow = (): number => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

const size = SHAPE.reduce((a, b) => a * b, 1)
const rng = createRng(42)
const data = new Float32Array(size)
for (let i = 0; i < size; i++) if (rng.next() < 0.5) data[i] = rng.next() + 0.5
const megabytes = (size * 4) / 1e6

const formats = [
  { name: 'CSR', pattern: 'UOP(M)-CP(K)' },
  { name: 'bitmap', pattern: 'B(M,K)' },
  { name: 'three-level', pattern: 'UOP(M)-B(K:64)-CP(K:64)' },
]

console.log(`@snipsnap/format benchmarks, tensor ${SHAPE.join('×')} float32 (${megabytes.toFixed(1)} MB dense), density 0.5`)
for (const { name, pattern } of formats) {
  const format = bindFormat({ pattern, shape: SHAPE, registry })
  const runs = 3
  let encodeMs = Number.POSITIVE_INFINITY
  let decodeMs = Number.POSITIVE_INFINITY
  let encodeCpuMs = Number.POSITIVE_INFINITY
  let decodeCpuMs = Number.POSITIVE_INFINITY
  let bits = 0
  for (let run = 0; run < runs; run++) {
    const c0 = cpuNow()
    const t0 = now()
    const result = encodeTensor({ format, tensor: { shape: SHAPE, data } })
    const t1 = now()
    const c1 = cpuNow()
    if (!result.ok) throw new Error(result.reason)
    const decoded = decodeTensor({ format, encoded: result.encoded })
    const t2 = now()
    const c2 = cpuNow()
    if (run === 0) {
      for (let i = 0; i < size; i++) if (decoded.data[i] !== data[i]) throw new Error(`${name}: round trip differs at ${i}`)
    }
    encodeMs = Math.min(encodeMs, t1 - t0)
    decodeMs = Math.min(decodeMs, t2 - t1)
    encodeCpuMs = Math.min(encodeCpuMs, c1 - c0)
    decodeCpuMs = Math.min(decodeCpuMs, c2 - c1)
    bits = result.encoded.sizes.totalBits
  }
  const rate = (ms: number): string => (megabytes / (ms / 1000)).toFixed(1).padStart(6)
  console.log(
    `  ${name.padEnd(12)} ${pattern.padEnd(26)} encode ${rate(encodeMs)} MB/s  decode ${rate(decodeMs)} MB/s  ` +
      `encode+decode ${rate(encodeMs + decodeMs)} MB/s wall, ${rate(encodeCpuMs + decodeCpuMs)} MB/s per CPU-second  ` +
      `(${(bits / 8 / 1e6).toFixed(2)} MB encoded, best of ${runs})`,
  )
}

// Analytic evaluations: one fresh density per call (as a search sweeping densities would do it).
const densities = Array.from({ length: 1024 }, (_, i) => createUniformDensity({ density: (i + 0.5) / 1024 }))
for (const { name, pattern } of formats) {
  const estimator = createSizeEstimator(bindFormat({ pattern, shape: SHAPE, registry }))
  let sink = 0
  for (let i = 0; i < 200_000; i++) sink += estimator.totalBits(densities[i & 1023] as (typeof densities)[number]) // warm-up
  const evaluations = 2_000_000
  const c0 = cpuNow()
  const t0 = now()
  for (let i = 0; i < evaluations; i++) sink += estimator.totalBits(densities[i & 1023] as (typeof densities)[number])
  const seconds = (now() - t0) / 1000
  const cpuSeconds = (cpuNow() - c0) / 1000
  const rate = evaluations / seconds
  const cpuRate = evaluations / cpuSeconds
  console.log(
    `  analytic ${name.padEnd(12)} ${(rate / 1e6).toFixed(2)} M evaluations/s wall = ${(rate / TARGET_EVALUATIONS_PER_SECOND).toFixed(2)}× the 1,000,000/s target; ` +
      `${(cpuRate / 1e6).toFixed(2)} M per CPU-second = ${(cpuRate / TARGET_EVALUATIONS_PER_SECOND).toFixed(2)}×` +
      (sink === -1 ? '' : ''),
  )
}
