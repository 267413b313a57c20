/**
 * Named errors of the cache module, compared by `name` (DESIGN.md §6).
 *
 * @module
 */

/** A site is larger than the whole cache that was asked to keep it. */
export class SiteTooLargeError extends Error {
  static override name = 'SiteTooLargeError'
  override name = 'SiteTooLargeError'

  constructor (name: string, maxBytes: number, options?: ErrorOptions) {
    super(`${name} is larger than this cache (${maxBytes} bytes); it is served from its owner only`, options)
  }
}

/** A cache protocol message is not valid DAG-CBOR, too long, or has wrong fields. */
export class MalformedCacheMessageError extends Error {
  static override name = 'MalformedCacheMessageError'
  override name = 'MalformedCacheMessageError'

  constructor (message = 'The cache message is damaged or not a wia-home cache message', options?: ErrorOptions) {
    super(message, options)
  }
}

/** A caching peer answered a request with an error (its name and message are kept). */
export class CacheRequestFailedError extends Error {
  static override name = 'CacheRequestFailedError'
  override name = 'CacheRequestFailedError'
  /** The error class name the peer reported, e.g. `NameNotFoundError`. */
  readonly remoteError: string

  constructor (remoteError: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.remoteError = remoteError
  }
}

/** Nothing of a transfer arrived within the allowed wait: its providers are gone or their connection is dead. */
export class FetchStalledError extends Error {
  static override name = 'FetchStalledError'
  override name = 'FetchStalledError'

  constructor (what: string, stallMs: number, options?: ErrorOptions) {
    super(`No ${what} arrived for ${stallMs} ms: the peers that have them are gone or unreachable. Try again later.`, options)
  }
}
