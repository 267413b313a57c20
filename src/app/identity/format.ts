/**
 * The wia-home identity file: the owner's private key and the names it owns,
 * encrypted with a passphrase so it can be kept anywhere and carried to a new
 * device. This comment is the format's specification.
 *
 * ## The file (version 1)
 *
 * UTF-8 JSON text, an object with exactly these fields:
 *
 * ```json
 * { "format": "wia-home-identity", "version": 1,
 *   "kdf": { "name": "PBKDF2", "hash": "SHA-256", "iterations": 600000, "salt": "<base64url 16 bytes>" },
 *   "cipher": { "name": "AES-GCM", "iv": "<base64url 12 bytes>" },
 *   "ciphertext": "<base64url>" }
 * ```
 *
 * - `format`: always the string `wia-home-identity`.
 * - `version`: always the number `1`. A reader refuses any other version.
 * - `kdf`: how the AES key is made from the passphrase. The passphrase is
 *   normalised to Unicode NFC and encoded as UTF-8; PBKDF2-HMAC-SHA-256 with
 *   `salt` (16 random bytes, fresh for every export) and `iterations` (an
 *   integer from `MIN_PBKDF2_ITERATIONS` to `MAX_PBKDF2_ITERATIONS`) derives
 *   a 256-bit AES key.
 * - `cipher`: AES-256-GCM with `iv` (12 random bytes, fresh for every
 *   export) and a 128-bit tag. The additional authenticated data is the
 *   UTF-8 of `wia-home-identity:v1` (`IDENTITY_AAD`), so a ciphertext cannot
 *   be moved under a header of another format or version.
 * - `ciphertext`: the AES-GCM output (encrypted payload followed by the
 *   16-byte tag).
 *
 * Binary values are base64url without padding (RFC 4648 §5), in canonical
 * form. Unknown fields, missing fields and values of the wrong type or length
 * make the file invalid. Changing `salt`, `iv`, `iterations` or `ciphertext`
 * makes authentication fail.
 *
 * ## The payload (plaintext)
 *
 * UTF-8 JSON text, an object with exactly these fields:
 *
 * ```json
 * { "ownerKey": "<base64url>",
 *   "sites": [{ "name": "alice.wia.home", "seq": 3, "root": "bafy…", "record": "<base64url>" }],
 *   "exportedAt": 1700000000000 }
 * ```
 *
 * - `ownerKey`: the owner's Ed25519 private key in libp2p protobuf encoding.
 * - `sites`: the names the key owns, each with its last published name
 *   record (`record`, DAG-CBOR bytes of at most `MAX_RECORD_BYTES`), its
 *   sequence number (`seq`, a non-negative integer) and its root CID
 *   (`root`, string form), so the new device publishes the next version with
 *   a higher `seq`. Names are valid WIA names and appear at most once.
 * - `exportedAt`: when the export was made, ms since the Unix epoch.
 *
 * @module
 */

import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { CID } from 'multiformats/cid'
import { fromString, toString } from 'uint8arrays'
import { MAX_RECORD_BYTES, parseName } from '../../naming/index.js'
import { InvalidIdentityFileError } from './errors.js'

/** Value of the file's `format` field. */
export const IDENTITY_FILE_FORMAT = 'wia-home-identity'

/** The file format version this code writes and reads. */
export const IDENTITY_FILE_VERSION = 1

/**
 * AES-GCM additional authenticated data, as text (encoded as UTF-8). Binds
 * the ciphertext to this format and version.
 */
export const IDENTITY_AAD = `${IDENTITY_FILE_FORMAT}:v${IDENTITY_FILE_VERSION}`

/** Length of the PBKDF2 salt, in bytes. */
export const SALT_BYTES = 16

/** Length of the AES-GCM initialisation vector, in bytes (the size GCM is designed for). */
export const IV_BYTES = 12

/** Length of the AES key derived from the passphrase, in bits. */
export const AES_KEY_BITS = 256

