/**
 * Named errors of the signal helpers, compared by `name` (DESIGN.md §6).
 *
 * @module
 */

/** Nothing of a transfer arrived within the allowed wait: its providers are gone or their connection is dead. */
export class FetchStalledError extends Error {
  static override name = 'FetchStalledError'
  override name = 'FetchStalledError'

  /** What stopped arriving (`'blocks of alice.wia.home'`). */
  readonly what: string
  /** How long nothing arrived, in milliseconds. */
  readonly stallMs: number

  constructor (what: string, stallMs: number, options?: ErrorOptions) {
    super(`no ${what} arrived for ${stallMs} ms`, options)
    this.what = what
    this.stallMs = stallMs
  }
}
