/**
 * Encrypts the owner's identity into an identity file and decrypts it back
 * (format in `format.ts`), with WebCrypto only: PBKDF2-HMAC-SHA-256 turns the
 * passphrase into an AES-256-GCM key. Works in browsers and in Node 20+
 * (global `crypto`).
 *
 * @module
 */

import { MIN_PASSPHRASE_LENGTH, PBKDF2_ITERATIONS } from './constants.js'
import { WeakPassphraseError, WrongPassphraseError } from './errors.js'
import {
  AES_KEY_BITS,
  GCM_TAG_BITS,
  IDENTITY_AAD,
  IV_BYTES,
  MAX_PBKDF2_ITERATIONS,
  MIN_PBKDF2_ITERATIONS,
  SALT_BYTES,
  decodeIdentityFile,
  decodeIdentityPayload,
  encodeIdentityFile,
  encodeIdentityPayload
} from './format.js'
import type { Identity } from './format.js'

/** Options of `encryptIdentity`. */
export interface EncryptIdentityOptions {
  /**
   * PBKDF2 iterations, an integer from `MIN_PBKDF2_ITERATIONS` to
   * `MAX_PBKDF2_ITERATIONS`. Lower it only in tests.
   *
   * @default PBKDF2_ITERATIONS
   */
  iterations?: number

  /**
   * Stops the export between steps (key derivation itself cannot be
   * interrupted); the promise then rejects with the signal's reason.
   */
  signal?: AbortSignal
}

/** Options of `decryptIdentity`. */
export interface DecryptIdentityOptions {
  /**
   * Stops the import between steps (key derivation itself cannot be
   * interrupted); the promise then rejects with the signal's reason.
   */
  signal?: AbortSignal
}

const AAD = new TextEncoder().encode(IDENTITY_AAD)

/**
 * Encrypts an identity with a passphrase, with a fresh random salt and IV,
 * and returns the JSON text of the identity file. Before encrypting, the
 * identity is checked with the same rules `decryptIdentity` applies, so an
 * export that succeeds can be imported.
 *
 * Takes about as long as one PBKDF2 derivation of `iterations` rounds
 * (a few hundred ms at the default on a laptop).
 *
 * @param identity - the owner key and sites to export
 * @param passphrase - at least `MIN_PASSPHRASE_LENGTH` characters; normalised to NFC
 * @throws {WeakPassphraseError} the passphrase is shorter than `MIN_PASSPHRASE_LENGTH` characters
 * @throws {InvalidIdentityFileError} the identity would not make a valid file (e.g. the key is not Ed25519, a site name is not a WIA name)
 * @throws {RangeError} `options.iterations` is not an integer from `MIN_PBKDF2_ITERATIONS` to `MAX_PBKDF2_ITERATIONS`
 */
export async function encryptIdentity (identity: Identity, passphrase: string, options: EncryptIdentityOptions = {}): Promise<string> {
  const iterations = options.iterations ?? PBKDF2_ITERATIONS
  if (!Number.isSafeInteger(iterations) || iterations < MIN_PBKDF2_ITERATIONS || iterations > MAX_PBKDF2_ITERATIONS) {
    throw new RangeError(`PBKDF2 iterations must be an integer from ${MIN_PBKDF2_ITERATIONS} to ${MAX_PBKDF2_ITERATIONS}, not ${iterations}`)
  }

  const normalized = passphrase.normalize('NFC')
  if (countCharacters(normalized) < MIN_PASSPHRASE_LENGTH) {
    throw new WeakPassphraseError(`passphrase shorter than ${MIN_PASSPHRASE_LENGTH} characters`)
  }

  const plaintext = encodeIdentityPayload(identity)
  decodeIdentityPayload(plaintext)
  options.signal?.throwIfAborted()

  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES))
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
  const key = await deriveKey(normalized, salt, iterations, 'encrypt')
  options.signal?.throwIfAborted()

  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: AAD, tagLength: GCM_TAG_BITS }, key, plaintext))
  const text = encodeIdentityFile({ iterations, salt, iv, ciphertext })
  decodeIdentityFile(text)
  return text
}

/**
 * Decrypts the JSON text of an identity file with its passphrase and returns
 * the identity it carries, checked field by field.
 *
 * Takes about as long as one PBKDF2 derivation of the file's iterations.
 *
 * @param fileText - the whole identity file as text
 * @param passphrase - the passphrase the file was exported with; normalised to NFC
 * @throws {InvalidIdentityFileError} the text is not a wia-home identity file, is of another version, or is malformed
 * @throws {WrongPassphraseError} AES-GCM authentication failed: wrong passphrase, or the file was changed after export
 */
export async function decryptIdentity (fileText: string, passphrase: string, options: DecryptIdentityOptions = {}): Promise<Identity> {
  const envelope = decodeIdentityFile(fileText)

  const normalized = passphrase.normalize('NFC')
  if (normalized.length === 0) {
    // No export accepts an empty passphrase, and some runtimes refuse to
    // import an empty PBKDF2 key
    throw new WrongPassphraseError()
  }
  options.signal?.throwIfAborted()

  const key = await deriveKey(normalized, envelope.salt, envelope.iterations, 'decrypt')
  options.signal?.throwIfAborted()

  let plaintext: ArrayBuffer
  try {
    plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: envelope.iv, additionalData: AAD, tagLength: GCM_TAG_BITS }, key, envelope.ciphertext)
  } catch (err) {
    throw new WrongPassphraseError(undefined, { cause: err })
  }

  return decodeIdentityPayload(new Uint8Array(plaintext))
}

/**
 * Derives the AES-GCM key from an NFC-normalised passphrase with
 * PBKDF2-HMAC-SHA-256. The key cannot be exported.
 */
async function deriveKey (passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey'])
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: AES_KEY_BITS },
    false,
    [usage]
  )
}

/** Number of Unicode code points (a surrogate pair counts once). */
function countCharacters (text: string): number {
  return [...text].length
}