/** Length of the AES-GCM authentication tag, in bits. */
export const GCM_TAG_BITS = 128

/** Fewest PBKDF2 iterations a file may declare (below this the passphrase is too cheap to guess). */
export const MIN_PBKDF2_ITERATIONS = 100_000

/** Most PBKDF2 iterations a file may declare (above this a crafted file could stall the reader). */
export const MAX_PBKDF2_ITERATIONS = 10_000_000

/**
 * Longest identity file read, in characters (8 Mi). A file with thousands of
 * sites stays far below this; anything larger is not an identity file.
 */
export const MAX_IDENTITY_FILE_CHARS = 8 * 1024 * 1024

/** One name the owner key owns, with its last published record. */
export interface IdentitySite {
  /** Full WIA name, e.g. `alice.wia.home`. */
  name: string
  /** Sequence number of the last published name record (non-negative integer). */
  seq: number
  /** Root CID of the last published version (string form). */
  root: string
  /** The last published, signed name record (DAG-CBOR bytes, at most `MAX_RECORD_BYTES`). */
  record: Uint8Array
}

/** What an identity file carries once decrypted. */
export interface Identity {
  /** Owner private key, libp2p protobuf encoding (Ed25519). */
  ownerKey: Uint8Array
  /** Names this key owns, with their last published record (DAG-CBOR bytes) so the new device knows seq and root. */
  sites: IdentitySite[]
  /** When the export was made, ms since epoch. */
  exportedAt: number
}

/** The parts of an identity file, decoded but still encrypted. */
export interface IdentityEnvelope {
  /** PBKDF2 iteration count, from `MIN_PBKDF2_ITERATIONS` to `MAX_PBKDF2_ITERATIONS`. */
  iterations: number
  /** PBKDF2 salt, `SALT_BYTES` bytes. */
  salt: Uint8Array<ArrayBuffer>
  /** AES-GCM initialisation vector, `IV_BYTES` bytes. */
  iv: Uint8Array<ArrayBuffer>
  /** AES-GCM output: encrypted payload followed by the tag. */
  ciphertext: Uint8Array<ArrayBuffer>
}

/** Length of the AES-GCM tag, in bytes. */
const GCM_TAG_BYTES = GCM_TAG_BITS / 8

/** Shortest ciphertext possible: the tag plus at least one byte of payload JSON, in bytes. */
const MIN_CIPHERTEXT_BYTES = GCM_TAG_BYTES + 1

const FILE_FIELDS = ['format', 'version', 'kdf', 'cipher', 'ciphertext']
const KDF_FIELDS = ['name', 'hash', 'iterations', 'salt']
const CIPHER_FIELDS = ['name', 'iv']
const PAYLOAD_FIELDS = ['ownerKey', 'sites', 'exportedAt']
const SITE_FIELDS = ['name', 'seq', 'root', 'record']

/**
 * Writes the envelope as the JSON text of an identity file (pretty-printed,
 * ending in a newline).
 */
export function encodeIdentityFile (envelope: IdentityEnvelope): string {
  const file = {
    format: IDENTITY_FILE_FORMAT,
    version: IDENTITY_FILE_VERSION,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: envelope.iterations, salt: toString(envelope.salt, 'base64url') },
    cipher: { name: 'AES-GCM', iv: toString(envelope.iv, 'base64url') },
    ciphertext: toString(envelope.ciphertext, 'base64url')
  }
  return `${JSON.stringify(file, null, 2)}\n`
}

/**
 * Reads the JSON text of an identity file, checking every field against the
 * specification above. Does not decrypt.
 *
 * @throws {InvalidIdentityFileError} the text is longer than
 * `MAX_IDENTITY_FILE_CHARS`, not JSON, not a wia-home identity file, of
 * another format version, or a field is missing, unknown, or of the wrong
 * type, value or length
 */
