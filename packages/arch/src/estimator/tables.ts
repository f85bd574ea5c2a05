// Published data behind the table-based energy/area estimator. Every number below was read from
// a public source named in its comment; none is fitted to the shared reference cases except that
// the SRAM rows *are* the CACTI results the Sparseloop MICRO'22 artifact shipped (their ERT/ART
// files), so the README reports a leave-one-out error beside the in-table one.
//
// Sources (abbreviations used below):
//   [SL22]  Accelergy-Project/micro22-sparseloop-artifact @ de0374a,
//           workspace/2022.micro.artifact/evaluation_setups/<setup>/…/{ERT,ART}.yaml: Accelergy 0.3
//           with its CACTI plug-in (45 nm SRAM macros) and Aladdin table plug-in. Per-row setup given.
//   [ALD]   accelergy-aladdin-plug-in (MIT, Y. N. Wu 2019), data/{reg,adder,multiplier,comparator}.csv:
//           Aladdin's 40 nm characterisation, used by the plug-in for 40 and 45 nm; the 5 ns row
//           (the plug-in's default latency).
//   [CDRAM] accelergy-cacti-plug-in (MIT), cacti_wrapper.py `CactiDRAM.type2energy`, pJ per bit:
//           LPDDR4 "public data"; LPDDR Malladi et al. ISCA'12; DDR3 Chatterjee et al. MICRO'17;
//           HMC doi:10.1145/3093336.3037702; GDDR5 and HBM2 unattributed in the plug-in.
//   [CSCALE] accelergy-cacti-plug-in cacti_wrapper.py `_interp_size`: CACTI's empirical scaling,
//           "width: area, dynamic energy scale linearly (0.7·w + 0.3 of the access); depth: area
//           scales linearly, dynamic energy with depth^(1.56/2)".
//   [CBANK] accelergy-cacti-plug-in cacti_wrapper.py `SRAM_populate_data`: `n_banks` (rounded up
//           to a power of two) is CACTI's `-UCA bank`; idle = standby leakage per bank × n_banks.
//           CACTI's UCA banks are sub-arrays of depth/n_banks, one of them per access, reached
//           through address-in, data-in and data-out H-trees that span every bank (CACTI 7
//           `uca.cc`: the UCA's area is the data-in H-tree's; access energy = one bank's + the
//           three H-trees'); `bankRouteShare` below is that routing overhead. Each row's
//           `banks` is the n_banks (metadata: metadata_n_banks) of the component it came from,
//           1 where none was declared (Accelergy's default).

/** One CACTI SRAM macro (45 nm). Energies in pJ per access of `widthBits`; area in µm². */
export interface SramTablePoint {
  readonly depth: number
  readonly widthBits: number
  /** CACTI bank count the row was produced with ([CBANK]); estimates are scaled from it. */
  readonly banks: number
  readonly readPJ?: number
  readonly writePJ?: number
  /** Energy of an idle (gated) cycle, pJ. */
  readonly idlePJ?: number
  readonly areaUM2?: number
  /** Stable id of the published component the row comes from (used for leave-one-out). */
  readonly source: string
  /** How the row was read or derived. */
  readonly note: string
}

/**
 * CACTI-derived SRAM rows at 45 nm ([SL22]). Where an ART entry covers a data array together
 * with its metadata array (Accelergy's `SRAM_MD` compound) the area is split between them in
 * proportion to their bits, CACTI area being close to linear in bits ([CSCALE]); the split is
 * marked in the note.
 */
