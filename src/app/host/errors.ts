/**
 * Importing an identity would replace an owner key that still owns names on
 * this device: they would be lost. Export them first (or use another browser
 * profile).
 */
export class IdentityConflictError extends Error {
  static override name = 'IdentityConflictError'
  override name = 'IdentityConflictError'

  /** The names this device owns under its current key (`['alice.wia.home']`). */
  readonly siteNames: readonly string[]

  constructor (siteNames: readonly string[], options?: ErrorOptions) {
    super(`device owns ${siteNames.join(', ')} under another key`, options)
    this.siteNames = siteNames
  }
}

/** A transfer names a key that is not a valid owner key, or not this device's. */
export class InvalidTransferTargetError extends Error {
  static override name = 'InvalidTransferTargetError'
  override name = 'InvalidTransferTargetError'

  /** `'other-key'`: the transfer is for another device's key; `'not-a-key-id'`: the key ID given does not parse. */
  readonly reason: TransferTargetProblem
  /** The key ID given, or the name being transferred. */
  readonly subject: string

  constructor (reason: TransferTargetProblem, subject: string, options?: ErrorOptions) {
    super(reason === 'other-key' ? `transfer of ${subject} is for another key` : `${JSON.stringify(subject)} is not a key ID`, options)
    this.reason = reason
    this.subject = subject
  }
}

/** What is wrong with a transfer's target key (see {@link InvalidTransferTargetError}). */
export type TransferTargetProblem = 'other-key' | 'not-a-key-id'

/** "Keep this site online" was asked for a site this device hosts itself. */
export class AlreadyHostedError extends Error {
  static override name = 'AlreadyHostedError'
  override name = 'AlreadyHostedError'

  /** The site asked for (`'alice.wia.home'`). */
  readonly siteName: string

  constructor (siteName: string, options?: ErrorOptions) {
    super(`${siteName} is hosted by this device`, options)
    this.siteName = siteName
  }
}

/** A rollback asked for a version of a site this device does not keep (not hosted here, never published here, or dropped). */
export class VersionNotKeptError extends Error {
  static override name = 'VersionNotKeptError'
  override name = 'VersionNotKeptError'

  constructor (message: string, readonly siteName: string, readonly root: string, options?: ErrorOptions) {
    super(message, options)
  }
}

/** A command that works on a site this device hosts (e.g. `unpublish`) was given a name it does not host. */
export class SiteNotHostedError extends Error {
  static override name = 'SiteNotHostedError'
  override name = 'SiteNotHostedError'

  constructor (readonly siteName: string, options?: ErrorOptions) {
    super(`This device does not host ${siteName}`, options)
  }
}

/**
 * A site's blocks do not fit in the storage the browser leaves this app
 * (its quota less what it uses): found before importing from
 * `navigator.storage.estimate()`, or when IndexedDB refused a block
 * (`QuotaExceededError`, then the `cause`). Nothing was published and the
 * blocks written for it are collected.
 */
export class NotEnoughSpaceError extends Error {
  static override name = 'NotEnoughSpaceError'
  override name = 'NotEnoughSpaceError'

  constructor (message: string, readonly siteName: string, readonly neededBytes: number, readonly availableBytes: number, options?: ErrorOptions) {
    super(message, options)
  }
}
