/**
 * Name transfers: the current owner of a name hands it to another key.
 *
 * ## Signing input
 *
 * The old owner signs, with the key that owns the name,
 *
 * ```
 * utf8('wia-transfer:v1\n') || dagCbor.encode({ name, to, seq })
 * ```
 *
 * where `to` is the new owner's public key (libp2p protobuf encoding) and
 * `seq` is the sequence number the new owner's first record must carry at
 * least; relays take the transfer only if `seq` is above the last record
 * they hold, so the old owner can cancel an unused transfer by publishing a
 * record with a sequence number of `seq` or more.
 *
 * ## Token
 *
 * The old owner sends the new one a text token: the unpadded base64url of the
 * DAG-CBOR map `{ name, to, seq, from, sig }` (see {@link encodeTransfer}).
 * The new owner copies `from`, `seq` and `sig` into every record it publishes
 * (the record's `xfer` field), together with the proof of work of the old
 * owner's records.
 *
 * @module
 */

import * as dagCbor from '@ipld/dag-cbor'
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { ed25519KeyFromProtobuf, verifyEd25519 } from './ed25519.js'
import { concat, equals, fromString, toString } from 'uint8arrays'
import { InvalidSignatureError, MalformedRecordError } from './errors.js'
import { parseName } from './name.js'
import type { PrivateKey } from '@libp2p/interface'

/**
 * Prefix of a transfer's signing input; separates transfer signatures from
 * record signatures and any other use of the owner's key.
 */
export const TRANSFER_SIGNING_PREFIX = 'wia-transfer:v1\n'

/**
 * Longest transfer token accepted by {@link decodeTransfer}, in characters
 * (a real token is about 300).
 */
export const MAX_TRANSFER_TOKEN_CHARS = 1024

/**
 * The part of a transfer a name record carries (wire field `xfer`).
 */
export interface TransferProof {
  /** Previous owner's public key, libp2p protobuf encoding (Ed25519) */
  from: Uint8Array
  /** The sequence number the transfer was made for; the record's `seq` is at least this */
  seq: number
  /** Ed25519 signature by `from` over {@link transferSigningInput} */
  signature: Uint8Array
}

/**
 * A signed transfer of a name from one key (`from`) to another (`to`).
 */
export interface TransferAuthorization extends TransferProof {
  /** Full site name, e.g. `alice.wia.home` */
  name: string
  /** New owner's public key, libp2p protobuf encoding (Ed25519) */
  to: Uint8Array
}

/**
 * Options of {@link createTransfer}.
 */
export interface CreateTransferInit {
  /** Full site name, e.g. `alice.wia.home` */
  name: string
  /** New owner's public key, libp2p protobuf encoding (Ed25519) */
  to: Uint8Array
  /** Sequence number of the new owner's first record: normally the old owner's latest `seq` + 1 */
  seq: number
  /** The current owner's Ed25519 private key */
  privateKey: PrivateKey
}

/** Wire keys of a transfer token */
const TOKEN_KEYS = ['name', 'to', 'seq', 'from', 'sig'] as const

const BASE64URL = /^[A-Za-z0-9_-]+$/

/**
 * The bytes the old owner signs: UTF-8 of {@link TRANSFER_SIGNING_PREFIX}
 * followed by the DAG-CBOR map `{ name, to, seq }`.
 *
 * @param transfer - name, new owner's key and sequence number
 * @returns the signing input bytes
 */
export function transferSigningInput (transfer: Pick<TransferAuthorization, 'name' | 'to' | 'seq'>): Uint8Array {
  return concat([fromString(TRANSFER_SIGNING_PREFIX), dagCbor.encode({ name: transfer.name, to: transfer.to, seq: transfer.seq })])
}

/**
 * Sign a transfer of `name` to the key `to`.
 *
 * @param init - name, new owner's key, sequence number and the current owner's key
 * @returns the signed transfer; send it with {@link encodeTransfer}
 * @throws {InvalidNameError} if the name is not a valid site name
 * @throws {MalformedRecordError} if `seq` is not a non-negative safe integer, a key is not Ed25519 or `to` is the signing key itself
 */
export async function createTransfer (init: CreateTransferInit): Promise<TransferAuthorization> {
  parseName(init.name)
  checkSeq(init.seq, 'Cannot create the transfer')

  if (init.privateKey.type !== 'Ed25519') {
    throw new MalformedRecordError(`Cannot create the transfer: it must be signed with an Ed25519 key, not ${init.privateKey.type}`)
  }

  readKey(init.to, `Cannot create the transfer of ${init.name}: the new owner's key`)
  const from = publicKeyToProtobuf(init.privateKey.publicKey)

  if (equals(from, init.to)) {
    throw new MalformedRecordError(`Cannot create the transfer of ${init.name}: the new owner's key is this owner's own key`)
  }

  const unsigned = { name: init.name, to: Uint8Array.from(init.to), seq: init.seq }
  const signature = new Uint8Array(await init.privateKey.sign(transferSigningInput(unsigned)))

  return { ...unsigned, from, signature }
}

/**
 * Check a transfer's signature: `from` must have signed
 * {@link transferSigningInput} of its name, `to` and `seq`.
 *
 * @param transfer - a transfer (decoded, created, or assembled from a record)
 * @throws {InvalidNameError} if the name is not a valid site name
 * @throws {MalformedRecordError} if `seq` is out of range, or `from` or `to` does not decode as an Ed25519 key
 * @throws {InvalidSignatureError} if the signature does not verify
 */
