/**
 * WIA name record, format version 1.
 *
 * A name record binds a site name to its owner's key and to the root CID of
 * the site's current version. It is stored in the DHT under `/wia/<name>`
 * (see `dht.ts`) and checked by every reader; relays are not trusted. The
 * full specification, with the relays' and visitors' rules, is
 * `docs/naming.md`.
 *
 * ## Wire format
 *
 * One DAG-CBOR map in canonical form (deterministic key order, shortest
 * integers; other encodings of the same map are refused), at most
 * {@link MAX_RECORD_BYTES} (2048) bytes, with exactly these keys (`xfer` is
 * optional, every other key is required, no other key is allowed):
 *
 * | key    | type         | field       | meaning |
 * |--------|--------------|-------------|---------|
 * | `v`    | integer      | `version`   | format version, `1` |
 * | `name` | text         | `name`      | full site name, `<label>.wia.<tld>` (at most 72 bytes) |
 * | `key`  | bytes        | `publicKey` | owner's public key, libp2p protobuf encoding; Ed25519 (36 bytes) |
 * | `root` | CID (tag 42) | `root`      | UnixFS root of the site version; `UNPUBLISHED_ROOT` (`bafkqaaa`) once unpublished (`unpublished.ts`) |
 * | `seq`  | integer      | `seq`       | non-negative safe integer (0 … 2^53 − 1); every update increases it |
 * | `exp`  | number       | `expires`   | end of validity, ms since the Unix epoch (UTC) |
 * | `pow`  | map          | `proof`     | registration proof of work `{ n, bits }` (see `pow.ts`) |
 * | `xfer` | map          | `transfer`  | optional; transfer from the previous owner `{ from, seq, sig }` (see `transfer.ts`) |
 * | `sig`  | bytes        | `signature` | Ed25519 signature (64 bytes) over the signing input |
 *
 * `pow` is the map `{ n: bytes (nonce, 1–32 bytes), bits: integer 0–64 }`
 * (fields `proof.nonce`, `proof.bits`). `xfer` is the map `{ from: bytes
 * (previous owner's public key, protobuf), seq: integer (the sequence number
 * the transfer was signed for), sig: bytes (the previous owner's signature) }`
 * (fields `transfer.from`, `transfer.seq`, `transfer.signature`); it is in
 * every record of a name after its first transfer, the new owner copying it
 * into each later record together with the previous owner's `pow`.
 *
 * ## Signing input
 *
 * The UTF-8 bytes of the domain-separation prefix `wia-name-record:v1\n`
 * (19 bytes, ending in a line feed) followed by the DAG-CBOR encoding of the
 * record without `sig`: `{ v, name, key, root, seq, exp, pow }` plus `xfer`
 * when present. The prefix keeps a WIA signature from being valid for any
 * other protocol that the same key signs for.
 *
 * ## Validation, in order
 *
 * Decoding ({@link decodeNameRecord}):
 * 1. size ≤ 2048 bytes, else `RecordTooLargeError` (checked before decoding);
 * 2. valid DAG-CBOR whose top level is a map, else `MalformedRecordError`;
 * 3. `v` is a number, else `MalformedRecordError`; `v` is 1, else
 *    `UnsupportedRecordVersionError`;
 * 4. exactly the keys above, none missing and none extra (in `pow` and `xfer`
 *    too), each of the type and size above, else `MalformedRecordError`;
 * 5. the bytes are the canonical encoding of what they decode to, else
 *    `MalformedRecordError`;
 * 6. `name` is a valid site name, else `InvalidNameError`.
 *
 * Verifying (`verifyNameRecord`, `verify.ts`), stateless:
 * 1. `name` is a valid site name, else `InvalidNameError`;
 * 2. `name` equals the expected name (the DHT key's), else `NameMismatchError`;
 * 3. `exp` is later than now, else `RecordExpiredError`;
 * 4. `key` decodes and is an Ed25519 key, else `MalformedRecordError`;
 * 5. `sig` verifies over the signing input with `key`, else `InvalidSignatureError`;
 * 6. if `xfer` is present: `seq ≥ xfer.seq`, else `MalformedRecordError`;
 *    `xfer.from` decodes and is an Ed25519 key, else `MalformedRecordError`;
 *    `xfer.sig` verifies with `xfer.from` over the transfer signing input of
 *    `{ name, to: key, seq: xfer.seq }`, else `InvalidSignatureError`;
 * 7. `pow.bits` is at least the reader's minimum (`minPowBits`, default
 *    `DEFAULT_POW_BITS`), else `InsufficientProofOfWorkError`;
 * 8. `pow` holds for `name` and `key` or, when `xfer` is present, for `name`
 *    and `xfer.from`, else `InvalidProofOfWorkError`.
 *
 * A DHT server then applies the first-come rule (`checkReplacement` in
 * `rules.ts`); a visitor choosing among valid records of different owners
 * applies `chooseRecord` (`choose.ts`). Among several valid records of one
 * owner, the highest `seq` wins, then the later `exp` (see `selectNameRecord`
 * in `dht.ts`).
 *
 * @module
 */

