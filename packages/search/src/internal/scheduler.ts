// Hands control back to the event loop (a macrotask, so timers and abort events can run).
// Looked up on globalThis because the library compiles without DOM or Node types.
const host = globalThis as unknown as {
  setImmediate?: (callback: () => void) => unknown
  setTimeout?: (callback: () => void, ms: number) => unknown
}

export const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => {
    if (typeof host.setImmediate === 'function') host.setImmediate(resolve)
    else if (typeof host.setTimeout === 'function') host.setTimeout(resolve, 0)
    else resolve()
  })