export async function verifyTransfer (transfer: TransferAuthorization): Promise<void> {
  parseName(transfer.name)
  checkSeq(transfer.seq, `The transfer of ${transfer.name} is not valid`)
  readKey(transfer.to, `The transfer of ${transfer.name} is not valid: its new owner's key`)
  const from = readKey(transfer.from, `The transfer of ${transfer.name} is not valid: its previous owner's key`)

  let valid: boolean
  try {
    valid = await verifyEd25519(from, transferSigningInput(transfer), transfer.signature)
  } catch (err) {
    throw new InvalidSignatureError(`The signature of the transfer of ${transfer.name} could not be checked; it was ignored`, { cause: err })
  }

  if (!valid) {
    throw new InvalidSignatureError(`The transfer of ${transfer.name} is not signed by the previous owner's key; it was changed or forged and was ignored`)
  }
}

/**
 * Rule 6 of a name record's verification (`record.ts`): the transfer the
 * record carries, if any, gave its name to its key, for a sequence number
 * the record has reached.
 *
 * @param record - the record's name, owner key (protobuf), sequence number and transfer
 * @throws {MalformedRecordError} if `seq` is below `transfer.seq`, or a key does not decode as Ed25519
 * @throws {InvalidSignatureError} if the transfer's signature does not verify
 */
export async function verifyRecordTransfer (record: { name: string, publicKey: Uint8Array, seq: number, transfer?: TransferProof }): Promise<void> {
  if (record.transfer == null) {
    return
  }

  if (record.seq < record.transfer.seq) {
    throw new MalformedRecordError(`The name record for ${record.name} has sequence number ${record.seq}, below the ${record.transfer.seq} of the transfer it carries`)
  }

  await verifyTransfer({ ...record.transfer, name: record.name, to: record.publicKey })
}

/**
 * Encode a transfer as a text token: unpadded base64url of the DAG-CBOR map
 * `{ name, to, seq, from, sig }`.
 *
 * @param transfer - a signed transfer
 * @returns the token, characters `A–Z a–z 0–9 - _` only
 */
export function encodeTransfer (transfer: TransferAuthorization): string {
  return toString(dagCbor.encode({
    name: transfer.name,
    to: transfer.to,
    seq: transfer.seq,
    from: transfer.from,
    sig: transfer.signature
  }), 'base64url')
}

/**
 * Decode and shape-check a transfer token. Surrounding whitespace is ignored.
 * Does not verify the signature; use {@link verifyTransfer} for that.
 *
 * @param token - a token made by {@link encodeTransfer}
 * @returns the transfer; its byte fields are plain `Uint8Array`s
 * @throws {MalformedRecordError} if the token is too long, not base64url, not the canonical DAG-CBOR of a map with exactly the fields above, or a field has the wrong type
 * @throws {InvalidNameError} if the name is not a valid site name
 */
export function decodeTransfer (token: string): TransferAuthorization {
  const text = token.trim()

  if (text.length > MAX_TRANSFER_TOKEN_CHARS) {
    throw new MalformedRecordError(`The transfer token is ${text.length} characters long; the limit is ${MAX_TRANSFER_TOKEN_CHARS}, so check that it was copied alone`)
  }

  if (!BASE64URL.test(text)) {
    throw new MalformedRecordError('The transfer token may only contain letters, digits, "-" and "_"; check that it was copied whole')
  }

  let decoded: unknown
  try {
    decoded = dagCbor.decode(fromString(text, 'base64url'))
  } catch (err) {
    throw new MalformedRecordError('The transfer token is damaged; check that it was copied whole', { cause: err })
  }

  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded) || decoded instanceof Uint8Array) {
    throw new MalformedRecordError('The transfer token is not a map of fields; it is damaged or not a WIA transfer')
  }

  const fields = decoded as Record<string, unknown>
  const keys = Object.keys(fields)
  if (keys.length !== TOKEN_KEYS.length || !TOKEN_KEYS.every(key => Object.hasOwn(fields, key))) {
    throw new MalformedRecordError(`The transfer token must have exactly the fields ${TOKEN_KEYS.join(', ')}; it is damaged or not a WIA transfer`)
  }

  const { name, to, seq, from, sig } = fields

  if (typeof name !== 'string' || !(to instanceof Uint8Array) || !(from instanceof Uint8Array) || !(sig instanceof Uint8Array)) {
    throw new MalformedRecordError('A field of the transfer token has the wrong type; it is damaged or not a WIA transfer')
  }

  checkSeq(seq, 'The transfer token is damaged')

  const transfer: TransferAuthorization = {
    name,
    to: Uint8Array.from(to),
    seq,
    from: Uint8Array.from(from),
    signature: Uint8Array.from(sig)
  }

  // one token per transfer: no other key order, integer width or base64 tail bits
  if (encodeTransfer(transfer) !== text) {
    throw new MalformedRecordError('The transfer token is not in canonical form; it is damaged or was not written by WIA')
  }

  parseName(name)

  return transfer
}

function checkSeq (seq: unknown, context: string): asserts seq is number {
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw new MalformedRecordError(`${context}: the sequence number must be a non-negative whole number, not ${String(seq)}`)
  }
}

function readKey (bytes: Uint8Array, context: string): Uint8Array {
  return ed25519KeyFromProtobuf(bytes, context)
}