import * as dagCbor from '@ipld/dag-cbor'
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { identity } from 'multiformats/hashes/identity'
import { concat, equals, fromString, toString } from 'uint8arrays'
import { MalformedRecordError, RecordTooLargeError, UnsupportedRecordVersionError } from './errors.js'
import { parseName } from './name.js'
import { verifyRegistrationProof } from './pow.js'
import { verifyRecordTransfer } from './transfer.js'
import { isPlainMap, recordFromWire, recordToWire } from './wire.js'
import type { ProofOfWork } from './pow.js'
import type { TransferProof } from './transfer.js'
import type { PrivateKey } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/**
 * The record format version this code writes and reads.
 */
export const NAME_RECORD_VERSION = 1

/**
 * How long a new record stays valid unless told otherwise, in ms (30 days).
 */
export const RECORD_VALIDITY_MS = 30 * 24 * 60 * 60_000

/**
 * Largest encoded record accepted, in bytes.
 */
export const MAX_RECORD_BYTES = 2048

/**
 * Prefix of the signing input; separates WIA signatures from any other
 * use of the owner's key.
 */
export const SIGNING_PREFIX = 'wia-name-record:v1\n'

/**
 * A decoded WIA name record (see the module documentation for the format).
 */
export interface NameRecord {
  /** Format version, always 1 */
  version: 1
  /** Full site name, e.g. `alice.wia.home` */
  name: string
  /** Owner's public key, libp2p protobuf encoding (Ed25519) */
  publicKey: Uint8Array
  /** UnixFS root of the site version */
  root: CID
  /** Non-negative safe integer; increases with every update */
  seq: number
  /** End of validity, ms since the Unix epoch */
  expires: number
  /** Registration proof of work (wire `pow`): for `name` and `publicKey`, or for `name` and `transfer.from` */
  proof: ProofOfWork
  /** Transfer from the previous owner (wire `xfer`), in every record after the name's first transfer */
  transfer?: TransferProof
  /** Ed25519 signature over {@link signingInput} */
  signature: Uint8Array
}

/**
 * A name record before it is signed.
 */
export type UnsignedNameRecord = Omit<NameRecord, 'signature'>

/**
 * Options of {@link createNameRecord}.
 */
export interface CreateNameRecordInit {
  /** Full site name, e.g. `alice.wia.home` */
  name: string
  /** UnixFS root of the site version to publish */
  root: CID
  /** Sequence number: a non-negative safe integer, higher than any earlier record of this name */
  seq: number
  /** The owner's Ed25519 private key; its public key goes into the record */
  privateKey: PrivateKey
  /**
   * Registration proof of work: a new one for a new name (`solveProofOfWork`),
   * else the one of the name's earlier records
   */
  proof: ProofOfWork
  /**
   * The transfer that gave this key the name (a decoded transfer token, or
   * the `transfer` of the name's earlier records); omitted if the name was
   * never transferred
   */
  transfer?: TransferProof
  /**
   * How long the record stays valid, in ms (a positive finite number)
   *
   * @default RECORD_VALIDITY_MS (30 days)
   */
  validityMs?: number
  /**
   * The current time, in ms since the Unix epoch
   *
   * @default Date.now()
   */
  now?: number
}

/**
 * The bytes the owner signs: UTF-8 of {@link SIGNING_PREFIX} followed by the
 * DAG-CBOR map `{ v, name, key, root, seq, exp, pow, xfer? }`.
 *
 * @param record - the record without its signature (a signed record may be passed; its signature is ignored)
 * @returns the signing input bytes
 */
export function signingInput (record: UnsignedNameRecord): Uint8Array {
  return concat([fromString(SIGNING_PREFIX), dagCbor.encode(recordToWire(record, false))])
}

/**
 * Encode a signed record as the DAG-CBOR map `{ v, name, key, root, seq, exp, pow, xfer?, sig }`.
 *
 * @param record - a signed record
 * @returns the record bytes, at most {@link MAX_RECORD_BYTES}
 * @throws {RecordTooLargeError} if the encoding is longer than {@link MAX_RECORD_BYTES}, since no peer would accept it
 */
export function encodeNameRecord (record: NameRecord): Uint8Array {
  const bytes = dagCbor.encode(recordToWire(record, true))

  if (bytes.byteLength > MAX_RECORD_BYTES) {
    throw new RecordTooLargeError(`The name record would be ${bytes.byteLength} bytes; the limit is ${MAX_RECORD_BYTES} bytes, so use a shorter root CID`)
  }

  return bytes
}

/**
 * Decode and shape-check record bytes. Does not verify the signatures, the
 * proof of work or the validity period; use `verifyNameRecord` (`verify.ts`) for that.
 *
 * @param bytes - record bytes, as stored in the DHT
 * @returns the record; its byte fields are plain `Uint8Array` copies, not views of `bytes`
 * @throws {RecordTooLargeError} if `bytes` is longer than {@link MAX_RECORD_BYTES} (checked before decoding)
 * @throws {MalformedRecordError} if the bytes are not canonical DAG-CBOR, or a field is missing, unknown or of the wrong type or size
 * @throws {UnsupportedRecordVersionError} if the version is not 1
 * @throws {InvalidNameError} if the name is not a valid site name
 */
