// The model zoo as plain data: hyper-parameters of the LLM/Transformer models and the conv
// layers of the CNN baselines, each with the source of its shape. Workload GEMMs are derived
// from these in workload.ts; nothing here is computed.
//
// Sources (see shared/docs/workloads.md §1.1 for the confirmed ones):
// - LLaMA-1 7B/13B: huggyllama/llama-{7b,13b} configs; 65B: jafioti/luminal examples/llama/config.rs
//   (8192 / 22016 / 64 heads / 80 layers); arXiv 2302.13971.
// - LLaMA-2: meta-llama/llama MODEL_CARD.md; Llama-2-7b-chat-hf values in microsoft/Olive
//   examples/llm/config.py; 70B: k_proj 8192→1024, FFN 28672, 80 layers (h2oGPT model card dump).
// - LLaMA-3 8B: meta-llama/llama-models models/sku_list.py (dim 4096, 32 layers, 32 heads, 8 KV
//   heads, vocab 128256, ffn_dim_multiplier 1.3, multiple_of 1024 → 14336).
// - LLaMA-3 70B: not in workloads.md; vulkomilev/oumi configs/recipes/llama3_1/README.md
//   (Llama 3.1 70B: hidden 8192, MLP 28672, 80 layers, 64 heads, 8 KV heads, vocab 128256,
//   trained with 8192 context; Llama 3 and 3.1 share the architecture), consistent with the FFN
//   rule in workloads.md (8192 × 1.3, multiple_of 4096 → 28672).
// - OPT 125M/1.3B/6.7B/13B: fairseq2 OPTConfig and HF OPTConfig dumps (workloads.md §1.1).
// - OPT 2.7B/30B/66B: not in workloads.md; a public OPTConfig table (OPT_2_7B_CONFIG: 2560 /
//   32 heads / head_dim 80 / ffn 10240 / 32 layers; OPT_30B_CONFIG: 7168 / 56 / 128 / 28672 / 48;
//   OPT_66B_CONFIG: 9216 / 72 / 128 / 36864 / 64; vocab 50272), cross-checked against
//   lrq619/LLMLayer config.py (opt-30b: 7168, 56 heads, 48 layers) and the HF config.json of
//   mit-han-lab/opt-66b-smoothquant (ffn_dim 36864, hidden 9216, 72 heads, 64 layers).
// - BERT-base: HF bert-base-uncased config; BERT-large: HF bert-large-uncased config (hidden
//   1024, intermediate 4096, 16 heads, 24 layers, vocab 30522, 512 positions; e.g. the config dump
//   in pmhalvor/racl compare.py).
// - GPT-2 small: HF gpt2 config (n_embd 768, n_layer 12, n_head 12, n_inner 3072, 1024 positions).
// - ResNet-50 (torchvision v1.5) and VGG-16 (configuration D): workloads.md §1.5.
// - AlexNet as the Eyeriss workload (Krizhevsky et al. 2012, 96/256/384/384/256 filters, conv2,
//   conv4 and conv5 in two groups; Eyeriss, Chen et al. ISSCC 2016 / JSSC 2017): conv1 with 56×56
//   outputs and conv3 exactly as in the Sparseloop artifact's table7_eyeriss_setup (shared/reference/
//   sparseloop/table7-eyeriss-conv{1,3}-*; the 227-pixel torchvision variant gives 55×55 outputs).
// - MobileNet-v2 (Sandler et al., CVPR 2018, Table 2: t, c, n, s per bottleneck stage; torchvision
//   mobilenet_v2, width 1.0, 224×224): 3×3 stem, 17 inverted residual blocks (1×1 expand,
//   3×3 depthwise = groups of one channel, 1×1 linear projection), 1×1 conv to 1280, FC.

/** Architecture family of a Transformer, which fixes the block's GEMMs. */
export type TransformerFamily = 'llama' | 'opt' | 'bert' | 'gpt2'

