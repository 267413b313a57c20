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

  constructor (message = 'The identity file could not be unlocked: the passphrase is wrong or the file is damaged. Check the passphrase (and its letter case) and try again, or use another copy of the file', options?: ErrorOptions) {
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

  constructor (message = 'The file is not a wia-home identity file or is damaged; choose the file that wia-home exported', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * The passphrase chosen for an export is too short to protect the owner key
 * (fewer than `MIN_PASSPHRASE_LENGTH` characters).
 */
export class WeakPassphraseError extends Error {
  static override name = 'WeakPassphraseError'
  override name = 'WeakPassphraseError'

  constructor (message = 'The passphrase is too short to protect your identity; choose a longer one', options?: ErrorOptions) {
    super(message, options)
  }
}