export const SRAM_TABLE_45NM: readonly SramTablePoint[] = [
  // fig1_format_comparison_setup/ert_art: system.PE.Buffer (SRAM_MD; data 512×8 b, metadata
  // 256×28 b, n_banks 2, metadata_n_banks 2); ART 5803.52 µm² for both arrays.
  { depth: 512, widthBits: 8, banks: 2, readPJ: 0.42568, writePJ: 0.58331, idlePJ: 1e-5, areaUM2: 5803.52 * 4096 / (4096 + 7168), source: 'sl22-fig1-buffer', note: 'SL22 fig1 PE.Buffer data; area = 5803.52 split by bits' },
  { depth: 256, widthBits: 28, banks: 2, readPJ: 0.7383, writePJ: 1.42366, idlePJ: 2e-5, areaUM2: 5803.52 * 7168 / (4096 + 7168), source: 'sl22-fig1-buffer', note: 'SL22 fig1 PE.Buffer metadata; area = 5803.52 split by bits' },
  // fig1 system.BackingStorage (SRAM_MD; data 16384×64 b, metadata 16384×28 b, no n_banks
  // declared → 1);
  // ART 632467 µm².
  { depth: 16384, widthBits: 64, banks: 1, readPJ: 32.2859, writePJ: 26.065, idlePJ: 0.00552, areaUM2: 632467 * 1048576 / (1048576 + 458752), source: 'sl22-fig1-backing', note: 'SL22 fig1 BackingStorage data; area = 632467 split by bits' },
  { depth: 16384, widthBits: 28, banks: 1, readPJ: 14.0361, writePJ: 10.2583, idlePJ: 0.00199, areaUM2: 632467 * 458752 / (1048576 + 458752), source: 'sl22-fig1-backing', note: 'SL22 fig1 BackingStorage metadata; area = 632467 split by bits' },
  // fig15_stc_related_setup/…/int8/STC-RF2x-24-bandwidth: system.SM.SMEM (SRAM_MD; data
  // 4096×512 b, n_banks 2; metadata 8192×64 b, no metadata_n_banks declared → 1); ART 2604256 µm².
  { depth: 4096, widthBits: 512, banks: 2, readPJ: 285.71464, writePJ: 316.96744, idlePJ: 0.03325, areaUM2: 2604256 * 2097152 / (2097152 + 524288), source: 'sl22-stc-smem', note: 'SL22 STC SMEM data; area = 2604256 split by bits' },
  { depth: 8192, widthBits: 64, banks: 1, readPJ: 25.8695, writePJ: 19.6486, idlePJ: 0.00276, areaUM2: 2604256 * 524288 / (2097152 + 524288), source: 'sl22-stc-smem', note: 'SL22 STC SMEM metadata; area = 2604256 split by bits' },
  // STC-RF2x-24-bandwidth: system.SM.Subpartition[0..3].RF (data 2048×8 b, n_banks 16, no
  // metadata); ART 23384 µm².
  { depth: 2048, widthBits: 8, banks: 16, readPJ: 1.65889, writePJ: 1.67589, idlePJ: 6e-5, areaUM2: 23384, source: 'sl22-stc-rf', note: 'SL22 STC RF' },
  // fig12_eyerissv2_pe_setup/ert_art: PE.weight_spad (SRAM_MD; data 192×8 b via CACTI, no n_banks
  // declared → 1; metadata 128×8 b via Aladdin); ART 3013.83 µm² minus the Aladdin metadata array (8·5.98 + 128·70·7/32
  // = 2007.84 µm², [ALD]).
  { depth: 192, widthBits: 8, banks: 1, readPJ: 0.47678, writePJ: 0.51919, idlePJ: 1e-5, areaUM2: 3013.83 - 2007.84, source: 'sl22-eyv2-weight-spad', note: 'SL22 Eyeriss v2 weight_spad data; area = ART − Aladdin metadata array' },
  // fig12 PE.psum_spad (SRAM 32×20 b, no n_banks declared → 1): Accelergy took its energy from Aladdin and, the width
  // being over Aladdin's area limit of 16 b, its area from CACTI: 1020.59 µm².
  { depth: 32, widthBits: 20, banks: 1, areaUM2: 1020.59, source: 'sl22-eyv2-psum-spad', note: 'SL22 Eyeriss v2 psum_spad area (CACTI)' },
  // table7_eyeriss_setup/ert_art: shared_glb (smartbuffer_metadata; data 12800×64 b, n_banks 1,
  // no metadata array); ART 641718.8125 µm² includes two address generators and two metadata
  // counters (≈ 0.2 kµm², < 0.05%), not subtracted.
  { depth: 12800, widthBits: 64, banks: 1, readPJ: 49.1739, writePJ: 37.1554, idlePJ: 0.00616, areaUM2: 641718.8125, source: 'sl22-eyeriss-glb', note: 'SL22 Eyeriss v1 shared_glb' },
  // table7 PE.weights_spad (smartbuffer; 224×16 b, n_banks 1): ERT read/write are the SRAM's; idle 0.00596
  // includes one address-generator idle (0.0119·16/32 [ALD]); ART 3474.22 minus the two 16-bit
  // address generators (2·179·16/32 = 179 µm², [ALD]).
  { depth: 224, widthBits: 16, banks: 1, readPJ: 0.71011, writePJ: 1.13063, idlePJ: 0.00596 - 0.00595, areaUM2: 3474.22 - 179, source: 'sl22-eyeriss-weights-spad', note: 'SL22 Eyeriss v1 weights_spad; address generators subtracted' },
  // fig13_dstc_setup/input_specs: SM.GLB (SRAM_MD; data 16384×256 b, n_banks 2; metadata
  // 8192×64 b, no metadata_n_banks declared → 1); ART 2079246 µm² for both. The metadata row duplicates STC's 8192×64 b array
  // with the same energies but a different share of the area; both are kept.
  { depth: 16384, widthBits: 256, banks: 2, readPJ: 140.09584, writePJ: 134.50539, idlePJ: 0.04326, areaUM2: 2079246 * 4194304 / (4194304 + 524288), source: 'sl22-dstc-glb', note: 'SL22 DSTC GLB data; area = 2079246 split by bits' },
  { depth: 8192, widthBits: 64, banks: 1, areaUM2: 2079246 * 524288 / (4194304 + 524288), source: 'sl22-dstc-glb', note: 'SL22 DSTC GLB metadata; area = 2079246 split by bits' },
  // fig13 SM.OTC.Buffer (SRAM_MD; data 1024×16 b via CACTI, no n_banks declared → 1; metadata 64×16 b via Aladdin); ART
  // 8026.18 µm² minus the Aladdin metadata array (16·5.98 + 64·70·6/32 = 935.68 µm², [ALD]).
  { depth: 1024, widthBits: 16, banks: 1, readPJ: 1.96991, writePJ: 1.83309, idlePJ: 5e-5, areaUM2: 8026.18 - 935.68, source: 'sl22-dstc-buffer', note: 'SL22 DSTC OTC.Buffer data; area = ART − Aladdin metadata array' },
]