/** Hyper-parameters of a Transformer model. */
export interface TransformerHyperParams {
  readonly family: TransformerFamily
  /** Model (hidden) width d. */
  readonly hiddenDim: number
  /** FFN intermediate width f. */
  readonly ffnDim: number
  /** Query heads h. */
  readonly heads: number
  /** Key/value heads g (g < h: grouped-query attention). */
  readonly kvHeads: number
  readonly headDim: number
  /** Transformer blocks. */
  readonly layers: number
  readonly vocabSize: number
  /** Longest sequence the model was trained for (tokens). */
  readonly maxContext: number
  /** `swiglu`: gate, up and down projections; `relu`/`gelu`: fc1 and fc2. */
  readonly ffnKind: 'swiglu' | 'relu' | 'gelu'
  /** False for encoders (BERT), which have no decode phase. */
  readonly decoder: boolean
}

/**
 * One convolution (or fully connected) layer shape of a CNN: a native convolution (Timeloop's
 * CNN-Layer problem) or, lowered, an im2col GEMM.
 */
export interface ConvLayerSpec {
  readonly name: string
  /** How many layers of the network have exactly this shape. */
  readonly count: number
  readonly inChannels: number
  readonly outChannels: number
  /** Square kernel size R = S (1 for fully connected layers). */
  readonly kernel: number
  readonly stride: number
  /** Output feature-map height = width P = Q (1 for fully connected layers). */
  readonly outputSize: number
  /** True for fully connected layers (K = inChannels). */
  readonly fullyConnected?: boolean
  /** Channel groups (default 1); depthwise convolutions have groups = inChannels = outChannels. */
  readonly groups?: number
  /** Kernel dilation (default 1). */
  readonly dilation?: number
  /**
   * Whether the layer's input is a ReLU (or ReLU6 / max-pool of ReLU) output, so activation
   * sparsity applies to it (default true). False for the image, MobileNet-v2's linear bottlenecks
   * and ResNet-50's average-pooled FC input.
   */
  readonly inputAfterRelu?: boolean
}

interface ModelBase {
  /** Lower-case id, e.g. `llama-2-7b`, `opt-6.7b`. */
  readonly id: string
  readonly displayName: string
  /** Where the shapes come from. */
  readonly source: string
}

/** A Transformer model of the zoo. */
export interface TransformerModelSpec extends ModelBase {
  readonly kind: 'transformer'
  readonly hyper: TransformerHyperParams
}

/** A CNN model of the zoo, as a list of unique conv/FC shapes with their counts. */
export interface CnnModelSpec extends ModelBase {
  readonly kind: 'cnn'
  /** Input image height = width. */
  readonly inputSize: number
  readonly layers: readonly ConvLayerSpec[]
}

/** A model of the zoo. */
export type ModelSpec = TransformerModelSpec | CnnModelSpec

const llama = (
  id: string,
  displayName: string,
  shape: { d: number; f: number; h: number; g: number; layers: number; vocab: number; context: number },
  source: string,
): TransformerModelSpec => ({
  id,
  displayName,
  kind: 'transformer',
  source,
  hyper: {
    family: 'llama',
    hiddenDim: shape.d,
    ffnDim: shape.f,
    heads: shape.h,
    kvHeads: shape.g,
    headDim: shape.d / shape.h,
    layers: shape.layers,
    vocabSize: shape.vocab,
    maxContext: shape.context,
    ffnKind: 'swiglu',
    decoder: true,
  },
})

const opt = (
  id: string,
  displayName: string,
  shape: { d: number; f: number; h: number; layers: number },
  source: string,
): TransformerModelSpec => ({
  id,
  displayName,
  kind: 'transformer',
  source,
  hyper: {
    family: 'opt',
    hiddenDim: shape.d,
    ffnDim: shape.f,
    heads: shape.h,
    kvHeads: shape.h,
    headDim: shape.d / shape.h,
    layers: shape.layers,
    vocabSize: 50272,
    maxContext: 2048,
    ffnKind: 'relu',
    decoder: true,
  },
})

const LLAMA1 = 'LLaMA-1 (arXiv 2302.13971); huggyllama configs; 65B dims in jafioti/luminal examples/llama/config.rs'
const LLAMA2 = 'meta-llama/llama MODEL_CARD.md; HF Llama-2 configs (workloads.md §1.1)'
const OPT_DOC = 'fairseq2/HF OPTConfig (workloads.md §1.1)'
const OPT_EXTRA = 'public OPTConfig table (OPT_*_CONFIG), cross-checked with lrq619/LLMLayer and mit-han-lab/opt-66b-smoothquant config.json'

