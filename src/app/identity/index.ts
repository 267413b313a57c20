/**
 * Backup of the owner's identity: the Ed25519 owner key and the names it
 * owns, exported to a passphrase-encrypted file and imported back on another
 * device (format in `format.ts`). WebCrypto only; no DOM and no Node
 * built-ins.
 *
 * @module
 */

export {
  InvalidIdentityFileError,
  WeakPassphraseError,
  WrongPassphraseError
} from './errors.js'
export {
  AES_KEY_BITS,
  GCM_TAG_BITS,
  IDENTITY_AAD,
  IDENTITY_FILE_FORMAT,
  IDENTITY_FILE_VERSION,
  IV_BYTES,
  MAX_IDENTITY_FILE_CHARS,
  MAX_PBKDF2_ITERATIONS,
  MIN_PBKDF2_ITERATIONS,
  SALT_BYTES
} from './format.js'
export type { Identity, IdentitySite } from './format.js'
export { MIN_PASSPHRASE_LENGTH, PBKDF2_ITERATIONS } from './constants.js'
export { decryptIdentity, encryptIdentity } from './crypto.js'
export type { DecryptIdentityOptions, EncryptIdentityOptions } from './crypto.js'
export { estimateStrength } from './strength.js'
export type { PassphraseStrength, StrengthEstimate } from './strength.js'
