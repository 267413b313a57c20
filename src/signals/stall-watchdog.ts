import { FetchStalledError } from './errors.js'

/**
 * An abort signal that fires when a transfer stops making progress: each
 * {@link StallWatchdog.progress} call restarts the clock, and `stallMs`
 * without one aborts {@link StallWatchdog.signal} with a `FetchStalledError`.
 * The parent signal (the caller's bound on the whole transfer) aborts it too,
 * with the parent's reason.
 */
export class StallWatchdog {
  readonly signal: AbortSignal
  private readonly controller = new AbortController()
  private timer?: ReturnType<typeof setTimeout>
  private stalledFlag = false
  private readonly onParentAbort: () => void

  /**
   * @param stallMs - longest wait for the next bit of progress (ms)
   * @param parent - the caller's signal; its abort is passed on
   * @param describe - what is stalled, for the error message (e.g. `blocks of alice.wia.home`)
   */
  constructor (private readonly stallMs: number, private readonly parent: AbortSignal | undefined, private readonly describe: string) {
    this.signal = this.controller.signal
    this.onParentAbort = () => { this.abort(parent?.reason) }
    if (parent?.aborted === true) {
      this.abort(parent.reason)
    } else {
      parent?.addEventListener('abort', this.onParentAbort, { once: true })
      this.progress()
    }
  }

  /** True when the signal fired because nothing progressed for `stallMs`, not because the parent aborted. */
  get stalled (): boolean {
    return this.stalledFlag
  }

  /**
   * Something arrived: restart the clock.
   *
   * @param stallMs - longest wait for the next bit of progress from now on (ms); the constructor's by default
   */
  progress (stallMs = this.stallMs): void {
    if (this.signal.aborted) {
      return
    }
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.stalledFlag = true
      this.abort(new FetchStalledError(this.describe, stallMs))
    }, stallMs)
  }

  /** Stop the clock until the next {@link StallWatchdog.progress}: the wait is on the caller now, not on the transfer. */
  pause (): void {
    clearTimeout(this.timer)
  }

  /** Stop the clock and let go of the parent signal. */
  stop (): void {
    clearTimeout(this.timer)
    this.parent?.removeEventListener('abort', this.onParentAbort)
  }

  private abort (reason: unknown): void {
    this.stop()
    this.controller.abort(reason)
  }
}