/** ResNet-50 v1.5 conv shapes (workloads.md §1.5, torchvision names). */
const resnet50Layers: readonly ConvLayerSpec[] = [
  { name: 'conv1', count: 1, inChannels: 3, outChannels: 64, kernel: 7, stride: 2, outputSize: 112, inputAfterRelu: false },
  { name: 'layer1.0.conv1', count: 1, inChannels: 64, outChannels: 64, kernel: 1, stride: 1, outputSize: 56 },
  { name: 'layer1.x.conv2', count: 3, inChannels: 64, outChannels: 64, kernel: 3, stride: 1, outputSize: 56 },
  { name: 'layer1.x.conv3+downsample', count: 4, inChannels: 64, outChannels: 256, kernel: 1, stride: 1, outputSize: 56 },
  { name: 'layer1.x.conv1', count: 2, inChannels: 256, outChannels: 64, kernel: 1, stride: 1, outputSize: 56 },
  { name: 'layer2.0.conv1', count: 1, inChannels: 256, outChannels: 128, kernel: 1, stride: 1, outputSize: 56 },
  { name: 'layer2.0.conv2', count: 1, inChannels: 128, outChannels: 128, kernel: 3, stride: 2, outputSize: 28 },
  { name: 'layer2.x.conv3', count: 4, inChannels: 128, outChannels: 512, kernel: 1, stride: 1, outputSize: 28 },
  { name: 'layer2.0.downsample', count: 1, inChannels: 256, outChannels: 512, kernel: 1, stride: 2, outputSize: 28 },
  { name: 'layer2.x.conv1', count: 3, inChannels: 512, outChannels: 128, kernel: 1, stride: 1, outputSize: 28 },
  { name: 'layer2.x.conv2', count: 3, inChannels: 128, outChannels: 128, kernel: 3, stride: 1, outputSize: 28 },
  { name: 'layer3.0.conv1', count: 1, inChannels: 512, outChannels: 256, kernel: 1, stride: 1, outputSize: 28 },
  { name: 'layer3.0.conv2', count: 1, inChannels: 256, outChannels: 256, kernel: 3, stride: 2, outputSize: 14 },
  { name: 'layer3.x.conv3', count: 6, inChannels: 256, outChannels: 1024, kernel: 1, stride: 1, outputSize: 14 },
  { name: 'layer3.0.downsample', count: 1, inChannels: 512, outChannels: 1024, kernel: 1, stride: 2, outputSize: 14 },
  { name: 'layer3.x.conv1', count: 5, inChannels: 1024, outChannels: 256, kernel: 1, stride: 1, outputSize: 14 },
  { name: 'layer3.x.conv2', count: 5, inChannels: 256, outChannels: 256, kernel: 3, stride: 1, outputSize: 14 },
  { name: 'layer4.0.conv1', count: 1, inChannels: 1024, outChannels: 512, kernel: 1, stride: 1, outputSize: 14 },
  { name: 'layer4.0.conv2', count: 1, inChannels: 512, outChannels: 512, kernel: 3, stride: 2, outputSize: 7 },
  { name: 'layer4.x.conv3', count: 3, inChannels: 512, outChannels: 2048, kernel: 1, stride: 1, outputSize: 7 },
  { name: 'layer4.0.downsample', count: 1, inChannels: 1024, outChannels: 2048, kernel: 1, stride: 2, outputSize: 7 },
  { name: 'layer4.x.conv1', count: 2, inChannels: 2048, outChannels: 512, kernel: 1, stride: 1, outputSize: 7 },
  { name: 'layer4.x.conv2', count: 2, inChannels: 512, outChannels: 512, kernel: 3, stride: 1, outputSize: 7 },
  { name: 'fc', count: 1, inChannels: 2048, outChannels: 1000, kernel: 1, stride: 1, outputSize: 1, fullyConnected: true, inputAfterRelu: false },
]

