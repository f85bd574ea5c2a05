// The page: choose a study, run the co-search in a worker with live progress and cancel, read the
// results and plots, edit one tensor's format, share and download. Presentation only: every
// number comes from the engine in a worker.
import { memo } from 'preact/compat'
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { Catalog, LayerResult, SearchPoint, SearchProgressEvent, StudyOutline } from './engine'
import { createClient, proxy, type Client } from './client'
import { DEFAULT_STUDY, parseStudy, type FormatEdit, type Study } from './study'
import { decodeStudy, encodeStudy } from './share'
import { countText, energyText, savingText } from './units'
import { PlotView, whenIdle } from './plot-view'
import { baselinesPlot, energyByLevelPlot, searchPointsPlot, type BaselineRow, type LevelEnergyRow, type PointRow } from './plots'
import { FormatEditor } from './format-editor'

/** A change of the study; a key set to undefined is removed. */
type StudyPatch = { [K in keyof Study]?: Study[K] | undefined }

type RunState = 'idle' | 'running' | 'cancelled' | 'done' | 'failed'


interface LivePoint extends SearchPoint {
  readonly layer: string
}

const layerLabel = (names: readonly string[]): string => (names.length <= 2 ? names.join(', ') : `${names[0] ?? ''} (+${names.length - 1} same shape)`)

const download = (name: string, text: string, type: string): void => {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

const fileSlug = (text: string): string => text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-|-$/g, '')