/** CACTI's empirical scaling exponents ([CSCALE]). */
export const CACTI_SCALING = {
  /** Dynamic energy ∝ (widthShare · w/w₀ + (1 − widthShare)). */
  widthShare: 0.7,
  /** Dynamic energy ∝ (d/d₀)^depthExponent. */
  depthExponent: 1.56 / 2,
  /**
   * Share of a read/write's energy that scales with the whole array's depth rather than the
   * accessed bank's ([CBANK]): CACTI's UCA routes every access through H-trees spanning all banks.
   * Fitted, not published: leave-one-out over the 36 read/write numbers of the reference
   * comparison (each SRAM array's own rows removed), median error 18.8% at 0 (one bank only),
   * 17.1% at 0.25, 15.6% at 0.5, 17.8% at 0.6, 18.9% at 1 (banks save nothing); 0.5 is the best.
   */
  bankRouteShare: 0.5,
} as const

/**
 * Aladdin 40 nm primitives at 5 ns ([ALD]), 32-bit where a width applies. `dynamicPJ` per
 * operation, `idlePJ` per idle cycle, `areaUM2` per instance.
 */
export const ALADDIN_40NM = {
  /** data/reg.csv, row 5 ns: one 1-bit register. */
  reg: { dynamicPJ: 0.009, idlePJ: 0.00037, areaUM2: 5.98 },
  /** data/comparator.csv, row 5 ns: 32-bit comparator (scaled linearly in bits by the plug-in). */
  comparator: { dynamicPJ: 0.029015, idlePJ: 0.0001211, areaUM2: 70, bits: 32 },
  /** data/adder.csv, row 5 ns: 32-bit adder (scaled linearly in bits). */
  adder: { dynamicPJ: 0.0857, idlePJ: 0.0119, areaUM2: 179, bits: 32 },
  /** data/multiplier.csv, row 5 ns: 32-bit fixed-point multiplier (scaled quadratically in bits). */
  multiplier: { dynamicPJ: 8.63, idlePJ: 0.24, areaUM2: 4600, bits: 32 },
  /** The plug-in's `mult_reused` factor. */
  reusedMultiplierShare: 0.85,
  /**
   * Aladdin serves an SRAM as a register file (registers + one address comparator per row) up to
   * these sizes; larger arrays go to CACTI. Energy and area have different limits in the plug-in.
   */
  regfileEnergyLimit: { depth: 128, widthBits: 32 },
  regfileAreaLimit: { depth: 128, widthBits: 16 },
} as const

/** DRAM energy per bit by type, pJ/bit ([CDRAM]). DRAM area is off chip: 0. */
export const DRAM_PJ_PER_BIT: Readonly<Record<string, number>> = {
  LPDDR4: 8,
  LPDDR: 40,
  DDR3: 70,
  GDDR5: 14,
  HBM2: 3.9,
  HMC: 4.2,
}

/** Process node the tables describe (nm); Aladdin's 40 nm data is used for 45 nm as the plug-in does. */
export const TABLE_NODE_NM = 45
