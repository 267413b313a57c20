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

  /** Which rule the name breaks, when known. */
  readonly rule?: NameRule

  constructor (message = 'invalid site name', options?: ErrorOptions & { rule?: NameRule }) {
    super(message, options)
    this.rule = options?.rule
  }
}

/**
 * The site-name rules an {@link InvalidNameError} can name: an empty label,
 * a label over `MAX_LABEL_LENGTH`, a character outside a–z 0–9 `-`, a hyphen
 * at an end, hyphens in the third and fourth places, an unknown TLD, or a
 * name not of the form `<label>.wia.<tld>`.
 */
export type NameRule = 'empty' | 'length' | 'characters' | 'hyphen' | 'reserved' | 'tld' | 'form'

/**
 * Record bytes are not valid DAG-CBOR, or a field is missing, has the wrong
 * type, or is unknown.
 */
export class MalformedRecordError extends Error {
  static override name = 'MalformedRecordError'
  override name = 'MalformedRecordError'

  constructor (message = 'malformed name record', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * Record bytes are longer than `MAX_RECORD_BYTES`.
 */
export class RecordTooLargeError extends Error {
  static override name = 'RecordTooLargeError'
  override name = 'RecordTooLargeError'

  constructor (message = 'name record too large', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * The record's signature does not verify with the record's public key.
 */
export class InvalidSignatureError extends Error {
  static override name = 'InvalidSignatureError'
  override name = 'InvalidSignatureError'

  constructor (message = 'name record signature does not verify', options?: ErrorOptions) {
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

  constructor (message = 'name record is for another name', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * The record's validity period has ended.
 */
export class RecordExpiredError extends Error {
  static override name = 'RecordExpiredError'
  override name = 'RecordExpiredError'

  /** When the record's validity ended (ms since epoch), when known. */
  readonly expires?: number

  constructor (message = 'name record expired', options?: ErrorOptions & { expires?: number }) {
    super(message, options)
    this.expires = options?.expires
  }
}

/**
 * The record uses a format version this code does not understand.
 */
export class UnsupportedRecordVersionError extends Error {
  static override name = 'UnsupportedRecordVersionError'
  override name = 'UnsupportedRecordVersionError'

  constructor (message = 'unsupported name record version', options?: ErrorOptions) {
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

  /** The name whose record no server accepted, e.g. `alice.wia.home` */
  readonly siteName: string

  constructor (siteName: string, options?: ErrorOptions) {
    super(`no relay accepted the record for ${siteName}`, options)
    this.siteName = siteName
  }
}

/**
 * A record's proof of work does not hold: the hash of the challenge and the
 * nonce does not have the leading zero bits the proof claims, or the proof
 * was made for another name or key.
 */
export class InvalidProofOfWorkError extends Error {
  static override name = 'InvalidProofOfWorkError'
  override name = 'InvalidProofOfWorkError'

  constructor (message = 'invalid proof of work', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * A record's proof of work is genuine but easier than the reader requires.
 */
export class InsufficientProofOfWorkError extends Error {
  static override name = 'InsufficientProofOfWorkError'
  override name = 'InsufficientProofOfWorkError'

  constructor (message = 'insufficient proof of work', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * A DHT server holds a registration of the name by another key, and the
 * record carries no transfer from that key.
 */
export class NameTakenError extends Error {
  static override name = 'NameTakenError'
  override name = 'NameTakenError'

  /** The name that is taken, e.g. `alice.wia.home` */
  readonly siteName: string

  constructor (siteName: string, options?: ErrorOptions) {
    super(`${siteName} is already registered`, options)
    this.siteName = siteName
  }
}

/**
 * The owner's record is not newer than the one a DHT server holds: a replayed
 * or older record, or a transfer the owner has since overtaken.
 */
export class StaleRecordError extends Error {
  static override name = 'StaleRecordError'
  override name = 'StaleRecordError'

  constructor (message = 'stale name record', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * The records found for a name are all under another owner key than the one
 * this visitor saw before (and none carries a transfer from it).
 */
export class OwnerKeyChangedError extends Error {
  static override name = 'OwnerKeyChangedError'
  override name = 'OwnerKeyChangedError'

  /** The name whose owner key changed, e.g. `alice.wia.home` */
  readonly siteName: string

  constructor (siteName: string, options?: ErrorOptions) {
    super(`owner key of ${siteName} changed`, options)
    this.siteName = siteName
  }
}

/**
 * The name's current record says its owner unpublished the site (its root is
 * `UNPUBLISHED_ROOT`, `docs/naming.md` §6a): there is no content to serve.
 */
export class SiteUnpublishedError extends Error {
  static override name = 'SiteUnpublishedError'
  override name = 'SiteUnpublishedError'

  /** The unpublished name, e.g. `alice.wia.home` */
  readonly siteName: string

  constructor (siteName: string, options?: ErrorOptions) {
    super(`${siteName} was unpublished by its owner`, options)
    this.siteName = siteName
  }
}
