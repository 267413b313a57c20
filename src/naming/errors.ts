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

/**
 * A record's proof of work does not hold: the hash of the challenge and the
 * nonce does not have the leading zero bits the proof claims, or the proof
 * was made for another name or key.
 */
export class InvalidProofOfWorkError extends Error {
  static override name = 'InvalidProofOfWorkError'
  override name = 'InvalidProofOfWorkError'

  constructor (message = 'The name record\'s registration proof does not hold; it was made for another name or key, or was changed, so the record was ignored', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * A record's proof of work is genuine but easier than the reader requires.
 */
export class InsufficientProofOfWorkError extends Error {
  static override name = 'InsufficientProofOfWorkError'
  override name = 'InsufficientProofOfWorkError'

  constructor (message = 'The name record\'s registration proof is easier than required; register the name again with the difficulty the relays ask for', options?: ErrorOptions) {
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
    super(`${siteName} is already registered. Choose another name, or, if the name is yours, import its owner key on this device`, options)
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

  constructor (message = 'The name record is stale: a newer version is already published, and a replayed or older record is refused', options?: ErrorOptions) {
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
    super(`The owner key of ${siteName} changed since your last visit; the page is not shown because it may come from an impostor. If you know the owner moved the site to a new key, forget this site's data and open it again`, options)
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
