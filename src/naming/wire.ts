/**
 * The DAG-CBOR map of a name record and the shape checks of its fields
 * (the wire format is specified in `record.ts`). Internal to the module.
 *
 * @module
 */

import { CID } from 'multiformats/cid'
import { MalformedRecordError } from './errors.js'
import { MAX_NONCE_BYTES, MAX_WIRE_POW_BITS, MIN_NONCE_BYTES } from './pow.js'
import type { NameRecord, UnsignedNameRecord } from './record.js'
import type { ProofOfWork } from './pow.js'
import type { TransferProof } from './transfer.js'

/** Required wire keys of a signed record, in the order they are checked */
const REQUIRED_KEYS = ['v', 'name', 'key', 'root', 'seq', 'exp', 'pow', 'sig'] as const

/** Optional wire keys of a record */
const OPTIONAL_KEYS = ['xfer'] as const

const ALL_KEYS: readonly string[] = [...REQUIRED_KEYS, ...OPTIONAL_KEYS]

const POW_KEYS = ['n', 'bits'] as const

const XFER_KEYS = ['from', 'seq', 'sig'] as const

/**
 * The wire map of a record: `{ v, name, key, root, seq, exp, pow, xfer? }`,
 * plus `sig` when the record is signed and `withSignature` is true.
 *
 * @param record - a record, signed or not
 * @param withSignature - whether to include `sig`
 * @returns a map for `dagCbor.encode`
 */
export function recordToWire (record: UnsignedNameRecord & { signature?: Uint8Array }, withSignature: boolean): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    v: record.version,
    name: record.name,
    key: record.publicKey,
    root: record.root,
    seq: record.seq,
    exp: record.expires,
    pow: { n: record.proof.nonce, bits: record.proof.bits }
  }

  if (record.transfer != null) {
    wire.xfer = { from: record.transfer.from, seq: record.transfer.seq, sig: record.transfer.signature }
  }

  if (withSignature) {
    wire.sig = record.signature
  }

  return wire
}

/**
 * Shape-check a decoded wire map whose version has been checked, and turn it
 * into a record. The name's syntax is not checked here.
 *
 * @param wire - the decoded top-level map
 * @param version - the version already read from `v`
 * @returns the record, with plain `Uint8Array` copies of every byte field
 * @throws {MalformedRecordError} if a key is missing or unknown, or a field has the wrong type or size
 */
export function recordFromWire (wire: Record<string, unknown>, version: NameRecord['version']): NameRecord {
  checkKeys(wire, REQUIRED_KEYS, ALL_KEYS, 'The name record')

  const { name, key, root, seq, exp, pow, xfer, sig } = wire

  if (typeof name !== 'string') {
    throw new MalformedRecordError('The name record\'s "name" field is not text')
  }

  if (!(key instanceof Uint8Array)) {
    throw new MalformedRecordError('The name record\'s "key" field is not bytes')
  }

  const rootCid = CID.asCID(root)
  if (rootCid == null) {
    throw new MalformedRecordError('The name record\'s "root" field is not a CID')
  }

  if (!isSeq(seq)) {
    throw new MalformedRecordError('The name record\'s "seq" field is not a non-negative safe integer')
  }

  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new MalformedRecordError('The name record\'s "exp" field is not a finite number')
  }

  const proof = proofFromWire(pow)
  const transfer = xfer === undefined ? undefined : transferFromWire(xfer)

  if (!(sig instanceof Uint8Array)) {
    throw new MalformedRecordError('The name record\'s "sig" field is not bytes')
  }

  const record: NameRecord = {
    version,
    name,
    publicKey: Uint8Array.from(key),
    root: rootCid,
    seq,
    expires: exp,
    proof,
    signature: Uint8Array.from(sig)
  }

  if (transfer != null) {
    record.transfer = transfer
  }

  return record
}

/**
 * Whether a value is a CBOR map decoded as a plain object (not a list, bytes
 * or a CID).
 *
 * @param value - a decoded DAG-CBOR value
 */
export function isPlainMap (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    CID.asCID(value) == null
}

function proofFromWire (pow: unknown): ProofOfWork {
  if (!isPlainMap(pow)) {
    throw new MalformedRecordError('The name record\'s "pow" field is not a map')
  }

  checkKeys(pow, POW_KEYS, POW_KEYS, 'The name record\'s "pow" field')
  const { n, bits } = pow

  if (!(n instanceof Uint8Array) || n.byteLength < MIN_NONCE_BYTES || n.byteLength > MAX_NONCE_BYTES) {
    throw new MalformedRecordError(`The name record's proof-of-work nonce is not ${MIN_NONCE_BYTES}–${MAX_NONCE_BYTES} bytes`)
  }

  if (typeof bits !== 'number' || !Number.isInteger(bits) || bits < 0 || bits > MAX_WIRE_POW_BITS) {
    throw new MalformedRecordError(`The name record's proof-of-work difficulty is not a whole number from 0 to ${MAX_WIRE_POW_BITS}`)
  }

  return { nonce: Uint8Array.from(n), bits }
}

function transferFromWire (xfer: unknown): TransferProof {
  if (!isPlainMap(xfer)) {
    throw new MalformedRecordError('The name record\'s "xfer" field is not a map')
  }

  checkKeys(xfer, XFER_KEYS, XFER_KEYS, 'The name record\'s "xfer" field')
  const { from, seq, sig } = xfer

  if (!(from instanceof Uint8Array)) {
    throw new MalformedRecordError('The name record\'s transfer "from" field is not bytes')
  }

  if (!isSeq(seq)) {
    throw new MalformedRecordError('The name record\'s transfer "seq" field is not a non-negative safe integer')
  }

  if (!(sig instanceof Uint8Array)) {
    throw new MalformedRecordError('The name record\'s transfer "sig" field is not bytes')
  }

  return { from: Uint8Array.from(from), seq, signature: Uint8Array.from(sig) }
}

function checkKeys (map: Record<string, unknown>, required: readonly string[], allowed: readonly string[], what: string): void {
  for (const key of Object.keys(map)) {
    if (!allowed.includes(key)) {
      throw new MalformedRecordError(`${what} has an unknown field ${JSON.stringify(key)}`)
    }
  }

  for (const key of required) {
    if (!Object.hasOwn(map, key)) {
      throw new MalformedRecordError(`${what} has no ${JSON.stringify(key)} field`)
    }
  }
}

function isSeq (value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}