export function decodeIdentityFile (text: string): IdentityEnvelope {
  if (text.length > MAX_IDENTITY_FILE_CHARS) {
    throw new InvalidIdentityFileError(`The file is too large to be a wia-home identity file (over ${MAX_IDENTITY_FILE_CHARS} characters)`)
  }

  let file: unknown
  try {
    file = JSON.parse(text)
  } catch (err) {
    throw new InvalidIdentityFileError('The file is not a wia-home identity file (it is not JSON text)', { cause: err })
  }

  if (!isPlainObject(file) || file.format !== IDENTITY_FILE_FORMAT) {
    throw new InvalidIdentityFileError(`The file is not a wia-home identity file (its "format" is not "${IDENTITY_FILE_FORMAT}")`)
  }
  if (typeof file.version === 'number' && Number.isInteger(file.version) && file.version > IDENTITY_FILE_VERSION) {
    throw new InvalidIdentityFileError(`identity file format version ${file.version} is not supported`, { version: file.version })
  }
  if (file.version !== IDENTITY_FILE_VERSION) {
    throw damaged(`"version" must be ${IDENTITY_FILE_VERSION}`)
  }
  checkFields(file, FILE_FIELDS, 'the file')

  const kdf = file.kdf
  if (!isPlainObject(kdf)) {
    throw damaged('"kdf" must be an object')
  }
  checkFields(kdf, KDF_FIELDS, '"kdf"')
  if (kdf.name !== 'PBKDF2') {
    throw damaged('"kdf.name" must be "PBKDF2"')
  }
  if (kdf.hash !== 'SHA-256') {
    throw damaged('"kdf.hash" must be "SHA-256"')
  }
  const iterations = kdf.iterations
  if (typeof iterations !== 'number' || !Number.isInteger(iterations) || iterations < MIN_PBKDF2_ITERATIONS || iterations > MAX_PBKDF2_ITERATIONS) {
    throw damaged(`"kdf.iterations" must be an integer from ${MIN_PBKDF2_ITERATIONS} to ${MAX_PBKDF2_ITERATIONS}`)
  }
  const salt = readBytes(kdf.salt, '"kdf.salt"', SALT_BYTES, SALT_BYTES)

  const cipher = file.cipher
  if (!isPlainObject(cipher)) {
    throw damaged('"cipher" must be an object')
  }
  checkFields(cipher, CIPHER_FIELDS, '"cipher"')
  if (cipher.name !== 'AES-GCM') {
    throw damaged('"cipher.name" must be "AES-GCM"')
  }
  const iv = readBytes(cipher.iv, '"cipher.iv"', IV_BYTES, IV_BYTES)

  const ciphertext = readBytes(file.ciphertext, '"ciphertext"', MIN_CIPHERTEXT_BYTES, Infinity)

  return { iterations, salt, iv, ciphertext }
}

/**
 * Encodes an identity as the payload JSON (UTF-8 bytes) that gets encrypted.
 * Does not check it; `decodeIdentityPayload` does.
 */
export function encodeIdentityPayload (identity: Identity): Uint8Array<ArrayBuffer> {
  const payload = {
    ownerKey: toString(identity.ownerKey, 'base64url'),
    sites: identity.sites.map(site => ({
      name: site.name,
      seq: site.seq,
      root: site.root,
      record: toString(site.record, 'base64url')
    })),
    exportedAt: identity.exportedAt
  }
  return new TextEncoder().encode(JSON.stringify(payload))
}

/**
 * Decodes decrypted payload bytes into an identity, checking every field
 * against the specification above: the owner key must decode as a libp2p
 * Ed25519 private key, site names must be valid WIA names without
 * duplicates, roots must be CIDs.
 *
 * @throws {InvalidIdentityFileError} the bytes are not UTF-8 JSON of a
 * payload, or a field is missing, unknown, or of the wrong type, value or
 * length
 */
