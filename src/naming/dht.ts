/**
 * WIA name records in a Kademlia DHT.
 *
 * Records live under the keys `/wia/<name>`. A kad-dht is told about them
 * with maps keyed by the namespace without slashes:
 *
 * ```ts
 * kadDHT({
 *   validators: { [NAME_RECORD_NAMESPACE]: createNameRecordValidator({ minPowBits }) },
 *   selectors: { [NAME_RECORD_NAMESPACE]: selectNameRecord }
 * })
 * ```
 *
 * @module
 */

import { fromString, toString } from 'uint8arrays'
import { MalformedRecordError } from './errors.js'
import { parseName } from './name.js'
import { DEFAULT_POW_BITS } from './pow.js'
import { decodeNameRecord } from './record.js'
import { decodeVerifiedNameRecord } from './verify.js'
import type { NameRecord } from './record.js'
import type { VerifyNameRecordOptions } from './verify.js'
import type { AbortOptions } from '@libp2p/interface'

/**
 * The DHT key namespace of name records (keys are `/wia/<name>`).
 */
export const NAME_RECORD_NAMESPACE = 'wia'

const KEY_PREFIX = `/${NAME_RECORD_NAMESPACE}/`

/**
 * Options of a name record validator, per call.
 */
export interface ValidateNameRecordOptions extends AbortOptions {
  /**
   * The current time, in ms since the Unix epoch
   *
   * @default the validator's clock
   */
  now?: number
  /**
   * Least difficulty of the registration proof, in leading zero bits
   *
   * @default the validator's `minPowBits`
   */
  minPowBits?: number
}

/**
 * Options of {@link createNameRecordValidator}.
 */
export interface NameRecordValidatorInit {
  /**
   * Least difficulty of the registration proof, in leading zero bits
   *
   * @default DEFAULT_POW_BITS (20)
   */
  minPowBits?: number
  /**
   * The clock, in ms since the Unix epoch
   *
   * @default Date.now
   */
  now?: () => number
}

/**
 * A kad-dht validator (`ValidateFn`) of name records that also takes the
 * time and the difficulty per call.
 */
export type NameRecordValidator = (key: Uint8Array, value: Uint8Array, options?: ValidateNameRecordOptions) => Promise<void>

/**
 * The DHT key of a name: the UTF-8 bytes of `/wia/<name>`.
 *
 * @param name - a full site name, e.g. `alice.wia.home`
 * @returns the key bytes
 * @throws {InvalidNameError} if the name is not a valid site name
 */
export function nameRecordKey (name: string): Uint8Array {
  parseName(name)
  return fromString(`${KEY_PREFIX}${name}`)
}

/**
 * The site name in a DHT key; the inverse of {@link nameRecordKey}.
 *
 * @param key - key bytes, `/wia/<name>` in UTF-8
 * @returns the site name, e.g. `alice.wia.home`
 * @throws {MalformedRecordError} if the key is not in the `/wia/` namespace
 * @throws {InvalidNameError} if the name in the key is not a valid site name
 */
export function nameFromRecordKey (key: Uint8Array): string {
  const text = toString(key)

  if (!text.startsWith(KEY_PREFIX)) {
    throw new MalformedRecordError(`The DHT key ${JSON.stringify(text)} is not a WIA name key; WIA name keys start with ${KEY_PREFIX}`)
  }

  const name = text.slice(KEY_PREFIX.length)
  parseName(name)

  return name
}

/**
 * Create a kad-dht validator (`ValidateFn`) for the `wia` namespace: it
 * decodes the record and verifies it statelessly against the name in the key
 * (`verifyNameRecord`, including the registration proof). It resolves if the
 * record may be stored and served, and rejects otherwise. A relay adds the
 * first-come rule (`checkReplacement`) on top.
 *
 * @param init - least proof-of-work difficulty and clock
 * @returns the validator; per-call `now` and `minPowBits` options override `init`
 */