/** VGG-16 (configuration D) shapes (workloads.md §1.5). */
const vgg16Layers: readonly ConvLayerSpec[] = [
  { name: 'conv1', count: 1, inChannels: 3, outChannels: 64, kernel: 3, stride: 1, outputSize: 224, inputAfterRelu: false },
  { name: 'conv2', count: 1, inChannels: 64, outChannels: 64, kernel: 3, stride: 1, outputSize: 224 },
  { name: 'conv3', count: 1, inChannels: 64, outChannels: 128, kernel: 3, stride: 1, outputSize: 112 },
  { name: 'conv4', count: 1, inChannels: 128, outChannels: 128, kernel: 3, stride: 1, outputSize: 112 },
  { name: 'conv5', count: 1, inChannels: 128, outChannels: 256, kernel: 3, stride: 1, outputSize: 56 },
  { name: 'conv6-7', count: 2, inChannels: 256, outChannels: 256, kernel: 3, stride: 1, outputSize: 56 },
  { name: 'conv8', count: 1, inChannels: 256, outChannels: 512, kernel: 3, stride: 1, outputSize: 28 },
  { name: 'conv9-10', count: 2, inChannels: 512, outChannels: 512, kernel: 3, stride: 1, outputSize: 28 },
  { name: 'conv11-13', count: 3, inChannels: 512, outChannels: 512, kernel: 3, stride: 1, outputSize: 14 },
  { name: 'fc14', count: 1, inChannels: 25088, outChannels: 4096, kernel: 1, stride: 1, outputSize: 1, fullyConnected: true },
  { name: 'fc15', count: 1, inChannels: 4096, outChannels: 4096, kernel: 1, stride: 1, outputSize: 1, fullyConnected: true },
  { name: 'fc16', count: 1, inChannels: 4096, outChannels: 1000, kernel: 1, stride: 1, outputSize: 1, fullyConnected: true },
]

/** AlexNet as the Eyeriss workload (see the sources above). */
const alexnetLayers: readonly ConvLayerSpec[] = [
  { name: 'conv1', count: 1, inChannels: 3, outChannels: 96, kernel: 11, stride: 4, outputSize: 56, inputAfterRelu: false },
  { name: 'conv2', count: 1, inChannels: 96, outChannels: 256, kernel: 5, stride: 1, outputSize: 27, groups: 2 },
  { name: 'conv3', count: 1, inChannels: 256, outChannels: 384, kernel: 3, stride: 1, outputSize: 13 },
  { name: 'conv4', count: 1, inChannels: 384, outChannels: 384, kernel: 3, stride: 1, outputSize: 13, groups: 2 },
  { name: 'conv5', count: 1, inChannels: 384, outChannels: 256, kernel: 3, stride: 1, outputSize: 13, groups: 2 },
  { name: 'fc6', count: 1, inChannels: 9216, outChannels: 4096, kernel: 1, stride: 1, outputSize: 1, fullyConnected: true },
  { name: 'fc7', count: 1, inChannels: 4096, outChannels: 4096, kernel: 1, stride: 1, outputSize: 1, fullyConnected: true },
  { name: 'fc8', count: 1, inChannels: 4096, outChannels: 1000, kernel: 1, stride: 1, outputSize: 1, fullyConnected: true },
]

/**
 * MobileNet-v2's bottleneck stages (Sandler et al. 2018, Table 2): expansion t, output channels
 * c, repeats n, stride s of the first block of the stage.
 */
const MOBILENET_V2_STAGES: readonly { t: number; c: number; n: number; s: number }[] = [
  { t: 1, c: 16, n: 1, s: 1 },
  { t: 6, c: 24, n: 2, s: 2 },
  { t: 6, c: 32, n: 3, s: 2 },
  { t: 6, c: 64, n: 4, s: 2 },
  { t: 6, c: 96, n: 3, s: 1 },
  { t: 6, c: 160, n: 3, s: 2 },
  { t: 6, c: 320, n: 1, s: 1 },
]

/**
 * MobileNet-v2's layers, the stage table written out (torchvision `features.<i>` numbering;
 * the repeats 2…n of a stage share one shape and are listed once with their count).
 */
