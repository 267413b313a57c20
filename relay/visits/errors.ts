/** Errors of the relay's visit counting. */

/** The relay counts `MAX_TRACKED_NAMES` sites already: a new site's visits are not counted. */
export class TooManySitesError extends Error {
  static override name = 'TooManySitesError'
  override name = 'TooManySitesError'

  /**
   * @param siteName - the site that was not counted
   * @param maxNames - the bound that was reached
   */
  constructor (readonly siteName: string, readonly maxNames: number) {
    super(`Not counting ${siteName}: ${maxNames} sites are counted already`)
  }
}
