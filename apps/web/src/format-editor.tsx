// The format editor: one tensor of one layer, stored at one memory level in a pattern typed by the
// person (e.g. `UOP(K)-CP(N)`). Bits, metadata share and the layer's energy update as they type
// (computed in the editor's worker), and the encoding of a small real tile is drawn word by word.
import { memo } from 'preact/compat'
import { useEffect, useState } from 'preact/hooks'
import type { FormatEvaluation, LayerResult, StudyLayer, StudyOutline, TileEncoding } from './engine'
import type { Client } from './client'
import type { Study } from './study'
import { bitsText, energyText, percentText, savingText } from './units'
import tileFixture from './data/stories260k-tile.json'

const presetsFor = (dims: readonly string[]): readonly { readonly name: string; readonly pattern: string }[] => {
  const [outer = 'K', inner = 'N'] = dims
  return [
    { name: 'CSR', pattern: `UOP(${outer})-CP(${inner})` },
    { name: 'bitmap', pattern: `U(${outer})-B(${inner})` },
    { name: 'COO', pattern: `CP(${outer},${inner})` },
    { name: 'RLE', pattern: `U(${outer})-RLE(${inner})` },
    { name: 'two-level bitmap', pattern: `B(${outer})-B(${inner})` },
  ]
}

/** The real tile in the tensor's orientation: weights B are K×N, the checkpoint stores [out, in] = N×K. */
const tileFor = (tensor: string): { shape: number[]; values: number[] } => {
  const [rows, cols] = tileFixture.shape as [number, number]
  if (tensor !== 'B') return { shape: [rows, cols], values: [...tileFixture.values] }
  const values: number[] = []
  for (let r = 0; r < cols; r++) for (let c = 0; c < rows; c++) values.push(tileFixture.values[c * cols + r] ?? 0)
  return { shape: [cols, rows], values }
}