const mobilenetV2Layers = (): ConvLayerSpec[] => {
  const out: ConvLayerSpec[] = [
    { name: 'features.0', count: 1, inChannels: 3, outChannels: 32, kernel: 3, stride: 2, outputSize: 112, inputAfterRelu: false },
  ]
  let channels = 32
  let size = 112
  let block = 1
  for (const stage of MOBILENET_V2_STAGES) {
    const shapes = (first: boolean) => {
      const stride = first ? stage.s : 1
      const hidden = channels * stage.t
      const outSize = size / stride
      const layers: Omit<ConvLayerSpec, 'name' | 'count'>[] = []
      const names: string[] = []
      // The expand's input is the previous block's linear bottleneck output (no ReLU after it).
      if (stage.t !== 1) {
        layers.push({ inChannels: channels, outChannels: hidden, kernel: 1, stride: 1, outputSize: size, inputAfterRelu: false })
        names.push('expand')
      }
      layers.push({ inChannels: hidden, outChannels: hidden, kernel: 3, stride, outputSize: outSize, groups: hidden })
      names.push('dw')
      layers.push({ inChannels: hidden, outChannels: stage.c, kernel: 1, stride: 1, outputSize: outSize })
      names.push('project')
      return { layers, names, outSize }
    }
    const first = shapes(true)
    out.push(...first.layers.map((l, i) => ({ ...l, name: `features.${block}.${first.names[i] ?? ''}`, count: 1 })))
    channels = stage.c
    size = first.outSize
    if (stage.n > 1) {
      const rest = shapes(false)
      const label = stage.n === 2 ? `${block + 1}` : `${block + 1}-${block + stage.n - 1}`
      out.push(...rest.layers.map((l, i) => ({ ...l, name: `features.${label}.${rest.names[i] ?? ''}`, count: stage.n - 1 })))
    }
    block += stage.n
  }
  out.push(
    { name: `features.${block}`, count: 1, inChannels: channels, outChannels: 1280, kernel: 1, stride: 1, outputSize: size, inputAfterRelu: false },
    { name: 'classifier', count: 1, inChannels: 1280, outChannels: 1000, kernel: 1, stride: 1, outputSize: 1, fullyConnected: true, inputAfterRelu: false },
  )
  return out
}

