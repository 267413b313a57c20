/**
 * Importing an identity would replace an owner key that still owns names on
 * this device: they would be lost. Export them first (or use another browser
 * profile).
 */
export class IdentityConflictError extends Error {
  static override name = 'IdentityConflictError'
  override name = 'IdentityConflictError'
}

/** A transfer names a key that is not a valid owner key, or not this device's. */
export class InvalidTransferTargetError extends Error {
  static override name = 'InvalidTransferTargetError'
  override name = 'InvalidTransferTargetError'
}

/** "Keep this site online" was asked for a site this device hosts itself. */
export class AlreadyHostedError extends Error {
  static override name = 'AlreadyHostedError'
  override name = 'AlreadyHostedError'
}

/** A rollback asked for a version of a site this device does not keep (not hosted here, never published here, or dropped). */
export class VersionNotKeptError extends Error {
  static override name = 'VersionNotKeptError'
  override name = 'VersionNotKeptError'

  constructor (message: string, readonly siteName: string, readonly root: string, options?: ErrorOptions) {
    super(message, options)
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