export const App = () => {
  const client = useRef<Client | null>(null)
  if (client.current === null) client.current = createClient()
  const [catalog, setCatalog] = useState<Catalog | null>(null)
  const [study, setStudy] = useState<Study>(DEFAULT_STUDY)
  const [outline, setOutline] = useState<StudyOutline | null>(null)
  // One message per source, so fixing the study does not hide a bad link's message and vice versa.
  const [problems, setProblems] = useState<Partial<Record<'link' | 'outline' | 'files' | 'run', string>>>({})
  const report = (source: 'link' | 'outline' | 'files' | 'run', message: string | null): void =>
    setProblems((p) => {
      const next = { ...p }
      if (message === null) delete next[source]
      else next[source] = message
      return next
    })
  const problem = Object.values(problems).length > 0 ? Object.values(problems).join('\n') : null
  const [notice, setNotice] = useState<string | null>(null)
  const [run, setRun] = useState<RunState>('idle')
  const [progress, setProgress] = useState<{ event: SearchProgressEvent | null; position: number; total: number } | null>(null)
  const [results, setResults] = useState<LayerResult[]>([])
  const [points, setPoints] = useState<LivePoint[]>([])
  const [firstResultMs, setFirstResultMs] = useState<number | null>(null)
  const [elapsedMs, setElapsedMs] = useState<number | null>(null)
  const runToken = useRef(0)
  // Points arrive with every progress event (~100 ms); they are plotted when a layer ends or the
  // search is cancelled, because drawing a plot is the one long task of the main thread and a
  // click on Cancel must never wait behind it.
  const pointBuffer = useRef<LivePoint[]>([])
  const flushPoints = (): void => {
    const fresh = pointBuffer.current
    pointBuffer.current = []
    if (fresh.length > 0) setPoints((ps) => [...ps, ...fresh])
  }
  const cancelRun = useRef<(() => void) | null>(null)
  const [loaded, setLoaded] = useState(false)

  // Plot's code is compiled on first use (a few hundred ms on a busy machine): do it once while the
  // page is idle, so the first live plot of a search does not stall the page.
  useEffect(() => whenIdle(() => void searchPointsPlot([{ layer: '', energyPJ: 1, cycles: 1, stage: '' }], [], document)), [])

  // Start-up: the catalog, then the study from the link (if any).
  useEffect(() => {
    void (async () => {
      setCatalog(await client.current!.editor.catalog())
      const shared = await decodeStudy(location.hash)
      if (shared?.ok === true) setStudy(shared.study)
      else if (shared?.ok === false) report('link', shared.message)
      setLoaded(true)
    })()
  }, [])

  // The outline (distinct layers) follows the workload, sparsity and accelerator.
  const outlineKey = JSON.stringify([study.workload, study.sparsity, study.arch])
  useEffect(() => {
    if (!loaded) return
    let live = true
    void client.current!.editor.outline(study).then((answer) => {
      if (!live) return
      if (answer.ok) {
        setOutline(answer.value)
        report('outline', null)
        const count = answer.value.layers.length
        const layers = study.layers.filter((i) => i < count)
        if (layers.length !== study.layers.length || study.focus >= count) setStudy((s) => ({ ...s, layers: layers.length > 0 ? layers : [0], focus: Math.min(s.focus, count - 1) }))
      } else {
        setOutline(null)
        report('outline', answer.message)
      }
    })
    return () => {
      live = false
    }
  }, [outlineKey, loaded])

  // The link always holds the current study.
  useEffect(() => {
    if (!loaded) return
    void encodeStudy(study).then((hash) => history.replaceState(null, '', hash))
  }, [study, loaded])

  // Stable callbacks: progress events re-render the page every ~100 ms during a search, and the
  // memoised sections below must see unchanged props to skip that work.
  // A key patched to undefined is removed (a menu choice replacing a spec's densities or files).
  const update = useCallback((patch: StudyPatch): void => setStudy((s) => Object.fromEntries(Object.entries({ ...s, ...patch }).filter(([, v]) => v !== undefined)) as Study), [])
  const onEdit = useCallback((layer: number, format: FormatEdit): void => {
    update({ focus: layer, format })
    document.querySelector('[data-testid=format-editor]')?.scrollIntoView({ behavior: 'smooth' })
  }, [])

  const onFiles = useCallback(async (files: readonly File[]): Promise<void> => {
    setNotice(null)
    report('files', null)
    const setProblem = (message: string): void => report('files', message)
    const texts = await Promise.all(files.map(async (f) => ({ fileName: f.name, text: await f.text() })))
    const json = texts.filter((t) => /\.json$/i.test(t.fileName))
    const yamls = texts.filter((t) => /\.ya?ml$/i.test(t.fileName))
    const other = texts.filter((t) => !json.includes(t) && !yamls.includes(t))
    if (other.length > 0) {
      setProblem(`cannot read ${other.map((o) => o.fileName).join(', ')}: drop Timeloop .yaml files or a SnipSnap study .json`)
      return
    }
    // A CLI study spec (`snipsnap explore --spec`), YAML or JSON, is read in the worker.
    const spec = await client.current!.editor.readDroppedSpec(texts, study)
    if (spec !== null) {
      if (!spec.ok) {
        setProblem(spec.message)
        return
      }
      setStudy(spec.study)
      setNotice(`Loaded the study spec ${texts[0]?.fileName ?? ''}.${spec.notes.map((n) => ` Note: ${n}.`).join('')}`)
      return
    }
    if (json.length > 0) {
      const file = json[0]!
      let value: unknown
      try {
        value = JSON.parse(file.text)
      } catch (error) {
        setProblem(`${file.fileName} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
        return
      }
      const parsed = parseStudy(value)
      if (!parsed.ok) {
        setProblem(`${file.fileName}: ${parsed.message}`)
        return
      }
      setStudy(parsed.study)
      setNotice(`Loaded the study in ${file.fileName}.`)
      return
    }
    const candidate: Study = { ...study, workload: { kind: 'timeloop', files: yamls }, layers: [0], focus: 0 }
    const answer = await client.current!.editor.outline(candidate)
    if (!answer.ok) {
      setProblem(`The dropped Timeloop files were not loaded: ${answer.message}`)
      return
    }
    setOutline(answer.value)
    setStudy(candidate)
    setNotice(`Loaded a Timeloop design from ${yamls.map((y) => y.fileName).join(', ')}.`)
  }, [study])

  const start = async (): Promise<void> => {
    if (outline === null) return
    const token = ++runToken.current
    report('run', null)
    const selected = [...study.layers].sort((a, b) => a - b).filter((i) => i < outline.layers.length)
    const t0 = performance.now()
    setRun('running')
    setResults([])
    pointBuffer.current = []
    setPoints([])
    setFirstResultMs(null)
    setElapsedMs(null)
    const cancelled = new Promise<'cancelled'>((resolve) => {
      cancelRun.current = () => resolve('cancelled')
    })
    const done: LayerResult[] = []
    for (const [position, index] of selected.entries()) {
      const label = layerLabel(outline.layers[index]?.names ?? [])
      setProgress({ event: null, position, total: selected.length })
      const onProgress = (event: SearchProgressEvent): void => {
        if (runToken.current !== token) return
        if (event.bestEnergyPJ !== null) setFirstResultMs((ms) => ms ?? performance.now() - t0)
        setProgress({ event, position, total: selected.length })
        if (event.points.length > 0) pointBuffer.current.push(...event.points.map((p) => ({ ...p, layer: label })))
      }
      const answer = await Promise.race([client.current!.search().searchLayer(study, index, proxy(onProgress)), cancelled])
      flushPoints()
      if (answer === 'cancelled' || runToken.current !== token) return
      if (!answer.ok) {
        report('run', answer.message)
        setRun('failed')
        return
      }
      done.push(answer.value)
      setResults([...done])
    }
    setElapsedMs(performance.now() - t0)
    setRun('done')
  }

  const cancel = (): void => {
    runToken.current++
    client.current!.cancelSearch()
    flushPoints()
    cancelRun.current?.()
    setRun('cancelled')
  }

  const focusLayer = outline?.layers[study.focus] ?? null
  const focusResult = results.find((r) => r.index === study.focus) ?? null

  return (
    <main>
      <header>
        <h1>SnipSnap: sparse accelerator explorer</h1>
        <p class="lead">
          Pick an LLM layer, how sparse its tensors are and an accelerator; SnipSnap then searches how the layer runs on the chip (the
          <em> dataflow</em>: loop order and tiling) together with how each sparse tensor is stored (the <em>compression format</em>), and
          reports the energy and cycles of the best design it finds. Everything runs in your browser; nothing is uploaded.
        </p>
      </header>

      {problem !== null && (
        <div class="problem" role="alert" data-testid="problem">
          <strong>Problem: </strong>
          {problem}
        </div>
      )}
      {notice !== null && problem === null && <div class="notice">{notice}</div>}

      <section class="card">
        <h2>1. What to run</h2>
        <StudyForm catalog={catalog} study={study} update={update} onFiles={onFiles} />
      </section>

      <section class="card">
        <h2>2. Layers</h2>
        <p class="hint">
          Layers of the same shape and sparsity are searched once. {outline !== null && <>Accelerator: <strong>{outline.archName}</strong>. {outline.title}.</>}
        </p>
        {outline !== null && (
          <LayerTable outline={outline} study={study} update={update} />
        )}
      </section>

      <section class="card">
        <h2>3. Search</h2>
        <p class="hint">
          Each layer: a dataflow search with uncompressed tensors ({study.evaluations} evaluations), formats chosen for the best two dataflows, then one
          refinement round that searches the dataflow again under those formats. Cancel stops at once and keeps what was found.
        </p>
        <div class="row">
          <button class="primary" data-testid="run" disabled={run === 'running' || outline === null || study.layers.length === 0} onClick={() => void start()}>
            Run search
          </button>
          <button data-testid="cancel" disabled={run !== 'running'} onClick={cancel}>
            Cancel
          </button>
          <span data-testid="run-state" data-state={run} data-first-result-ms={firstResultMs === null ? '' : firstResultMs.toFixed(0)} data-elapsed-ms={elapsedMs === null ? '' : elapsedMs.toFixed(0)}>
            {run === 'running' && 'Searching…'}
            {run === 'cancelled' && 'Cancelled: results so far are shown below.'}
            {run === 'done' && `Done in ${((elapsedMs ?? 0) / 1000).toFixed(1)} s.`}
            {run === 'failed' && 'The search stopped with a problem (see above).'}
          </span>
        </div>
        {progress !== null && run !== 'idle' && outline !== null && (
          <ProgressView progress={progress} outline={outline} study={study} firstResultMs={firstResultMs} running={run === 'running'} />
        )}
      </section>

      {(results.length > 0 || points.length > 0) && (
        <Results results={results} points={points} study={study} outline={outline} onEdit={onEdit} />
      )}

      <section class="card">
        <h2>5. Edit one tensor's format</h2>
        {outline !== null && focusLayer !== null ? (
          <FormatEditor client={client.current} study={study} outline={outline} layer={focusLayer} result={focusResult} update={update} />
        ) : (
          <p class="hint">Choose a study first.</p>
        )}
      </section>

      <section class="card">
        <h2>Share and download</h2>
        <p class="hint">The link below holds this exact study (choices, layers, format and any dropped files); whoever opens it sees the same page and can rerun the same seeded search.</p>
        <div class="row">
          <button data-testid="copy-link" onClick={() => void navigator.clipboard?.writeText(location.href).then(() => setNotice('Link copied.'), () => setNotice('Copy the address bar: it holds the study.'))}>
            Copy share link
          </button>
          <button onClick={() => download('snipsnap-study.json', `${JSON.stringify(study, null, 2)}\n`, 'application/json')}>Download study (.json)</button>
          <button data-testid="download-json" disabled={results.length === 0} onClick={() => download('snipsnap-results.json', `${JSON.stringify({ study, outline, results }, null, 2)}\n`, 'application/json')}>
            Download results (.json)
          </button>
        </div>
      </section>
      <footer>
        SnipSnap follows the SnipSnap paper (ASP-DAC 2026) and the Sparseloop cost model (MICRO 2022). The tile drawn in the editor comes from the stories260K
        checkpoint of llama2.c (MIT licence).
      </footer>
    </main>
  )
}

const StudyForm = memo(({ catalog, study, update, onFiles }: { catalog: Catalog | null; study: Study; update: (p: StudyPatch) => void; onFiles: (files: readonly File[]) => Promise<void> }) => {
  const [dragging, setDragging] = useState(false)
  const kind = study.workload.kind
  const sparsity = catalog?.sparsity.find((s) => s.id === study.sparsity)
  const arch = catalog?.archs.find((a) => a.id === study.arch)
  const gemmText = study.workload.kind === 'gemms' ? study.workload.text : 'q_proj 2048 4096 4096 32\ndown_proj 2048 11008 4096 32\n'
  const gemmWorkload = study.workload.kind === 'gemms' ? study.workload : { kind: 'gemms' as const, text: gemmText }
  return (
    <div class="form">
      <fieldset>
        <legend>Workload</legend>
        <label><input type="radio" name="kind" checked={kind === 'zoo'} onChange={() => update({ workload: { kind: 'zoo', model: 'llama-2-7b', phase: 'prefill' }, layers: [0], focus: 0 })} /> a model from the zoo</label>
        <label><input type="radio" name="kind" checked={kind === 'gemms'} onChange={() => update({ workload: { kind: 'gemms', text: gemmText }, layers: [0], focus: 0 })} /> my own GEMM list</label>
        <label><input type="radio" name="kind" checked={kind === 'timeloop'} disabled={kind !== 'timeloop'} /> dropped Timeloop files</label>
        {study.workload.kind === 'zoo' && (
          <div class="row">
            <label>
              Model{' '}
              <select data-testid="model" value={study.workload.model} onChange={(e) => update({ workload: { kind: 'zoo', model: e.currentTarget.value, phase: study.workload.kind === 'zoo' ? study.workload.phase : 'prefill' }, layers: [0], focus: 0 })}>
                {(catalog?.models ?? []).map((m) => <option value={m.id}>{m.label}</option>)}
              </select>
            </label>
            <label>
              Phase{' '}
              <select data-testid="phase" value={study.workload.phase} onChange={(e) => update({ workload: { kind: 'zoo', model: study.workload.kind === 'zoo' ? study.workload.model : 'llama-2-7b', phase: e.currentTarget.value as 'prefill' | 'decode' }, layers: [0], focus: 0 })}>
                <option value="prefill">prefill (whole prompt at once)</option>
                <option value="decode">decode (one new token)</option>
              </select>
            </label>
          </div>
        )}
        {study.workload.kind === 'gemms' && (
          <label class="block">
            One GEMM per line: <code>name M K N [count]</code> (M tokens × K inputs × N outputs; count = runs per forward pass)
            <textarea data-testid="gemms" rows={4} value={study.workload.text} onInput={(e) => update({ workload: { ...gemmWorkload, text: e.currentTarget.value } })} />
          </label>
        )}
        {study.workload.kind === 'gemms' && (
          <label>
            Phase{' '}
            <select data-testid="gemm-phase" value={study.workload.phase ?? 'prefill'} onChange={(e) => {
              const phase = e.currentTarget.value as 'prefill' | 'decode'
              const { phase: _old, ...rest } = gemmWorkload
              update({ workload: phase === 'decode' ? { ...rest, phase } : rest })
            }}>
              <option value="prefill">prefill (sparsity presets as for a prompt)</option>
              <option value="decode">decode (sparsity presets as for one new token)</option>
            </select>
          </label>
        )}
        {study.workload.kind === 'timeloop' && (
          <p class="hint">Design from {study.workload.files.map((f) => f.fileName).join(', ')} (its own architecture, problem, energy table and constraints).</p>
        )}
        <div
          class={`drop ${dragging ? 'dragging' : ''}`}
          data-testid="drop"
          onDragOver={(e) => {
            e.preventDefault()
            setDragging(true)
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault()
            setDragging(false)
            void onFiles([...(e.dataTransfer?.files ?? [])])
          }}
        >
          Drop Timeloop/Sparseloop YAML files (architecture, problem, ERT, constraints…), a SnipSnap study spec (the YAML or JSON of <code>snipsnap explore --spec</code>) or a study saved by this page (.json) here, or{' '}
          <label class="link">
            choose files
            <input type="file" data-testid="file-input" multiple accept=".yaml,.yml,.json" hidden onChange={(e) => void onFiles([...(e.currentTarget.files ?? [])])} />
          </label>
          .
        </div>
      </fieldset>
      <fieldset>
        <legend>Sparsity and accelerator</legend>
        <label class="block">
          Sparsity{' '}
          {/* A menu choice is the whole sparsity: it replaces a spec's densities per tensor too. */}
          <select data-testid="sparsity" value={study.sparsity} disabled={kind === 'timeloop'} onChange={(e) => update({ sparsity: e.currentTarget.value, densities: undefined })}>
            {(catalog?.sparsity ?? []).map((s) => <option value={s.id}>{s.id}</option>)}
            {/* Several presets together (from a spec or a link) are one choice of their own. */}
            {catalog !== null && !catalog.sparsity.some((s) => s.id === study.sparsity) && <option value={study.sparsity}>{study.sparsity.split(',').join(' + ')}</option>}
          </select>
          <span class="hint"> {kind === 'timeloop' ? 'the design states its own densities' : sparsity?.description}</span>
          {kind !== 'timeloop' && study.densities !== undefined && (
            <span class="hint" data-testid="spec-densities"> then densities per tensor from the spec: {study.densities.map((d) => Object.entries(d).map(([role, t]) => `${role} ${t.density}${t.distribution === undefined ? '' : ` (${t.distribution})`}`).join(', ')).join('; ')}</span>
          )}
        </label>
        <label class="block">
          Accelerator{' '}
          {/* The Timeloop files a spec named are a choice of their own; a preset replaces them. */}
          <select data-testid="arch" value={study.archFiles !== undefined ? '__timeloop-files__' : study.arch} disabled={kind === 'timeloop'} onChange={(e) => { if (e.currentTarget.value !== '__timeloop-files__') update({ arch: e.currentTarget.value, archFiles: undefined }) }}>
            {(catalog?.archs ?? []).map((a) => <option value={a.id}>{a.id}</option>)}
            {study.archFiles !== undefined && <option value="__timeloop-files__">Timeloop files: {study.archFiles.map((f) => f.fileName).join(', ')}</option>}
          </select>
          <span class="hint"> {kind === 'timeloop' ? 'the design brings its own' : study.archFiles !== undefined ? "the spec's Timeloop architecture files" : arch?.summary}</span>
        </label>
      </fieldset>
      <fieldset>
        <legend>Search settings</legend>
        <div class="row">
          <label>
            Minimise{' '}
            <select data-testid="objective" value={study.objective} onChange={(e) => update({ objective: e.currentTarget.value as Study['objective'] })}>
              <option value="energy">energy</option>
              <option value="cycles">cycles (latency)</option>
              <option value="edp">energy × cycles</option>
            </select>
          </label>
          <label>
            Evaluations per dataflow search{' '}
            <input data-testid="evaluations" type="number" min={1} max={100000} value={study.evaluations} onInput={(e) => {
              const n = Number(e.currentTarget.value)
              if (Number.isSafeInteger(n) && n >= 1 && n <= 100_000) update({ evaluations: n })
            }} />
          </label>
          <label>
            Seed{' '}
            <input type="number" min={0} value={study.seed} onInput={(e) => {
              const n = Number(e.currentTarget.value)
              if (Number.isSafeInteger(n) && n >= 0) update({ seed: n })
            }} />
          </label>
        </div>
        <p class="hint">More evaluations find better designs and take longer; the same seed replays the same search.</p>
        {study.patience !== undefined && (
          <p class="hint" data-testid="patience">
            Each dataflow search also stops after {study.patience} evaluations in a row without improvement (the spec's search.patience).{' '}
            <button type="button" onClick={() => update({ patience: undefined })}>run every evaluation</button>
          </p>
        )}
      </fieldset>
    </div>
  )
})

const LayerTable = memo(({ outline, study, update }: { outline: StudyOutline; study: Study; update: (p: Partial<Study>) => void }) => {
  const all = outline.layers.length > 0 && outline.layers.every((l) => study.layers.includes(l.index))
  return (
    <>
      <div class="row">
        <button onClick={() => update({ layers: all ? [outline.layers[0]?.index ?? 0] : outline.layers.map((l) => l.index) })}>{all ? 'Select only the first' : 'Select all layers'}</button>
        <span class="hint">{study.layers.length} of {outline.layers.length} selected. The whole-model total appears when every layer is searched.</span>
      </div>
      <table data-testid="layers">
        <thead>
          <tr>
            <th>search</th>
            <th>layer (GEMMs of this shape)</th>
            <th title="M rows (tokens) × K reduction × N outputs">shape</th>
            <th title="how many times this GEMM runs in one forward pass">runs</th>
            <th>tensors (share of non-zeros)</th>
          </tr>
        </thead>
        <tbody>
          {outline.layers.map((l) => (
            <tr key={l.index}>
              <td>
                <input type="checkbox" aria-label={`search ${l.names[0] ?? ''}`} checked={study.layers.includes(l.index)} onChange={(e) => {
                  const on = e.currentTarget.checked
                  update({ layers: on ? [...study.layers, l.index].sort((a, b) => a - b) : study.layers.filter((i) => i !== l.index) })
                }} />
              </td>
              <td>{l.names.join(', ')}</td>
              <td>{l.shapeText}</td>
              <td>{countText(l.count)}</td>
              <td>{l.tensors.map((t) => `${t.name} ${t.role} ${t.density < 1 ? `${(t.density * 100).toFixed(0)}%` : 'dense'}`).join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
})

const ProgressView = ({ progress, outline, study, firstResultMs, running }: { progress: { event: SearchProgressEvent | null; position: number; total: number }; outline: StudyOutline; study: Study; firstResultMs: number | null; running: boolean }) => {
  const { event, position, total } = progress
  const layer = outline.layers[[...study.layers].sort((a, b) => a - b)[position] ?? 0]
  const stageText: Record<string, string> = {
    dataflow: 'searching dataflows (uncompressed tensors)',
    formats: 'choosing compression formats for the best dataflows',
    'refine-dataflow': 'searching dataflows again under the chosen formats',
    'refine-formats': 're-choosing formats for the refined dataflows',
    done: 'finishing (energy by level, fixed-format comparison)',
  }
  // Stage 1 and the refinement each run `evaluations`; the format stages add a handful.
  const expected = 2 * study.evaluations + 5
  return (
    <div class="progress" data-testid="progress">
      <div>
        Layer {position + 1} of {total}: <strong>{layerLabel(layer?.names ?? [])}</strong> — {event === null ? 'starting' : stageText[event.stage] ?? event.stage}
      </div>
      <progress max={expected} value={Math.min(expected, event?.evaluated ?? 0)} />
      <div data-testid="best-so-far">
        {event?.evaluated ?? 0} mappings evaluated on this layer.{' '}
        {event?.bestEnergyPJ != null ? (
          <>
            Best so far: <strong>{energyText(event.bestEnergyPJ)}</strong> and {countText(event.bestCycles)} cycles per run.
          </>
        ) : (
          'No valid design yet.'
        )}
        {firstResultMs !== null && <span class="hint"> First result {(firstResultMs / 1000).toFixed(2)} s after pressing run.</span>}
        {!running && <span class="hint"> (stopped)</span>}
      </div>
    </div>
  )
}

const Results = memo(({ results, points, study, outline, onEdit }: { results: readonly LayerResult[]; points: readonly LivePoint[]; study: Study; outline: StudyOutline | null; onEdit: (layer: number, format: FormatEdit) => void }) => {
  const complete = outline !== null && results.length === outline.layers.length && results.every((r) => r.energyPJ !== null)
  const total = results.reduce((s, r) => s + (r.energyPJ ?? 0) * r.count, 0)
  const totalDataflowOnly = results.reduce((s, r) => s + (r.dataflowOnlyEnergyPJ ?? r.energyPJ ?? 0) * r.count, 0)
  const levelRows: LevelEnergyRow[] = useMemo(() => results.flatMap((r) => r.levels.map((l) => ({ layer: layerLabel(r.names), level: l.level, energyPJ: l.energyPJ }))), [results])
  const pointRows: PointRow[] = useMemo(() => points.map((p) => ({ layer: p.layer, energyPJ: p.energyPJ, cycles: p.cycles, stage: p.stage === 'dataflow' ? 'first dataflow search' : 'refinement search' })), [points])
  const chosenRows: PointRow[] = useMemo(() => results.flatMap((r) => (r.energyPJ !== null && r.cycles !== null ? [{ layer: layerLabel(r.names), energyPJ: r.energyPJ, cycles: r.cycles, stage: 'chosen' }] : [])), [results])
  const baselineRows: BaselineRow[] = useMemo(
    () =>
      results.flatMap((r) =>
        r.energyPJ === null
          ? []
          : [
              { layer: layerLabel(r.names), format: 'chosen (co-search)', energyPJ: r.energyPJ, chosen: true },
              ...r.baselines.flatMap((b) => (b.energyPJ === null ? [] : [{ layer: layerLabel(r.names), format: b.name, energyPJ: b.energyPJ, chosen: false }])),
            ],
      ),
    [results],
  )
  const bestFixed = (r: LayerResult): { name: string; energyPJ: number } | null =>
    r.baselines.reduce<{ name: string; energyPJ: number } | null>((best, b) => (b.energyPJ !== null && (best === null || b.energyPJ < best.energyPJ) ? { name: b.name, energyPJ: b.energyPJ } : best), null)
  return (
    <section class="card" data-testid="results">
      <h2>4. Results</h2>
      {results.length > 0 && (
        <>
          <p class="lead" data-testid="summary">
            {complete ? 'Whole model' : `The ${results.length} searched layer${results.length > 1 ? 's' : ''}`}: <strong>{energyText(total)}</strong> per forward pass
            (each layer's energy × how often it runs), against {energyText(totalDataflowOnly)} with the best dataflow and no compression
            ({savingText(total, totalDataflowOnly)}).
          </p>
          <table data-testid="result-table">
            <thead>
              <tr>
                <th>layer</th>
                <th>shape M×K×N</th>
                <th>energy per run</th>
                <th>cycles per run</th>
                <th title="the best dataflow with every tensor uncompressed">vs no compression</th>
                <th title="the best of the fixed formats (bitmap, CSR, COO, RLE, uncompressed) on the same dataflow">vs best fixed format</th>
                <th>chosen formats (level: tensor format, ranks outer → inner; K:8 = a loop of 8 over K)</th>
                <th>download</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => {
                const fixed = bestFixed(r)
                return (
                  <tr key={r.index}>
                    <td>{layerLabel(r.names)}{r.count > 1 && <span class="hint"> ×{countText(r.count)} per pass</span>}</td>
                    <td>{r.shapeText}</td>
                    <td>{r.reason ?? energyText(r.energyPJ)}</td>
                    <td>{countText(r.cycles)}</td>
                    <td>{savingText(r.energyPJ, r.dataflowOnlyEnergyPJ)}</td>
                    <td>{fixed === null ? '—' : `${savingText(r.energyPJ, fixed.energyPJ)} (${fixed.name})`}</td>
                    <td>
                      {r.formats.length === 0
                        ? 'all uncompressed'
                        : r.formats.map((f) => (
                            <div>
                              {f.level}: {f.tensor} <code>{f.pattern ?? f.format}</code>{' '}
                              {f.pattern !== null && (
                                <button class="small" title="open this format in the editor below" onClick={() => onEdit(r.index, { tensor: f.tensor, level: f.level, pattern: f.pattern ?? '' })}>
                                  edit
                                </button>
                              )}
                            </div>
                          ))}
                    </td>
                    <td>
                      {r.designYaml !== null && (
                        <button data-testid="download-yaml" onClick={() => download(`${fileSlug(r.names[0] ?? `layer-${r.index}`)}.timeloop.yaml`, r.designYaml ?? '', 'application/yaml')}>
                          Timeloop YAML
                        </button>
                      )}
                      {r.designYaml === null && r.designYamlNote !== null && <span data-testid="yaml-note" title={r.designYamlNote}>{r.designYamlNote}</span>}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          <p class="hint">
            Formats: U = uncompressed rank, UOP = uncompressed with offsets, CP = coordinates of the non-zeros, B = bitmask, RLE = run lengths, UB = uncompressed bitmask.
            "Timeloop YAML" is the chosen design (architecture, problem, mapping, formats, energy table) for Timeloop/Sparseloop or <code>snipsnap evaluate</code>.
          </p>
        </>
      )}
      <div class="plots">
        {levelRows.length > 0 && (
          <figure>
            <figcaption>Where the energy goes: one run of each layer, split by memory level and compute.</figcaption>
            <PlotView testId="plot-levels" render={(doc) => energyByLevelPlot(levelRows, doc)} deps={[levelRows]} />
          </figure>
        )}
        {pointRows.length > 0 && (
          <figure>
            <figcaption>Every valid design the searches evaluated (lower left is better); stars are the chosen designs.</figcaption>
            <PlotView testId="plot-points" render={(doc) => searchPointsPlot(pointRows, chosenRows, doc)} deps={[pointRows, chosenRows]} />
          </figure>
        )}
        {baselineRows.length > 0 && (
          <figure>
            <figcaption>Chosen formats against each fixed format, all on the chosen dataflow (shorter is better).</figcaption>
            <PlotView testId="plot-baselines" render={(doc) => baselinesPlot(baselineRows, doc)} deps={[baselineRows]} />
          </figure>
        )}
      </div>
      <p class="hint">Objective: {study.objective === 'edp' ? 'energy × cycles' : study.objective}. Energies are per single run of a layer unless stated; pJ, nJ, µJ, mJ and J scale by 1000.</p>
    </section>
  )
})
