/**
 * Registration proof of work: the cost of taking a new name, so that names
 * cannot be mass-squatted for free (Namecoin's lesson, DESIGN.md §5).
 *
 * ## Challenge and proof
 *
 * The challenge of a name and an owner key is
 *
 * ```
 * challenge = sha256(utf8('wia-pow:v1\n') || utf8(name) || 0x00 || publicKeyProtobuf)
 * ```
 *
 * A proof is a nonce (1–32 bytes) and a claimed difficulty `bits` such that
 * `sha256(challenge || nonce)` starts with at least `bits` zero bits (most
 * significant bit of the first byte first). The proof is bound to the name
 * and the key, so it cannot be reused for another name or another key, and
 * it does not depend on the record's root, sequence number or expiry, so
 * the owner reuses it in every update at no cost.
 *
 * Work grows as `2 ** bits` hashes on average: {@link DEFAULT_POW_BITS} (20)
 * is about a million SHA-256 hashes.
 *
 * @module
 */

import { sha256 } from '@noble/hashes/sha2.js'
import { concat, fromString } from 'uint8arrays'
import { InsufficientProofOfWorkError, InvalidProofOfWorkError } from './errors.js'

/**
 * Difficulty of a new registration unless relays are told otherwise, in
 * leading zero bits: about 2^20 ≈ 1 million SHA-256 hashes on average.
 */
export const DEFAULT_POW_BITS = 20

/**
 * Highest difficulty {@link solveProofOfWork} accepts, in leading zero bits
 * (about 4.3 billion hashes on average).
 */
export const MAX_POW_BITS = 32

/**
 * Highest difficulty a record may claim on the wire, in leading zero bits.
 */
export const MAX_WIRE_POW_BITS = 64

/** Shortest nonce on the wire, in bytes. */
export const MIN_NONCE_BYTES = 1

/** Longest nonce on the wire, in bytes. */
export const MAX_NONCE_BYTES = 32

/**
 * Prefix of the challenge; separates WIA proofs from any other hash puzzle.
 */
export const POW_PREFIX = 'wia-pow:v1\n'

/**
 * Hashes computed between two yields to the event loop in
 * {@link solveProofOfWork} (about 25 ms of work).
 */
export const POW_BATCH_SIZE = 20_000

/** Length of the nonces {@link solveProofOfWork} produces, in bytes (a big-endian counter). */
const SOLVER_NONCE_BYTES = 8

/**
 * A registration proof of work, as carried in a name record (`pow`).
 */
export interface ProofOfWork {
  /** 1–32 bytes chosen by the solver */
  nonce: Uint8Array
  /** Leading zero bits of `sha256(challenge || nonce)` the proof claims, 0–64 */
  bits: number
}

/**
 * What a registration proof is checked against: the fields of a name record
 * that {@link verifyRegistrationProof} reads.
 */
export interface RegistrationProofSubject {
  /** Full site name */
  name: string
  /** The record's owner key, libp2p protobuf encoding */
  publicKey: Uint8Array
  /** The record's proof of work */
  proof: ProofOfWork
  /** The record's transfer, if any: its `from` is the previous owner's key */
  transfer?: { from: Uint8Array }
}

/**
 * Progress of {@link solveProofOfWork}.
 */
export interface ProofOfWorkProgress {
  /** Hashes computed so far */
  hashes: number
  /** Hashes needed on average, `2 ** bits` */
  expected: number
}

/**
 * Options of {@link solveProofOfWork}.
 */
export interface SolveProofOfWorkInit {
  /** Full site name, e.g. `alice.wia.home` */
  name: string
  /** The owner's public key, libp2p protobuf encoding */
  publicKey: Uint8Array
  /** Difficulty, in leading zero bits: an integer from 0 to {@link MAX_POW_BITS} */
  bits: number
  /** Stops the search; the promise then rejects with the signal's reason */
  signal?: AbortSignal
  /** Called after every batch of hashes */
  onProgress?(progress: ProofOfWorkProgress): void
  /**
   * Hashes computed between two yields to the event loop (a positive integer)
   *
   * @default POW_BATCH_SIZE (20,000)
   */
  batchSize?: number
}

/**
 * The challenge a proof for `name` and `publicKey` must solve:
 * `sha256(utf8('wia-pow:v1\n') || utf8(name) || 0x00 || publicKey)`.
 *
 * @param name - full site name (not checked here)
 * @param publicKey - the owner's public key, libp2p protobuf encoding
 * @returns 32 bytes
 */
export function powChallenge (name: string, publicKey: Uint8Array): Uint8Array {
  return sha256(concat([fromString(POW_PREFIX), fromString(name), new Uint8Array([0]), publicKey]))
}

/**
 * The hash a proof is judged by: `sha256(challenge || nonce)`. Fewer leading
 * zero bits means less work; compared as bytes, a smaller hash means more.
 *
 * @param name - full site name
 * @param publicKey - the key the proof is for, libp2p protobuf encoding
 * @param nonce - the proof's nonce
 * @returns 32 bytes
 */
export function proofHash (name: string, publicKey: Uint8Array, nonce: Uint8Array): Uint8Array {
  return sha256(concat([powChallenge(name, publicKey), nonce]))
}

/**
 * How many zero bits `hash` starts with, most significant bit of the first
 * byte first.
 *
 * @param hash - any bytes
 * @returns 0 … `8 * hash.byteLength`
 */
export function leadingZeroBits (hash: Uint8Array): number {
  let bits = 0
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8
      continue
    }
    return bits + Math.clz32(byte) - 24
  }
  return bits
}

