// Mounts a plot element built by one of the plots.ts builders, rebuilding it when its data changes.
// Drawing waits for an idle moment of the main thread, and a newer drawing replaces a pending one,
// so live updates during a search never queue up behind each other or delay a click.
import { useEffect, useRef } from 'preact/hooks'

export const whenIdle = (run: () => void): (() => void) => {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(run, { timeout: 1000 })
    return () => cancelIdleCallback(id)
  }
  const id = setTimeout(run, 0)
  return () => clearTimeout(id)
}

export const PlotView = ({ render, deps, testId }: { render: (document: Document) => Element; deps: readonly unknown[]; testId: string }) => {
  const host = useRef<HTMLDivElement>(null)
  useEffect(() => whenIdle(() => host.current?.replaceChildren(render(document))), deps)
  return <div class="plot" data-testid={testId} ref={host} />
}
