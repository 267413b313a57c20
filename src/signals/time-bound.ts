/**
 * A time bound on one piece of work that ends with the work:
 * {@link TimeBound.signal} aborts when any of the caller's signals does or
 * after `timeoutMs`, and {@link TimeBound.clear} (called once the work is
 * done, in a `finally`) drops the timer and the listeners on the caller's
 * signals. {@link withTimeout}'s signal (`AbortSignal.timeout`) keeps its
 * timer for the whole bound however soon the work ends: a relay answering
 * 4,000 requests a second, each reading blocks under a 20 s bound, held
 * hundreds of thousands of pending timers and signals (its profile: 9 % of
 * its samples in garbage collection, 4 % making abort signals;
 * `docs/performance.md`).
 */
export interface TimeBound {
  /** Aborts when a caller's signal does (its reason) or after the bound (a `TimeoutError` `DOMException`, as `AbortSignal.timeout`'s). */
  readonly signal: AbortSignal
  /** The work is done: no abort comes from this bound any more. */
  clear(): void
}

/**
 * Bound a piece of work to `timeoutMs` (ms) and to `signals` (absent ones
 * skipped); see {@link TimeBound}. The timer does not hold a Node process
 * open.
 */
export function timeBound (timeoutMs: number, ...signals: Array<AbortSignal | undefined>): TimeBound {
  const controller = new AbortController()
  const sources = signals.filter((signal): signal is AbortSignal => signal != null)
  const onAbort = (event: Event): void => {
    end()
    controller.abort((event.target as AbortSignal).reason)
  }
  const timer = setTimeout(() => {
    end()
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))
  }, timeoutMs)
  ;(timer as { unref?: () => void }).unref?.()
  function end (): void {
    clearTimeout(timer)
    for (const source of sources) source.removeEventListener('abort', onAbort)
  }
  const aborted = sources.find(source => source.aborted)
  if (aborted != null) {
    clearTimeout(timer)
    controller.abort(aborted.reason)
  } else {
    for (const source of sources) source.addEventListener('abort', onAbort, { once: true })
  }
  return { signal: controller.signal, clear: end }
}
