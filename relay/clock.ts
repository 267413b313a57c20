/**
 * The relay's clock, and a **test-only** simulated clock for it.
 *
 * A relay makes day-scale decisions by the wall clock: a record's expiry and
 * the grace period (its registry and validator, `docs/naming.md` §6), kad-dht's
 * own 48 h age limit on the records it stores (`Date.now()` inside
 * `@libp2p/kad-dht`), demand decay of cached sites, visit-count days. To run
 * a relay "on day N" of a week-long test, the test clock replaces the
 * process's `Date` (`Date.now()` and `new Date()`), so every one of those
 * reads it, the libraries' included: it is one clock for the whole process.
 *
 * Timers (`setTimeout`, `setInterval`) keep real time: network timeouts must.
 * Timers of the relay's own that define behaviour over days are scaled with
 * {@link RelayClock.realMs} (today: the record re-put interval). Library
 * timers are not (kad-dht's hourly reprovide and provider clean-up, its 5 min
 * routing-table refresh): `docs/stress.md` ("The scaled clock, and what it
 * cannot show") says what that leaves out.
 *
 * @module
 */

/** One day (ms). */
export const DAY_MS = 24 * 60 * 60_000

/**
 * Environment variable: simulated milliseconds per real millisecond (a
 * positive number; `86400` runs a day in a second). Test-only.
 */
export const TEST_CLOCK_SCALE_ENV = 'WIA_TEST_CLOCK_SCALE'
/**
 * Environment variable: real time (ms since the epoch) at which the simulated
 * clock reads real time; from then it runs {@link TEST_CLOCK_SCALE_ENV} times
 * as fast. Relays given the same epoch share one simulated timeline across
 * restarts. Test-only. Default: when the process read it.
 */
export const TEST_CLOCK_EPOCH_ENV = 'WIA_TEST_CLOCK_EPOCH_MS'
/** Environment variable: milliseconds added to the simulated clock (may be negative). Test-only. */
export const TEST_CLOCK_OFFSET_ENV = 'WIA_TEST_CLOCK_OFFSET_MS'

/** A simulated clock: `real + offset + (real - epoch) × (scale - 1)`. */
export interface TestClockInit {
  /** Simulated ms per real ms. @default 1 */
  scale: number
  /** Real time (ms since the epoch) from which the clock runs `scale` times as fast. */
  epochMs: number
  /** Added to the simulated time (ms). @default 0 */
  offsetMs: number
}

/** What the relay's components read the time from. */
export interface RelayClock {
  /** The time (ms since the epoch). */
  now(): number
  /** Simulated ms per real ms: 1 for the real clock. */
  readonly scale: number
  /** Real ms a timer waits for `simulatedMs` of this clock to pass (at least 1). */
  realMs(simulatedMs: number): number
}

/** The real clock. */
export const REAL_CLOCK: RelayClock = { now: () => Date.now(), scale: 1, realMs: ms => ms }

/** A clock that reads `init`'s simulated time off `realNow` (the real clock). */
export function createTestClock (init: TestClockInit, realNow: () => number = Date.now): RelayClock {
  const { scale, epochMs, offsetMs } = init
  return {
    now: () => {
      const real = realNow()
      return Math.round(real + offsetMs + (real - epochMs) * (scale - 1))
    },
    scale,
    realMs: ms => Math.max(1, Math.round(ms / scale))
  }
}

/**
 * The test clock the environment asks for ({@link TEST_CLOCK_SCALE_ENV},
 * {@link TEST_CLOCK_EPOCH_ENV}, {@link TEST_CLOCK_OFFSET_ENV}), or
 * `undefined` when none of them is set.
 *
 * @throws {Error} naming the variable, when a value is malformed
 */
export function readTestClock (env: NodeJS.ProcessEnv, realNow = Date.now()): TestClockInit | undefined {
  const scale = env[TEST_CLOCK_SCALE_ENV]
  const epoch = env[TEST_CLOCK_EPOCH_ENV]
  const offset = env[TEST_CLOCK_OFFSET_ENV]
  if ([scale, epoch, offset].every(value => value == null || value === '')) {
    return undefined
  }
  return {
    scale: toNumber(scale, 1, TEST_CLOCK_SCALE_ENV, n => n > 0),
    epochMs: toNumber(epoch, realNow, TEST_CLOCK_EPOCH_ENV, Number.isSafeInteger),
    offsetMs: toNumber(offset, 0, TEST_CLOCK_OFFSET_ENV, Number.isSafeInteger)
  }
}

/**
 * Make `clock` the process's time: `Date.now()` and `new Date()` (no
 * arguments) read it from now on; `new Date(x)`, `Date.parse` and
 * `instanceof Date` behave as before. Test-only: call it first thing, before
 * any component reads the time. Returns a function that restores the real
 * `Date`.
 */
export function installClock (clock: RelayClock): () => void {
  const RealDate = globalThis.Date
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args: unknown[], newTarget: () => unknown) => Reflect.construct(target, args.length === 0 ? [clock.now()] : args, newTarget) as object,
    apply: () => new RealDate(clock.now()).toString(),
    get: (target, key, receiver: unknown) => key === 'now' ? clock.now : Reflect.get(target, key, receiver) as unknown
  })
  return () => { globalThis.Date = RealDate }
}

function toNumber (value: string | undefined, fallback: number, what: string, valid: (n: number) => boolean): number {
  if (value == null || value === '') {
    return fallback
  }
  const n = Number(value)
  if (!Number.isFinite(n) || !valid(n)) {
    throw new Error(`${what} must be ${what === TEST_CLOCK_SCALE_ENV ? 'a positive number' : 'an integer number of milliseconds'}, got "${value}"`)
  }
  return n
}
