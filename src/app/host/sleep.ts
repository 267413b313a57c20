import { logger } from '@libp2p/logger'

const log = logger('wia:app:sleep')

/** What the hosting node is doing: serving visitors (awake) or sleeping (only its relay reservations kept). */
export type HostActivity = 'serving' | 'sleeping'

export interface SleepControllerInit {
  /** Time without activity before sleeping (ms). */
  idleMs: number
  /** Put the node to sleep (close visitor connections, stop timers). */
  sleep(): Promise<void> | void
  /** Wake it (restart timers). Called before the request that woke it is answered. */
  wake(): Promise<void> | void
  /** Told of every change of state. */
  onChange?(state: HostActivity): void
  /** Clock (ms). @default performance.now */
  now?(): number
}

/**
 * Sleep mode of the hosting tab: after `idleMs` without activity (a peer
 * asking for a block, the app reading its own) the node sleeps; the next
 * activity wakes it at once. While asleep it runs no timer of its own: one
 * timer checks for idleness while awake, none while asleep.
 */
export class SleepController {
  private state: HostActivity = 'serving'
  private last: number
  private timer?: ReturnType<typeof setTimeout>
  private readonly now: () => number
  private idleMs: number

  constructor (private readonly init: SleepControllerInit) {
    this.now = init.now ?? (() => performance.now())
    this.last = this.now()
    this.idleMs = init.idleMs
  }

  /**
   * Change the time without activity before sleeping (ms), at once: an awake
   * node that has been idle that long already goes to sleep now.
   */
  setIdleMs (ms: number): void {
    this.idleMs = ms
    if (this.timer != null) {
      this.schedule(Math.max(0, ms - (this.now() - this.last)))
    }
  }

  get activity (): HostActivity {
    return this.state
  }

  start (): void {
    this.last = this.now()
    this.schedule(this.idleMs)
  }

  stop (): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }

  /** Something was served or read: stay awake (or wake up) for another `idleMs`. */
  touch (): void {
    this.last = this.now()
    if (this.state === 'sleeping') {
      this.set('serving')
      void Promise.resolve(this.init.wake()).catch(err => { log.error('waking failed - %e', err) })
      this.schedule(this.idleMs)
    }
  }

  private schedule (ms: number): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => { this.check() }, ms)
  }

  private check (): void {
    this.timer = undefined
    const idle = this.now() - this.last
    if (idle < this.idleMs) {
      this.schedule(this.idleMs - idle)
      return
    }
    log('no activity for %d ms: sleeping', Math.round(idle))
    this.set('sleeping')
    void Promise.resolve(this.init.sleep()).catch(err => { log.error('going to sleep failed - %e', err) })
  }

  private set (state: HostActivity): void {
    this.state = state
    this.init.onChange?.(state)
  }
}
