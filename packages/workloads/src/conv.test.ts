// CNN layers as native convolutions (Timeloop's CNN-Layer problem) and, with `lowering: 'im2col'`,
// as GEMMs: shapes against the architectures' published tables, MACs equal under both lowerings,
// grouped/depthwise layers, activation roles, and the problem's tensors.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { isSnipSnapError } from '@snipsnap/core'
import {
  applySparsity,
  buildWorkload,
  convToProblem,
  gemmMacs,
  layerShapeText,
  layerToProblem,
  workloadMacs,
  type ConvShape,
  type GemmLayer,
} from '@snipsnap/workloads'

const CNNS = ['resnet-50', 'vgg-16', 'alexnet', 'mobilenet-v2'] as const
const byName = (layers: readonly GemmLayer[], name: string): GemmLayer => {
  const layer = layers.find((l) => l.name === name)
  if (layer === undefined) throw new Error(`no layer ${name}`)
  return layer
}

describe('native convolutions (default lowering)', () => {
  it('ResNet-50 layer4.0.conv2 is a strided 3×3 conv, not the 49×4608×512 GEMM', () => {
    const workload = buildWorkload({ model: 'resnet-50', phase: 'prefill' })
    expect(workload.lowering).toBe('native')
    const layer = byName(workload.layers, 'layer4.0.conv2')
    expect(layer.conv).toEqual({ N: 1, C: 512, M: 512, R: 3, S: 3, P: 7, Q: 7, Hstride: 2, Wstride: 2, Hdilation: 1, Wdilation: 1, G: 1 })
    expect(layerShapeText(layer)).toBe('N1 C512 M512 R3 S3 P7 Q7 s2')
    const im2col = byName(buildWorkload({ model: 'resnet-50', phase: 'prefill', lowering: 'im2col' }).layers, 'layer4.0.conv2')
    expect(im2col.conv).toBeUndefined()
    expect(layerShapeText(im2col)).toBe('49×4608×512')
  })

  it.each(CNNS)('%s: the same MACs under both lowerings; FC layers stay GEMMs', (model) => {
    const native = buildWorkload({ model, phase: 'prefill', batch: 2 })
    const im2col = buildWorkload({ model, phase: 'prefill', batch: 2, lowering: 'im2col' })
    expect(workloadMacs(native)).toBe(workloadMacs(im2col))
    for (const layer of native.layers) {
      expect(layer.conv === undefined).toBe(layer.op === 'fc')
      const c = layer.conv
      if (c !== undefined) expect(gemmMacs(layer)).toBe(c.G * c.N * c.C * c.M * c.R * c.S * c.P * c.Q)
    }
  })

  it('AlexNet (Eyeriss workload): conv1 11×11 stride 4 with 56×56 outputs, conv2/4/5 in two groups', () => {
    const layers = buildWorkload({ model: 'alexnet', phase: 'prefill', batch: 4 }).layers
    expect(byName(layers, 'conv1').conv).toMatchObject({ N: 4, C: 3, M: 96, R: 11, S: 11, P: 56, Q: 56, Hstride: 4, Wstride: 4, G: 1 })
    expect(byName(layers, 'conv2').conv).toMatchObject({ C: 48, M: 128, R: 5, P: 27, G: 2 })
    expect(byName(layers, 'conv3').conv).toMatchObject({ N: 4, C: 256, M: 384, R: 3, S: 3, P: 13, Q: 13, Hstride: 1, G: 1 })
    expect(byName(layers, 'conv5').conv).toMatchObject({ C: 192, M: 128, G: 2 })
    expect(layers.filter((l) => l.op === 'fc').map((l) => [l.K, l.N])).toEqual([
      [9216, 4096],
      [4096, 4096],
      [4096, 1000],
    ])
  })

  it('MobileNet-v2: 52 convs (17 depthwise as groups of one channel), ≈ 300 M MACs per image', () => {
    const workload = buildWorkload({ model: 'mobilenet-v2', phase: 'prefill' })
    const convs = workload.layers.filter((l) => l.op === 'conv')
    expect(convs.reduce((s, l) => s + l.count, 0)).toBe(52)
    const depthwise = convs.filter((l) => (l.conv?.G ?? 1) > 1)
    expect(depthwise.reduce((s, l) => s + l.count, 0)).toBe(17)
    for (const l of depthwise) expect(l.conv).toMatchObject({ C: 1, M: 1, R: 3, S: 3 })
    // Sandler et al. 2018, Table 4: 300 M multiply-adds.
    expect(Math.abs(workloadMacs(workload) / 300e6 - 1)).toBeLessThan(0.01)
    // Expand layers read a linear bottleneck (dense); depthwise and projection read ReLU6 outputs.
    expect(byName(workload.layers, 'features.2.expand').tensors.A).toBe('linear-feature-map')
    expect(byName(workload.layers, 'features.2.dw').tensors.A).toBe('feature-map')
    expect(byName(workload.layers, 'features.0').tensors.A).toBe('linear-feature-map')
  })

  it('im2col of a grouped conv is one GEMM per group', () => {
    const dw = byName(buildWorkload({ model: 'mobilenet-v2', phase: 'prefill', lowering: 'im2col' }).layers, 'features.2.dw')
    expect([dw.M, dw.K, dw.N, dw.count]).toEqual([56 * 56, 9, 1, 96])
  })
})

