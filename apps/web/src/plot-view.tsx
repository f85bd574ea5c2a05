// Mounts a plot element built by one of the plots.ts builders, rebuilding it when its data changes.
import { useEffect, useRef } from 'preact/hooks'

export const PlotView = ({ render, deps, testId }: { render: (document: Document) => Element; deps: readonly unknown[]; testId: string }) => {
  const host = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const element = render(document)
    host.current?.replaceChildren(element)
  }, deps)
  return <div class="plot" data-testid={testId} ref={host} />
}