export function decodeIdentityPayload (bytes: Uint8Array): Identity {
  let payload: unknown
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (err) {
    throw new InvalidIdentityFileError('The identity file is damaged (its content is not JSON text)', { cause: err })
  }
  if (!isPlainObject(payload)) {
    throw damaged('the content must be an object')
  }
  checkFields(payload, PAYLOAD_FIELDS, 'the content')

  const ownerKey = readBytes(payload.ownerKey, '"ownerKey"', 1, Infinity)
  let keyType: string
  try {
    keyType = privateKeyFromProtobuf(ownerKey).type
  } catch (err) {
    throw damaged('"ownerKey" is not a libp2p private key', { cause: err })
  }
  if (keyType !== 'Ed25519') {
    throw damaged(`"ownerKey" must be an Ed25519 key, not ${keyType}`)
  }

  if (!Array.isArray(payload.sites)) {
    throw damaged('"sites" must be an array')
  }
  const seen = new Set<string>()
  const sites = payload.sites.map((value: unknown, index): IdentitySite => {
    const site = readSite(value, `"sites[${index}]"`)
    if (seen.has(site.name)) {
      throw damaged(`"sites" lists ${site.name} twice`)
    }
    seen.add(site.name)
    return site
  })

  const exportedAt = payload.exportedAt
  if (typeof exportedAt !== 'number' || !Number.isSafeInteger(exportedAt) || exportedAt < 0) {
    throw damaged('"exportedAt" must be a non-negative integer (ms since epoch)')
  }

  return { ownerKey, sites, exportedAt }
}

function readSite (value: unknown, where: string): IdentitySite {
  if (!isPlainObject(value)) {
    throw damaged(`${where} must be an object`)
  }
  checkFields(value, SITE_FIELDS, where)

  const { name, seq, root } = value
  if (typeof name !== 'string') {
    throw damaged(`${where}.name must be a string`)
  }
  try {
    parseName(name)
  } catch (err) {
    throw damaged(`${where}.name is not a valid WIA name`, { cause: err })
  }
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw damaged(`${where}.seq must be a non-negative integer`)
  }
  if (typeof root !== 'string') {
    throw damaged(`${where}.root must be a string`)
  }
  try {
    CID.parse(root)
  } catch (err) {
    throw damaged(`${where}.root is not a CID`, { cause: err })
  }
  const record = readBytes(value.record, `${where}.record`, 1, MAX_RECORD_BYTES)

  return { name, seq, root, record }
}

/**
 * Decodes canonical unpadded base64url of `min` to `max` bytes.
 */
function readBytes (value: unknown, where: string, min: number, max: number): Uint8Array<ArrayBuffer> {
  if (typeof value !== 'string') {
    throw damaged(`${where} must be a base64url string`)
  }
  let bytes: Uint8Array<ArrayBuffer>
  try {
    bytes = fromString(value, 'base64url')
  } catch (err) {
    throw damaged(`${where} is not valid base64url`, { cause: err })
  }
  // Rejects padding and non-zero trailing bits, so each value has one spelling
  if (toString(bytes, 'base64url') !== value) {
    throw damaged(`${where} is not canonical unpadded base64url`)
  }
  if (bytes.byteLength < min || bytes.byteLength > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`
    throw damaged(`${where} must be ${expected} bytes, not ${bytes.byteLength}`)
  }
  return bytes
}

/**
 * Rejects missing and unknown fields.
 */
function checkFields (object: Record<string, unknown>, fields: readonly string[], where: string): void {
  for (const field of fields) {
    if (!Object.hasOwn(object, field)) {
      throw damaged(`${where} has no "${field}" field`)
    }
  }
  for (const field of Object.keys(object)) {
    if (!fields.includes(field)) {
      throw damaged(`${where} has an unknown field "${field}"`)
    }
  }
}

function isPlainObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function damaged (detail: string, options?: ErrorOptions): InvalidIdentityFileError {
  return new InvalidIdentityFileError(`The identity file is damaged or was not made by wia-home (${detail})`, options)
}
