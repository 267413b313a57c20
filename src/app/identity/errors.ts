/**
 * Named errors of the identity backup module. Callers compare them by `name`
 * (`err.name === 'WrongPassphraseError'`), never by `instanceof`, so they
 * survive being passed between realms (page, worker, tests).
 *
 * Each class also carries its name as a static `name`
 * (`WrongPassphraseError.name`) that survives minification.
 *
 * @module
 */

/**
 * An identity file could not be decrypted: AES-GCM authentication failed.
 * Either the passphrase is not the one the file was exported with, or the
 * file was changed or damaged after export (the two cannot be told apart).
 */
export class WrongPassphraseError extends Error {
  static override name = 'WrongPassphraseError'
  override name = 'WrongPassphraseError'

  constructor (message = 'identity file does not decrypt with this passphrase', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * The text is not a wia-home identity file, is from an unsupported format
 * version, or a field is missing, has the wrong type or length, or is unknown.
 */
export class InvalidIdentityFileError extends Error {
  static override name = 'InvalidIdentityFileError'
  override name = 'InvalidIdentityFileError'

  /** The file's format version, when the file is a wia-home identity file of a version this code cannot read. */
  readonly version?: number

  constructor (message = 'not a wia-home identity file', options?: ErrorOptions & { version?: number }) {
    super(message, options)
    this.version = options?.version
  }
}

/**
 * The passphrase chosen for an export is too short to protect the owner key
 * (fewer than `MIN_PASSPHRASE_LENGTH` characters).
 */
export class WeakPassphraseError extends Error {
  static override name = 'WeakPassphraseError'
  override name = 'WeakPassphraseError'

  constructor (message = 'passphrase too short', options?: ErrorOptions) {
    super(message, options)
  }
}
