/**
 * Failures of serving a site, each mapped to one HTTP status by
 * `errorResponse`. Compare them by `name`, never by `instanceof`.
 *
 * There is no timeout class: a bound on the time to answer is an
 * `AbortSignal.timeout()`, whose `TimeoutError` (or an `AbortError`) maps to
 * 504 as it is.
 *
 * "No site is registered" is the naming module's `NameNotFoundError`.
 */

/**
 * The site's record was found but its blocks could not be fetched from any
 * reachable peer within the time bound (the host is offline and no peer holds
 * a copy). Wrap the underlying failure as `cause`. → 504
 */
export class ContentUnavailableError extends Error {
  static override name = 'ContentUnavailableError'
  override name = 'ContentUnavailableError'
  /** The site's name (`'alice.wia.home'`). */
  readonly siteName: string
  /** What was under way when time ran out: reaching a relay, looking up the name, or fetching the site's blocks. */
  readonly phase?: UnavailablePhase

  constructor (siteName: string, options?: ErrorOptions & { phase?: UnavailablePhase }) {
    super(`${siteName} could not be fetched`, options)
    this.siteName = siteName
    this.phase = options?.phase
  }
}

/** Where a site request stood when it ran out of time. */
export type UnavailablePhase = 'connecting' | 'resolving' | 'fetching'

/** A request method other than GET or HEAD. → 405 with `Allow: GET, HEAD` */
export class MethodNotAllowedError extends Error {
  static override name = 'MethodNotAllowedError'
  override name = 'MethodNotAllowedError'
  /** The method refused (`'POST'`). */
  readonly method: string

  constructor (method: string, options?: ErrorOptions) {
    super(`Method ${method} is not allowed`, options)
    this.method = method
  }
}

/** The `name` of a thrown value (`Error`, `DOMException`, or anything with a string `name`). */
export function errorName (err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'name' in err && typeof err.name === 'string') {
    return err.name
  }
  return undefined
}
