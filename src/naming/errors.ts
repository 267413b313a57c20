/**
 * Named errors of the naming module. Callers compare them by `name`
 * (`err.name === 'InvalidNameError'`), never by `instanceof`, so they survive
 * being passed between the page, the service worker and the relay.
 *
 * Each class also carries its name as a static `name` (`InvalidNameError.name`)
 * that survives minification.
 *
 * @module
 */

/**
 * A site name or label does not follow the WIA name rules
 * (`<label>.wia.<tld>`, label of lowercase a–z, digits and hyphens).
 */
export class InvalidNameError extends Error {
  static override name = 'InvalidNameError'
  override name = 'InvalidNameError'

  constructor (message = 'The site name is not valid; use lowercase letters a–z, digits and hyphens, like alice.wia.home', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * Record bytes are not valid DAG-CBOR, or a field is missing, has the wrong
 * type, or is unknown.
 */
export class MalformedRecordError extends Error {
  static override name = 'MalformedRecordError'
  override name = 'MalformedRecordError'

  constructor (message = 'The name record is damaged or not a WIA name record; ask the owner to publish it again', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * Record bytes are longer than `MAX_RECORD_BYTES`.
 */
export class RecordTooLargeError extends Error {
  static override name = 'RecordTooLargeError'
  override name = 'RecordTooLargeError'

  constructor (message = 'The name record is larger than allowed and was not read', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * The record's signature does not verify with the record's public key.
 */
export class InvalidSignatureError extends Error {
  static override name = 'InvalidSignatureError'
  override name = 'InvalidSignatureError'

  constructor (message = 'The name record is not signed by its owner\'s key; it was changed or forged and was ignored', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * The record names a different site than the one it was stored under or
 * looked up for.
 */
export class NameMismatchError extends Error {
  static override name = 'NameMismatchError'
  override name = 'NameMismatchError'

  constructor (message = 'The name record is for a different site than the one requested and was ignored', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * The record's validity period has ended.
 */
export class RecordExpiredError extends Error {
  static override name = 'RecordExpiredError'
  override name = 'RecordExpiredError'

  constructor (message = 'The name record has expired; the owner must publish the site again to renew it', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * The record uses a format version this code does not understand.
 */
export class UnsupportedRecordVersionError extends Error {
  static override name = 'UnsupportedRecordVersionError'
  override name = 'UnsupportedRecordVersionError'

  constructor (message = 'The name record uses a newer format than this version of WIA understands; update the app', options?: ErrorOptions) {
    super(message, options)
  }
}

/** No peer holds a record for the name: no site is registered under it. */
export class NameNotFoundError extends Error {
  static override name = 'NameNotFoundError'
  override name = 'NameNotFoundError'
}

/**
 * A name record was put into the DHT but no server accepted it (kad-dht does
 * not throw for this, DESIGN.md §4).
 */
export class PutRejectedError extends Error {
  static override name = 'PutRejectedError'
  override name = 'PutRejectedError'
}