describe('convToProblem', () => {
  const conv: ConvShape = { N: 2, C: 8, M: 16, R: 3, S: 3, P: 5, Q: 5, Hstride: 2, Wstride: 2, Hdilation: 1, Wdilation: 1, G: 1 }

  it('is Timeloop CNN-Layer: 7 dims, sliding-window Inputs, read-write Outputs; A/B/Z densities go to Inputs/Weights/Outputs', () => {
    const problem = convToProblem(
      { name: 'c', conv },
      { A: { distribution: 'hypergeometric', density: 0.4, params: {} }, B: { distribution: 'hypergeometric', density: 0.5, params: {} } },
    )
    expect(problem.dimensions).toEqual(['C', 'M', 'R', 'S', 'N', 'P', 'Q'])
    expect(problem.coefficients).toEqual({ Wstride: 2, Hstride: 2, Wdilation: 1, Hdilation: 1 })
    expect(problem.dataSpaces.map((d) => [d.name, d.projection.map((rank) => rank.map((t) => t.dim).join('+')).join(','), d.readWrite])).toEqual([
      ['Weights', 'C,M,R,S', false],
      ['Inputs', 'N,C,R+P,S+Q', false],
      ['Outputs', 'N,M,Q,P', true],
    ])
    expect(Object.fromEntries(Object.entries(problem.densities).map(([t, d]) => [t, d.density]))).toEqual({ Inputs: 0.4, Weights: 0.5 })
  })

  it('carries strides and dilations per axis into the coefficients and the shape text', () => {
    const dilated: ConvShape = { ...conv, Hstride: 1, Wstride: 2, Hdilation: 2, Wdilation: 3 }
    expect(convToProblem({ name: 'd', conv: dilated }).coefficients).toEqual({ Wstride: 2, Hstride: 1, Wdilation: 3, Hdilation: 2 })
    expect(layerShapeText({ M: 1, K: 1, N: 1, conv: dilated })).toBe('N2 C8 M16 R3 S3 P5 Q5 s1×2 d2×3')
    expect(layerShapeText({ M: 1, K: 1, N: 1, conv: { ...conv, Hdilation: 2, Wdilation: 2 } })).toBe('N2 C8 M16 R3 S3 P5 Q5 s2 d2')
  })

  it('adds the group dimension G to every tensor of a grouped conv', () => {
    const problem = convToProblem({ name: 'dw', conv: { ...conv, C: 1, M: 1, G: 32 } })
    expect(problem.dimensions[0]).toBe('G')
    expect(problem.bounds['G']).toBe(32)
    for (const space of problem.dataSpaces) expect(space.projection.some((rank) => rank[0]?.dim === 'G')).toBe(true)
  })

  it('layerToProblem: conv layers become conv problems, GEMMs stay GEMMs', () => {
    const workload = buildWorkload({ model: 'resnet-50', phase: 'prefill' })
    const sparsity = applySparsity(workload, ['unstructured-50', 'relu-50'])
    workload.layers.forEach((layer, i) => {
      const problem = layerToProblem(layer, sparsity[i]?.densities)
      if (layer.conv === undefined) expect(problem.dimensions).toEqual(['M', 'K', 'N'])
      else {
        expect(problem.densities['Weights']?.density).toBe(0.5)
        expect(problem.densities['Inputs']?.density).toBe(layer.name === 'conv1' ? undefined : 0.5)
      }
    })
  })

  it('rejects a non-positive or fractional extent naming the field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(conv) as (keyof ConvShape)[])),
        fc.oneof(fc.integer({ max: 0 }), fc.double({ min: 0.1, max: 9.9, noInteger: true })),
        (field, value) => {
          try {
            convToProblem({ name: 'bad', conv: { ...conv, [field]: value } })
            return false
          } catch (error) {
            return isSnipSnapError(error) && error.code === 'INVALID_SPEC' && error.path.join('.') === `bad.conv.${field}`
          }
        },
      ),
      { numRuns: 40 },
    )
  })

  it('rejects an unknown tensor name', () => {
    expect(() => convToProblem({ name: 'c', conv }, { W: { distribution: 'hypergeometric', density: 0.5, params: {} } } as never)).toThrow(/unknown tensor 'W'/)
  })
})

describe('relu-50 preset', () => {
  it('makes post-ReLU feature maps half dense and leaves images, linear bottlenecks and Transformers alone', () => {
    const mobilenet = buildWorkload({ model: 'mobilenet-v2', phase: 'prefill' })
    const sparsity = applySparsity(mobilenet, 'relu-50')
    mobilenet.layers.forEach((layer, i) => {
      expect(sparsity[i]?.densities.A?.density).toBe(layer.tensors.A === 'feature-map' ? 0.5 : undefined)
      expect(sparsity[i]?.densities.B).toBeUndefined()
    })
    const llm = buildWorkload({ model: 'opt-125m', phase: 'prefill', seqLen: 16 })
    expect(applySparsity(llm, 'relu-50').every((s) => Object.keys(s.densities).length === 0)).toBe(true)
  })
})
