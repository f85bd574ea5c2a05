// Architecture forms and derivations: classic `arch:` lists, subtree attribute inheritance,
// Timeloop's width/block/cluster and size rules, hyphen/underscore spellings.
import { describe, expect, it } from 'vitest'
import { parseTimeloopSections } from '@snipsnap/timeloop'

const arch = (text: string) => {
  const sections = parseTimeloopSections([{ fileName: 'arch.yaml', text }])
  if (sections.arch === undefined) throw new Error('no arch')
  return sections.arch
}

describe('architecture', () => {
  it('keeps a declared n_banks (absent when undeclared, whose default Timeloop and Accelergy differ on) and reads metadata_n_banks', () => {
    const a = arch(`architecture:
  version: 0.3
  subtree:
    - name: system
      local:
        - {name: Main, class: DRAM, attributes: {datawidth: 8}}
        - {name: Banked, class: storage, subclass: SRAM_MD, attributes: {depth: 512, width: 8, datawidth: 8, n_banks: 4, metadata_n_banks: 2, metadata_storage_depth: 64, metadata_storage_width: 8}}
        - {name: Plain, class: storage, subclass: SRAM_MD, attributes: {depth: 512, width: 8, datawidth: 8}}
        - {name: MAC, class: intmac, attributes: {datawidth: 8}}
`)
    const level = (name: string) => a.storage.find((s) => s.name === name)
    expect(level('Banked')).toMatchObject({ numBanks: 4, attributes: { metadata_n_banks: 2 } })
    // Undeclared: Timeloop's default is 2, Accelergy's 1; neither is filled in.
    expect(level('Plain')).not.toHaveProperty('numBanks')
    expect(() => arch(`arch:
  arithmetic: {name: MACs, instances: 1}
  storage:
    - {name: B, entries: 64, instances: 1, metadata_n_banks: 0}
`)).toThrow(/metadata_n_banks.*positive integer/)
  })

  it('reads the classic arithmetic/storage lists (innermost storage first)', () => {
    const a = arch(`arch:
  arithmetic: {name: MACs, instances: 16, word-bits: 16, meshX: 4}
  storage:
    - {name: RegisterFile, entries: 64, instances: 16, meshX: 4, word-bits: 16}
    - {name: GlobalBuffer, sizeKB: 64, instances: 1, word-bits: 16, block-size: 4}
    - {name: MainMemory, technology: DRAM, instances: 1, word-bits: 16}
`)
    expect(a.storage.map((s) => s.name)).toEqual(['MainMemory', 'GlobalBuffer', 'RegisterFile'])
    expect(a.storage[0]?.technology).toBe('DRAM')
    expect(a.storage[1]?.capacityWords).toBe(32768)
    expect(a.storage[2]).toMatchObject({ capacityWords: 64, instances: 16, meshX: 4, meshY: 4 })
    expect(a.compute).toMatchObject({ name: 'MACs', instances: 16, meshX: 4, meshY: 4, wordBits: 16 })
  })

  it('inherits subtree attributes, own attributes winning in any spelling', () => {
    const a = arch(`architecture:
  version: 0.3
  subtree:
    - name: sys
      attributes: {technology: 45nm, datawidth: 8, block-size: 2}
      local:
        - {name: D, class: DRAM}
      subtree:
        - name: PE[0..7]
          local:
            - {name: B, class: regfile, attributes: {block_size: 1, depth: 16}}
            - {name: M, class: intmac}
`)
    expect(a.storage[0]).toMatchObject({ wordBits: 8, blockSize: 2, attributes: { technology: '45nm' } })
    expect(a.storage[1]).toMatchObject({ wordBits: 8, blockSize: 1, capacityWords: 16, instances: 8, path: 'sys.PE[0..7].B' })
    expect(a.compute).toMatchObject({ wordBits: 8, instances: 8 })
  })

  it("derives block and cluster size from the width as Timeloop's ParseSpecs does", () => {
    const a = arch(`architecture:
  version: 0.3
  subtree:
    - name: s
      local:
        - {name: W, class: SRAM, attributes: {datawidth: 8, width: 64, depth: 10}}
        - {name: C, class: SRAM, attributes: {datawidth: 8, width: 64, cluster-size: 2, depth: 10}}
        - {name: K, class: SRAM, attributes: {datawidth: 8, memory_width: 64, block_size: 2, depth: 10}}
        - {name: E, class: SRAM, attributes: {datawidth: 8, width: 64, entries: 10, depth: 99}}
        - {name: X, class: SRAM, attributes: {word-bits: 8, bandwidth: 4, num-banks: 4, n_ports: 1, multiple-buffering: 2}}
        - {name: M, class: compute}
`)
    expect(a.storage.map((s) => [s.blockSize, s.clusterSize, s.capacityWords])).toEqual([[8, 1, 80], [4, 2, 40], [2, 4, 20], [8, 1, 10], [1, 1, null]])
    expect(a.storage[4]).toMatchObject({ readBandwidthWordsPerCycle: 2, writeBandwidthWordsPerCycle: 2, numBanks: 4, numPorts: 1, multipleBuffering: 2 })
  })
})
