/**
 * Verifying a WIA name record without knowing any earlier record: the rules
 * "Verifying" of `record.ts`'s module documentation (and `docs/naming.md`),
 * in order. What every reader of a record from an untrusted peer runs before
 * using it.
 *
 * @module
 */

import { ed25519KeyFromProtobuf, verifyEd25519 } from './ed25519.js'
import { InvalidSignatureError, NameMismatchError, RecordExpiredError, UnsupportedRecordVersionError } from './errors.js'
import { parseName } from './name.js'
import { DEFAULT_POW_BITS, verifyRegistrationProof } from './pow.js'
import { NAME_RECORD_VERSION, decodeNameRecord, signingInput } from './record.js'
import { verifyRecordTransfer } from './transfer.js'
import type { NameRecord } from './record.js'

/**
 * Options of {@link verifyNameRecord}.
 */
export interface VerifyNameRecordOptions {
  /** The name the record must carry, e.g. the name in the DHT key or the one the visitor asked for */
  name?: string
  /**
   * The current time, in ms since the Unix epoch
   *
   * @default Date.now()
   */
  now?: number
  /**
   * Least difficulty of the registration proof, in leading zero bits
   *
   * @default DEFAULT_POW_BITS (20)
   */
  minPowBits?: number
}

/**
 * Check that a record may be trusted without knowing any earlier record: the
 * rules of the module documentation, in order (name, expected name, expiry,
 * key, signature, transfer, registration proof).
 *
 * @param record - a decoded record
 * @param options - the expected name, the current time and the least proof-of-work difficulty
 * @throws {UnsupportedRecordVersionError} if the record's version is not 1
 * @throws {InvalidNameError} if the record's name is not a valid site name
 * @throws {NameMismatchError} if `options.name` is given and differs from the record's name
 * @throws {RecordExpiredError} if `record.expires <= now`
 * @throws {MalformedRecordError} if a public key does not decode or is not Ed25519, or `seq` is below `transfer.seq`
 * @throws {InvalidSignatureError} if the record's or the transfer's signature does not verify
 * @throws {InsufficientProofOfWorkError} if the proof claims fewer than `minPowBits` bits
 * @throws {InvalidProofOfWorkError} if the proof does not hold for the name and the record's key (or the transfer's previous owner)
 */
export async function verifyNameRecord (record: NameRecord, options: VerifyNameRecordOptions = {}): Promise<void> {
  const now = options.now ?? Date.now()
  const minPowBits = options.minPowBits ?? DEFAULT_POW_BITS

  if (record.version !== NAME_RECORD_VERSION) {
    throw new UnsupportedRecordVersionError(`The name record uses format version ${String(record.version)}; this version of WIA reads only version ${NAME_RECORD_VERSION}, so update the app`)
  }

  parseName(record.name)

  if (options.name != null && options.name !== record.name) {
    throw new NameMismatchError(`name record is for ${record.name}, not ${options.name}`)
  }

  if (record.expires <= now) {
    throw new RecordExpiredError(`name record for ${record.name} expired at ${formatTime(record.expires)}`, { expires: Number(record.expires) })
  }

  const publicKey = ed25519KeyFromProtobuf(record.publicKey, `The name record for ${record.name} has a public key that`)

  let valid: boolean
  try {
    valid = await verifyEd25519(publicKey, signingInput(record), record.signature)
  } catch (err) {
    throw new InvalidSignatureError(`signature of the name record for ${record.name} could not be checked`, { cause: err })
  }

  if (!valid) {
    throw new InvalidSignatureError(`name record for ${record.name} is not signed by its owner key`)
  }

  await verifyRecordTransfer(record)

  verifyRegistrationProof(record, minPowBits)
}

/**
 * Decode a record received as bytes and verify it ({@link decodeNameRecord},
 * then {@link verifyNameRecord}): what every reader of a record from an
 * untrusted peer does before using it.
 *
 * @param bytes - the record as received
 * @param options - as for {@link verifyNameRecord}
 * @returns the verified record
 * @throws the errors of {@link decodeNameRecord} and {@link verifyNameRecord}
 */
export async function decodeVerifiedNameRecord (bytes: Uint8Array, options: VerifyNameRecordOptions = {}): Promise<NameRecord> {
  const record = decodeNameRecord(bytes)
  await verifyNameRecord(record, options)
  return record
}

function formatTime (ms: number): string {
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? `${ms} ms after 1970-01-01` : date.toISOString()
}
