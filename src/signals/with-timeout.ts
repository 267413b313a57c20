/**
 * The timeout signal each {@link withTimeout} signal combines, held as long
 * as the combined signal lives: Node 20 holds the sources of
 * `AbortSignal.any()` weakly, so a timeout signal nothing else references
 * is collected before it fires and the combined signal never aborts
 * (nodejs/node#57736; seen in `npm run stress`, a relay read waiting past
 * its bound until the client left).
 */
const timeouts = new WeakMap<AbortSignal, AbortSignal>()

/**
 * A signal that aborts when `signal` does or after `timeoutMs` (ms), with the
 * timeout's `TimeoutError` as reason in the second case.
 */
export function withTimeout (signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs)
  if (signal == null) {
    return timeout
  }
  const combined = AbortSignal.any([signal, timeout])
  timeouts.set(combined, timeout)
  return combined
}