export function decodeNameRecord (bytes: Uint8Array): NameRecord {
  if (bytes.byteLength > MAX_RECORD_BYTES) {
    throw new RecordTooLargeError(`The name record is ${bytes.byteLength} bytes; the limit is ${MAX_RECORD_BYTES} bytes, so it was not read`)
  }

  let decoded: unknown
  try {
    decoded = dagCbor.decode(bytes)
  } catch (err) {
    throw new MalformedRecordError('The name record is not valid DAG-CBOR; it is damaged or was not written by WIA', { cause: err })
  }

  if (!isPlainMap(decoded)) {
    throw new MalformedRecordError('The name record is not a CBOR map of fields; it is damaged or was not written by WIA')
  }

  const { v } = decoded
  if (typeof v !== 'number') {
    throw new MalformedRecordError('The name record has no numeric version field "v"')
  }

  if (v !== NAME_RECORD_VERSION) {
    throw new UnsupportedRecordVersionError(`The name record uses format version ${v}; this version of WIA reads only version ${NAME_RECORD_VERSION}, so update the app`)
  }

  const record = recordFromWire(decoded, NAME_RECORD_VERSION)

  // the decoder accepts map keys in any order; a second encoding of the same
  // record would be a different DHT value with the same meaning
  if (!equals(dagCbor.encode(recordToWire(record, true)), bytes)) {
    throw new MalformedRecordError('The name record is not in canonical DAG-CBOR form; it was altered or was not written by WIA')
  }

  parseName(record.name)

  return record
}

/**
 * Create and sign a record that points `name` at `root`.
 *
 * @param init - name, root, sequence number, the owner's key, the registration proof, the transfer and the validity period
 * @returns the signed record, valid from `now` for `validityMs` ms
 * @throws {InvalidNameError} if the name is not a valid site name
 * @throws {MalformedRecordError} if `seq` is not a non-negative safe integer or is below `transfer.seq`, `validityMs` or `now` is not usable, or a key is not Ed25519
 * @throws {InvalidSignatureError} if `transfer` is not a transfer of this name to this key
 * @throws {InvalidProofOfWorkError} if `proof` does not hold for the name and this key (or the transfer's previous owner)
 * @throws {RecordTooLargeError} if the record would be longer than {@link MAX_RECORD_BYTES}
 */
export async function createNameRecord (init: CreateNameRecordInit): Promise<NameRecord> {
  const validityMs = init.validityMs ?? RECORD_VALIDITY_MS
  const now = init.now ?? Date.now()

  parseName(init.name)

  if (!Number.isSafeInteger(init.seq) || init.seq < 0) {
    throw new MalformedRecordError(`Cannot create the name record: the sequence number must be a non-negative whole number, not ${init.seq}`)
  }

  if (!Number.isFinite(validityMs) || validityMs <= 0) {
    throw new MalformedRecordError(`Cannot create the name record: the validity period must be a positive number of ms, not ${validityMs}`)
  }

  if (!Number.isFinite(now + validityMs)) {
    throw new MalformedRecordError(`Cannot create the name record: the time ${now} ms is not usable`)
  }

  if (init.privateKey.type !== 'Ed25519') {
    throw new MalformedRecordError(`Cannot create the name record: it must be signed with an Ed25519 key, not ${init.privateKey.type}`)
  }

  const unsigned: UnsignedNameRecord = {
    version: NAME_RECORD_VERSION,
    name: init.name,
    publicKey: publicKeyToProtobuf(init.privateKey.publicKey),
    root: init.root,
    seq: init.seq,
    expires: now + validityMs,
    proof: { nonce: Uint8Array.from(init.proof.nonce), bits: init.proof.bits }
  }

  if (init.transfer != null) {
    // only the record's fields: a whole TransferAuthorization may be passed
    unsigned.transfer = { from: Uint8Array.from(init.transfer.from), seq: init.transfer.seq, signature: Uint8Array.from(init.transfer.signature) }
    await verifyRecordTransfer(unsigned)
  }

  // catch a proof for another name or key here rather than at every relay
  verifyRegistrationProof(unsigned, 0)

  // copied into a plain Uint8Array: in Node the signer may return a Buffer,
  // whose slice() shares memory
  const signature = new Uint8Array(await init.privateKey.sign(signingInput(unsigned)))
  const record: NameRecord = { ...unsigned, signature }

  encodeNameRecord(record)

  return record
}

/**
 * A stable text id of the record owner's key, for pinning a name to its
 * first-seen owner. It is the base58btc text of the identity multihash of
 * the protobuf public key, i.e. the owner's libp2p PeerId string
 * (`12D3KooW…` for Ed25519 keys).
 *
 * @param record - a record (decoded or created)
 * @returns the key id; equal keys give equal ids
 */
export function ownerKeyId (record: NameRecord): string {
  return toString(identity.digest(record.publicKey).bytes, 'base58btc')
}
