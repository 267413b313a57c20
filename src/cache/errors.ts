/**
 * Named errors of the cache module, compared by `name` (DESIGN.md §6).
 *
 * @module
 */

/** A site is larger than the whole cache that was asked to keep it. */
export class SiteTooLargeError extends Error {
  static override name = 'SiteTooLargeError'
  override name = 'SiteTooLargeError'

  /** The site that does not fit (`'alice.wia.home'`). */
  readonly siteName: string
  /** The cache's size, in bytes. */
  readonly maxBytes: number

  constructor (siteName: string, maxBytes: number, options?: ErrorOptions) {
    super(`${siteName} is larger than the cache (${maxBytes} bytes)`, options)
    this.siteName = siteName
    this.maxBytes = maxBytes
  }
}

/** A site made hot by visits was not fetched: other fetches wait for the cache's slots. */
export class FetchQueueBusyError extends Error {
  static override name = 'FetchQueueBusyError'
  override name = 'FetchQueueBusyError'

  /** The site not fetched (`'alice.wia.home'`). */
  readonly siteName: string

  constructor (siteName: string, options?: ErrorOptions) {
    super(`${siteName} was not fetched: other fetches wait for the cache`, options)
    this.siteName = siteName
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

