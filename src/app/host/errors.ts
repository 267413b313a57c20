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

/** A command that works on a site this device hosts (e.g. `unpublish`) was given a name it does not host. */
export class SiteNotHostedError extends Error {
  static override name = 'SiteNotHostedError'
  override name = 'SiteNotHostedError'

  constructor (readonly siteName: string, options?: ErrorOptions) {
    super(`This device does not host ${siteName}`, options)
  }
}
