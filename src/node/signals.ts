/**
 * A signal that aborts when `signal` does or after `timeoutMs` (ms), with the
 * timeout's `TimeoutError` as reason in the second case.
 */
export function withTimeout (signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs)
  return signal == null ? timeout : AbortSignal.any([signal, timeout])
}
