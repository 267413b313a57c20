/**
 * Named errors of the settings. Compare them by `name`; the app's words for
 * them are in `src/app/ui/words/errors.ts`.
 *
 * A relay address that is neither a relay multiaddr nor an http(s) URL is the
 * node module's `InvalidRelayAddressError`.
 *
 * @module
 */

/** A sleep time outside `MIN_SLEEP_MINUTES`…`MAX_SLEEP_MINUTES`, or not a whole number. */
export class InvalidSleepMinutesError extends Error {
  static override name = 'InvalidSleepMinutesError'
  override name = 'InvalidSleepMinutesError'

  /** The value refused. */
  readonly minutes: number
  /** Fewest minutes allowed. */
  readonly min: number
  /** Most minutes allowed. */
  readonly max: number

  constructor (minutes: number, min: number, max: number, options?: ErrorOptions) {
    super(`sleep time ${minutes} min is not a whole number from ${min} to ${max}`, options)
    this.minutes = minutes
    this.min = min
    this.max = max
  }
}