export function createNameRecordValidator (init: NameRecordValidatorInit = {}): NameRecordValidator {
  const minPowBits = init.minPowBits ?? DEFAULT_POW_BITS
  const clock = init.now ?? Date.now

  /**
   * @throws {MalformedRecordError} if the key is outside the namespace, or the record is malformed or has a non-Ed25519 key
   * @throws {RecordTooLargeError} if the record is longer than `MAX_RECORD_BYTES`
   * @throws {UnsupportedRecordVersionError} if the record's version is not 1
   * @throws {InvalidNameError} if the name in the key or in the record is not valid
   * @throws {NameMismatchError} if the record is for another name than the key's
   * @throws {RecordExpiredError} if the record has expired
   * @throws {InvalidSignatureError} if the record's or its transfer's signature does not verify
   * @throws {InsufficientProofOfWorkError} if the registration proof is easier than `minPowBits`
   * @throws {InvalidProofOfWorkError} if the registration proof does not hold
   */
  return async (key, value, options = {}) => {
    options.signal?.throwIfAborted()

    await decodeNameRecordForKey(key, value, { now: options.now ?? clock(), minPowBits: options.minPowBits ?? minPowBits })
  }
}

/**
 * What the `wia` validator checks, returning the record: the name in the DHT
 * key, then the record decoded and verified against it
 * (`decodeVerifiedNameRecord`). For a reader that keeps the record it
 * validated (a relay's registry), so it is decoded once.
 *
 * @param key - the DHT key, `/wia/<name>`
 * @param value - the record bytes, as received
 * @param options - the current time and the least proof-of-work difficulty (the key gives the name)
 * @returns the verified record
 * @throws the errors of the validator of {@link createNameRecordValidator}
 */
export async function decodeNameRecordForKey (key: Uint8Array, value: Uint8Array, options: Omit<VerifyNameRecordOptions, 'name'> = {}): Promise<NameRecord> {
  return await decodeVerifiedNameRecord(value, { ...options, name: nameFromRecordKey(key) })
}

/**
 * The default validator: {@link createNameRecordValidator} with
 * {@link DEFAULT_POW_BITS} and the system clock.
 */
export const validateNameRecord: NameRecordValidator = createNameRecordValidator()

/**
 * kad-dht selector (`SelectFn`) for the `wia` namespace: the index of the best
 * of several records for one key.
 *
 * The best record is, among those that decode and carry the key's name, the
 * one with the highest `seq`; on a tie the later `expires`; on a tie the lowest
 * index. A record that does not decode or carries another name is chosen
 * only if no record qualifies, and then index 0 is returned. Signatures and
 * expiry are not checked here (kad-dht validates records before selecting,
 * and verification is async): an expired record with a higher `seq` still
 * wins, so an older version cannot come back once the owner has replaced it.
 * It does not tell owners apart: relays refuse other owners' records on put
 * (`checkReplacement`), and a visitor settles records of different owners
 * with `chooseRecord`.
 *
 * @param key - the DHT key, `/wia/<name>`
 * @param records - record bytes, as received
 * @returns the index of the best record in `records`
 * @throws {MalformedRecordError} if `records` is empty or the key is outside the namespace
 * @throws {InvalidNameError} if the name in the key is not valid
 */
export function selectNameRecord (key: Uint8Array, records: Uint8Array[]): number {
  if (records.length === 0) {
    throw new MalformedRecordError('There are no name records to choose from')
  }

  const name = nameFromRecordKey(key)
  let bestIndex = 0
  let best: NameRecord | undefined

  records.forEach((bytes, index) => {
    let record: NameRecord
    try {
      record = decodeNameRecord(bytes)
    } catch {
      return
    }

    if (record.name !== name) {
      return
    }

    if (best == null || isBetter(record, best)) {
      best = record
      bestIndex = index
    }
  })

  return bestIndex
}

function isBetter (candidate: NameRecord, current: NameRecord): boolean {
  if (candidate.seq !== current.seq) {
    return candidate.seq > current.seq
  }

  return candidate.expires > current.expires
}