export const FormatEditor = memo(({ client, study, outline, layer, result, update }: { client: Client; study: Study; outline: StudyOutline; layer: StudyLayer; result: LayerResult | null; update: (p: Partial<Study>) => void }) => {
  const editable = layer.tensors.filter((t) => t.dims !== null)
  const sparsest = [...editable].sort((a, b) => a.density - b.density)[0]
  const [evaluation, setEvaluation] = useState<FormatEvaluation | null>(null)
  // Until the person types: the format the search chose for the sparsest tensor at the outermost
  // level, else a pattern that fits the level's loops.
  const defaultTensor = sparsest?.name ?? ''
  const defaultLevel = layer.levels[0] ?? ''
  const chosenPattern = result?.formats.find((f) => f.tensor === defaultTensor && f.level === defaultLevel)?.pattern ?? null
  const suggested = chosenPattern ?? evaluation?.structure?.suggestions[0]?.pattern
  const edit = study.format !== undefined && editable.some((t) => t.name === study.format?.tensor) && layer.levels.includes(study.format.level)
    ? study.format
    : { tensor: defaultTensor, level: defaultLevel, pattern: suggested ?? presetsFor(sparsest?.dims ?? [])[0]?.pattern ?? '' }
  const tensor = editable.find((t) => t.name === edit.tensor) ?? null
  const structure = evaluation?.structure ?? null
  const [tile, setTile] = useState<TileEncoding | null>(null)
  const chosen = result?.chosen ?? null

  useEffect(() => {
    if (tensor === null) return
    let live = true
    const timer = setTimeout(() => {
      const request = { layer: layer.index, tensor: edit.tensor, level: edit.level, pattern: edit.pattern }
      void client.editor.evaluateFormat(study, request, chosen).then((e) => live && setEvaluation(e))
      void client.editor.encodeTile(edit.pattern, tensor.dims ?? [], tileFor(tensor.name)).then((t) => live && setTile(t))
    }, 40)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [JSON.stringify([edit, layer.index, study.workload, study.sparsity, study.arch, study.seed]), chosen])

  const set = (patch: Partial<typeof edit>): void => update({ format: { ...edit, ...patch } })
  const shapeText = (shape: readonly number[] | null | undefined): string => (shape ?? []).join('×')
  if (tensor === null) return <p class="hint">This layer has no tensor the editor can handle (every tensor is indexed by sums of dimensions).</p>

  return (
    <div data-testid="format-editor">
      <p class="hint">
        A format stores a sparse tensor rank by rank, outermost first: <code>UOP(K)-CP(N)</code> is CSR (offsets per row K, then the column coordinates N of the
        non-zeros). Type one; the numbers below follow as you type. Primitives: U uncompressed, UOP uncompressed with offsets, CP coordinates, B bitmask, RLE
        run lengths, UB uncompressed bitmask; <code>CP(K,N)</code> flattens two dimensions into one rank, <code>B(K:64)</code> takes a 64-wide part of K.
      </p>
      <div class="row">
        <label>
          Layer{' '}
          <select data-testid="format-layer" value={String(layer.index)} onChange={(e) => update({ focus: Number(e.currentTarget.value) })}>
            {outline.layers.map((l) => <option value={String(l.index)}>{l.names[0]} ({l.shapeText})</option>)}
          </select>
        </label>
        <label>
          Tensor{' '}
          <select data-testid="format-tensor" value={edit.tensor} onChange={(e) => {
            const next = editable.find((t) => t.name === e.currentTarget.value)
            set({ tensor: e.currentTarget.value, pattern: presetsFor(next?.dims ?? [])[0]?.pattern ?? edit.pattern })
          }}>
            {editable.map((t) => <option value={t.name}>{t.name}: {t.role} [{t.dims?.join('×')}], {t.density < 1 ? `${(t.density * 100).toFixed(0)}% non-zero` : 'dense'}</option>)}
          </select>
        </label>
        <label>
          Stored at{' '}
          <select data-testid="format-level" value={edit.level} onChange={(e) => set({ level: e.currentTarget.value })}>
            {layer.levels.map((l) => <option value={l}>{l}</option>)}
          </select>
        </label>
      </div>
      <div class="row">
        <label>
          Format{' '}
          <input data-testid="format-pattern" size={28} spellcheck={false} value={edit.pattern} onInput={(e) => set({ pattern: e.currentTarget.value })} />
        </label>
        {(structure?.suggestions ?? []).map((p) => (
          <button onClick={() => set({ pattern: p.pattern })} title={p.pattern}>{p.name}</button>
        ))}
        {presetsFor(tensor.dims ?? []).map((p) => (
          <button onClick={() => set({ pattern: p.pattern })} title={p.pattern}>{p.name}</button>
        ))}
      </div>
      {structure !== null && (
        <p class="hint" data-testid="format-structure">
          At {edit.level}, on {evaluation?.ok === true && evaluation.mappingSource === 'search' ? 'the dataflow the search chose' : 'a quick reference dataflow'}, {tensor.name} is held as a{' '}
          {shapeText(structure.tileShape)} tile walked by {structure.loops.length} loop{structure.loops.length === 1 ? '' : 's'} (outer → inner):{' '}
          <code>{structure.loops.map((l) => `${l.dim} ${l.size}`).join(' · ')}</code>. Sparseloop gives a format one rank per loop; adjacent loops over the
          same dimension may share one rank. The "-like" buttons write such a pattern.
        </p>
      )}
      {evaluation !== null && !evaluation.ok && (
        <div class="problem" role="alert" data-testid="format-problem">{evaluation.message}</div>
      )}
      {evaluation !== null && evaluation.ok && (
        <div class="row" style="align-items: flex-start">
          <table class="bits" data-testid="format-bits" style="max-width: 30rem">
            <caption class="hint" style="text-align:left">{tensor.name}'s tile at {edit.level} [{shapeText(evaluation.structure.tileShape)}] in <code>{evaluation.canonical}</code>, 16-bit values, {(tensor.density * 100).toFixed(0)}% non-zero (expected sizes)</caption>
            <tbody>
              <tr><td>data (stored values)</td><td>{bitsText(evaluation.bits.dataBits)}</td></tr>
              <tr><td>metadata (coordinates, masks, runs)</td><td>{bitsText(evaluation.bits.metadataBits)}</td></tr>
              <tr><td>payload (offsets into the next rank)</td><td>{bitsText(evaluation.bits.payloadBits)}</td></tr>
              <tr><td><strong>total</strong> (dense would be {bitsText(evaluation.bits.denseBits)})</td><td><strong>{bitsText(evaluation.bits.totalBits)}</strong></td></tr>
              <tr><td>metadata share (metadata + payload of total)</td><td data-testid="metadata-share">{percentText(evaluation.bits.metadataShare)}</td></tr>
            </tbody>
          </table>
          <div style="max-width: 30rem" data-testid="format-energy">
            <div>
              Energy of one run of the layer with {tensor.name} stored this way at {edit.level}:{' '}
              <strong>{evaluation.energyPJ === null ? 'not feasible' : energyText(evaluation.energyPJ)}</strong>
            </div>
            {evaluation.energyReason !== null && <div class="hint" data-testid="format-why">Why: {evaluation.energyReason}</div>}
            {/* Sparseloop's wording assumes its vocabulary; say what it means on this level's loops. */}
            {evaluation.energyReason !== null && /more compression ranks needed/.test(evaluation.energyReason) && (
              <div class="hint" data-testid="format-fix">
                {edit.level} walks {tensor.name}'s tile with {evaluation.structure.loops.length} loops (
                <code>{evaluation.structure.loops.map((l) => `${l.dim} ${l.size}`).join(' · ')}</code>); a format needs a rank for each of them (adjacent loops over
                one dimension may share one), and this one has too few. Try <code>{evaluation.structure.suggestions[0]?.pattern ?? ''}</code> (the "-like" buttons above write such patterns).
              </div>
            )}
            <div class="hint">
              {evaluation.mappingSource === 'search'
                ? `On the dataflow the search chose; with the search's own formats the layer takes ${energyText(evaluation.referenceEnergyPJ)} (${savingText(evaluation.energyPJ, evaluation.referenceEnergyPJ)}).`
                : `On a quick reference dataflow (no search yet; run the search to price formats on the best one); uncompressed it takes ${energyText(evaluation.referenceEnergyPJ)} (${savingText(evaluation.energyPJ, evaluation.referenceEnergyPJ)}).`}
            </div>
          </div>
        </div>
      )}
      <TileView tile={tile} tensorName={tensor.name} dims={tensor.dims ?? []} typed={edit.pattern} />
    </div>
  )
})