/**
 * Check a proof of work for `name` and `publicKey`.
 *
 * @param name - full site name
 * @param publicKey - the key the proof must be for, libp2p protobuf encoding
 * @param proof - nonce and claimed difficulty
 * @param minBits - least difficulty accepted, in leading zero bits
 * @throws {InsufficientProofOfWorkError} if `proof.bits < minBits`
 * @throws {InvalidProofOfWorkError} if the nonce or the claimed difficulty is out of range, or the hash does not start with `proof.bits` zero bits
 */
export function verifyProofOfWork (name: string, publicKey: Uint8Array, proof: ProofOfWork, minBits: number): void {
  checkDifficulty(name, proof, minBits)

  if (leadingZeroBits(proofHash(name, publicKey, proof.nonce)) < proof.bits) {
    throw new InvalidProofOfWorkError(`The registration proof of ${name} does not hold for its key: it was made for another name or key, or was changed, so the record was ignored`)
  }
}

/**
 * Check a name record's registration proof: its proof of work must be at
 * least `minBits` hard and hold for the record's name and either the
 * record's key or, when the record carries a transfer, the previous owner's
 * key (`transfer.from`), whose proof the new owner copies.
 *
 * The transfer's signature is not checked here (see `verifyTransfer`).
 *
 * @param record - name, key, proof and transfer of a record
 * @param minBits - least difficulty accepted, in leading zero bits
 * @throws {InsufficientProofOfWorkError} if the proof claims fewer than `minBits` bits
 * @throws {InvalidProofOfWorkError} if the proof holds for none of those keys
 */
export function verifyRegistrationProof (record: RegistrationProofSubject, minBits: number): void {
  checkDifficulty(record.name, record.proof, minBits)

  if (registrationProofHash(record) == null) {
    throw new InvalidProofOfWorkError(record.transfer == null
      ? `The registration proof of ${record.name} does not hold for its owner's key: it was made for another name or key, or was changed, so the record was ignored`
      : `The registration proof of ${record.name} holds neither for its owner's key nor for the key it was transferred from, so the record was ignored`)
  }
}

/**
 * The hash of a record's registration proof (see {@link proofHash}) for the
 * key it holds for: the previous owner's when the record carries a transfer
 * and the proof holds for that key, else the record's own key.
 *
 * @param record - name, key, proof and transfer of a record
 * @returns the hash, or `undefined` if the proof holds for neither key
 */
export function registrationProofHash (record: RegistrationProofSubject): Uint8Array | undefined {
  const keys = record.transfer == null ? [record.publicKey] : [record.transfer.from, record.publicKey]

  for (const key of keys) {
    const hash = proofHash(record.name, key, record.proof.nonce)
    if (leadingZeroBits(hash) >= record.proof.bits) {
      return hash
    }
  }

  return undefined
}

/**
 * Find a proof of work for `name` and `publicKey` with `bits` leading zero
 * bits. Hashes in batches and yields to the event loop between them, so a
 * page stays responsive; expect `2 ** bits` hashes on average.
 *
 * Nonces are an 8-byte big-endian counter starting at a random value, so two
 * solvers for the same name and key do not repeat each other's work.
 *
 * @param init - name, key, difficulty, signal, progress callback and batch size
 * @returns a proof with `bits` equal to `init.bits`
 * @throws {RangeError} if `bits` is not an integer from 0 to {@link MAX_POW_BITS}, or `batchSize` is not a positive integer
 * @throws {Error} the signal's reason if `init.signal` aborts
 */
export async function solveProofOfWork (init: SolveProofOfWorkInit): Promise<ProofOfWork> {
  const batchSize = init.batchSize ?? POW_BATCH_SIZE

  if (!Number.isInteger(init.bits) || init.bits < 0 || init.bits > MAX_POW_BITS) {
    throw new RangeError(`The proof-of-work difficulty must be a whole number of bits from 0 to ${MAX_POW_BITS}, not ${init.bits}`)
  }

  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`The proof-of-work batch size must be a positive whole number of hashes, not ${batchSize}`)
  }

  init.signal?.throwIfAborted()

  const challenge = powChallenge(init.name, init.publicKey)
  const input = new Uint8Array(challenge.byteLength + SOLVER_NONCE_BYTES)
  input.set(challenge)
  const nonce = input.subarray(challenge.byteLength)
  crypto.getRandomValues(nonce)

  const expected = 2 ** init.bits
  let hashes = 0

  for (;;) {
    for (let i = 0; i < batchSize; i++) {
      hashes++
      if (leadingZeroBits(sha256(input)) >= init.bits) {
        return { nonce: Uint8Array.from(nonce), bits: init.bits }
      }
      increment(nonce)
    }

    init.onProgress?.({ hashes, expected })
    await new Promise(resolve => setTimeout(resolve, 0))
    init.signal?.throwIfAborted()
  }
}

function checkDifficulty (name: string, proof: ProofOfWork, minBits: number): void {
  if (!Number.isInteger(proof.bits) || proof.bits < 0 || proof.bits > MAX_WIRE_POW_BITS ||
    proof.nonce.byteLength < MIN_NONCE_BYTES || proof.nonce.byteLength > MAX_NONCE_BYTES) {
    throw new InvalidProofOfWorkError(`The registration proof of ${name} is out of range (a 1–${MAX_NONCE_BYTES} byte nonce and 0–${MAX_WIRE_POW_BITS} bits are allowed), so the record was ignored`)
  }

  if (proof.bits < minBits) {
    throw new InsufficientProofOfWorkError(`The registration proof of ${name} has ${proof.bits} bits of work; at least ${minBits} are required, so register the name again with that difficulty`)
  }
}

/** Add one to a big-endian counter, wrapping to zero */
function increment (counter: Uint8Array): void {
  for (let i = counter.byteLength - 1; i >= 0; i--) {
    const next = ((counter[i] ?? 0) + 1) & 0xff
    counter[i] = next
    if (next !== 0) {
      return
    }
  }
}