/** Every model of the zoo, in presentation order. */
export const MODELS: readonly ModelSpec[] = [
  llama('llama-1-7b', 'LLaMA-1 7B', { d: 4096, f: 11008, h: 32, g: 32, layers: 32, vocab: 32000, context: 2048 }, LLAMA1),
  llama('llama-1-13b', 'LLaMA-1 13B', { d: 5120, f: 13824, h: 40, g: 40, layers: 40, vocab: 32000, context: 2048 }, LLAMA1),
  llama('llama-1-65b', 'LLaMA-1 65B', { d: 8192, f: 22016, h: 64, g: 64, layers: 80, vocab: 32000, context: 2048 }, LLAMA1),
  llama('llama-2-7b', 'LLaMA-2 7B', { d: 4096, f: 11008, h: 32, g: 32, layers: 32, vocab: 32000, context: 4096 }, LLAMA2),
  llama('llama-2-13b', 'LLaMA-2 13B', { d: 5120, f: 13824, h: 40, g: 40, layers: 40, vocab: 32000, context: 4096 }, LLAMA2),
  llama('llama-2-70b', 'LLaMA-2 70B', { d: 8192, f: 28672, h: 64, g: 8, layers: 80, vocab: 32000, context: 4096 }, LLAMA2),
  llama(
    'llama-3-8b',
    'LLaMA-3 8B',
    { d: 4096, f: 14336, h: 32, g: 8, layers: 32, vocab: 128256, context: 8192 },
    'meta-llama/llama3 MODEL_CARD.md; meta-llama/llama-models models/sku_list.py (workloads.md §1.1)',
  ),
  llama(
    'llama-3-70b',
    'LLaMA-3 70B',
    { d: 8192, f: 28672, h: 64, g: 8, layers: 80, vocab: 128256, context: 8192 },
    'vulkomilev/oumi configs/recipes/llama3_1/README.md (Llama 3.1 70B, same architecture); meta-llama/llama3 MODEL_CARD.md (8k context, GQA)',
  ),
  llama(
    'stories-260k',
    'stories260K (llama2.c tinyllamas)',
    { d: 64, f: 172, h: 8, g: 4, layers: 5, vocab: 512, context: 512 },
    'header of shared/data/stories260K.bin (llama2.c legacy checkpoint; shared/data/README.md §1): a real trained Llama-architecture model with GQA',
  ),
  opt('opt-125m', 'OPT-125M', { d: 768, f: 3072, h: 12, layers: 12 }, OPT_DOC),
  opt('opt-1.3b', 'OPT-1.3B', { d: 2048, f: 8192, h: 32, layers: 24 }, OPT_DOC),
  opt('opt-2.7b', 'OPT-2.7B', { d: 2560, f: 10240, h: 32, layers: 32 }, OPT_EXTRA),
  opt('opt-6.7b', 'OPT-6.7B', { d: 4096, f: 16384, h: 32, layers: 32 }, OPT_DOC),
  opt('opt-13b', 'OPT-13B', { d: 5120, f: 20480, h: 40, layers: 40 }, OPT_DOC),
  opt('opt-30b', 'OPT-30B', { d: 7168, f: 28672, h: 56, layers: 48 }, OPT_EXTRA),
  opt('opt-66b', 'OPT-66B', { d: 9216, f: 36864, h: 72, layers: 64 }, OPT_EXTRA),
  {
    id: 'bert-base',
    displayName: 'BERT-base',
    kind: 'transformer',
    source: 'HF bert-base-uncased config (workloads.md §1.1)',
    hyper: { family: 'bert', hiddenDim: 768, ffnDim: 3072, heads: 12, kvHeads: 12, headDim: 64, layers: 12, vocabSize: 30522, maxContext: 512, ffnKind: 'gelu', decoder: false },
  },
  {
    id: 'bert-large',
    displayName: 'BERT-large',
    kind: 'transformer',
    source: 'HF bert-large-uncased config (hidden 1024, intermediate 4096, 16 heads, 24 layers)',
    hyper: { family: 'bert', hiddenDim: 1024, ffnDim: 4096, heads: 16, kvHeads: 16, headDim: 64, layers: 24, vocabSize: 30522, maxContext: 512, ffnKind: 'gelu', decoder: false },
  },
  {
    id: 'gpt-2',
    displayName: 'GPT-2 small',
    kind: 'transformer',
    source: 'HF gpt2 config (workloads.md §1.1); fused c_attn 768→2304 split into Q, K, V',
    hyper: { family: 'gpt2', hiddenDim: 768, ffnDim: 3072, heads: 12, kvHeads: 12, headDim: 64, layers: 12, vocabSize: 50257, maxContext: 1024, ffnKind: 'gelu', decoder: true },
  },
  {
    id: 'resnet-50',
    displayName: 'ResNet-50 (v1.5)',
    kind: 'cnn',
    source: 'torchvision ResNet-50 v1.5, 224×224 input (workloads.md §1.5)',
    inputSize: 224,
    layers: resnet50Layers,
  },
  {
    id: 'vgg-16',
    displayName: 'VGG-16 (configuration D)',
    kind: 'cnn',
    source: 'VGG-16 configuration D, 224×224 input (workloads.md §1.5)',
    inputSize: 224,
    layers: vgg16Layers,
  },
  {
    id: 'alexnet',
    displayName: 'AlexNet (Eyeriss workload)',
    kind: 'cnn',
    source:
      'AlexNet (Krizhevsky et al. 2012; conv2/4/5 in 2 groups) as run on Eyeriss; conv1 (56×56 outputs) and conv3 as in the Sparseloop artifact table7_eyeriss_setup',
    inputSize: 227,
    layers: alexnetLayers,
  },
  {
    id: 'mobilenet-v2',
    displayName: 'MobileNet-v2 (1.0, 224)',
    kind: 'cnn',
    source: 'MobileNet-v2 (Sandler et al. 2018, Table 2), torchvision mobilenet_v2 layout, 224×224 input; depthwise convs as groups',
    inputSize: 224,
    layers: mobilenetV2Layers(),
  },
]