const TileView = ({ tile, tensorName, dims, typed }: { tile: TileEncoding | null; tensorName: string; dims: readonly string[]; typed: string }) => {
  const real = tileFor(tensorName)
  const [rows, cols] = real.shape as [number, number]
  return (
    <div data-testid="tile">
      <h3 style="font-size:1rem;margin:0.8rem 0 0.2rem">The format on a real {rows}×{cols} tile</h3>
      <p class="hint">
        Weights of the stories260K model ({tileFixture.tensor}, 50% magnitude-pruned) stand in for {tensorName}: rows are {dims[0]}, columns {dims[1]}. Below
        the tile, each rank's words as stored: <span class="word meta">metadata</span> <span class="word payload">payload (offsets)</span>{' '}
        <span class="word value">values</span>.
      </p>
      <div class="row" style="align-items: flex-start">
        <div class="grid" style={`grid-template-columns: repeat(${cols}, auto)`}>
          {real.values.map((v) => <div class={`cell ${v === 0 ? 'z' : 'nz'}`} title={String(v)}>{v === 0 ? '0' : v.toFixed(2)}</div>)}
        </div>
        <div data-testid="tile-encoding" style="flex:1; min-width: 18rem">
          {tile !== null && tile.ok && tile.pattern !== typed.replace(/\s+/g, '') && (
            <div class="hint">Drawn with <code>{tile.pattern}</code>: the innermost rank of each dimension of your format (its sizes are for the level's full tile), and an uncompressed rank over a dimension it leaves out.</div>
          )}
          {tile === null ? null : !tile.ok ? (
            <div class="hint">This pattern does not fit the {rows}×{cols} tile: {tile.reason}</div>
          ) : (
            <>
              {tile.ranks.map((r, i) => (
                <div>
                  <div class="hint">rank {i + 1} ({r.symbol}): {r.metadata.length} metadata words of {r.metadataWordBits} bits, {r.payload.length} payload words of {r.payloadWordBits} bits</div>
                  <div class="words">
                    {r.metadata.map((w) => <span class="word meta">{w}</span>)}
                    {r.payload.map((w) => <span class="word payload">{w}</span>)}
                  </div>
                </div>
              ))}
              <div class="hint">values: {tile.values.length} stored</div>
              <div class="words">{tile.values.map((v) => <span class="word value">{v.toFixed(2)}</span>)}</div>
              {tile.sizes !== null && (
                <div class="hint">
                  This tile: {tile.sizes.metadataBits} metadata bits, {tile.sizes.payloadBits} payload bits, {tile.sizes.dataBits} data bits (metadata share {percentText(tile.sizes.metadataShare)}).
                </div>
              )}
            </>
          )}
        </div>
      </div>
    </div>
  )
}
