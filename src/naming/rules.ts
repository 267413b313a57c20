/**
 * The first-come rule a DHT server (relay) applies to every name record put
 * to it: a name belongs to the first valid registration the server stored,
 * until that registration has been expired for {@link EXPIRY_GRACE_MS}.
 * Pure functions; the relay keeps the {@link StoredRegistration}s.
 *
 * @module
 */

import { equals } from 'uint8arrays'
import { NameTakenError, StaleRecordError } from './errors.js'
import { verifyRegistrationProof } from './pow.js'
import type { NameRecord } from './record.js'

/**
 * How long after a registration's last record expired only its owner may
 * renew it, in ms (7 days); after that the name is free for anyone.
 */
export const EXPIRY_GRACE_MS = 7 * 24 * 60 * 60_000

/**
 * What a DHT server remembers about the registration of one name.
 */
export interface StoredRegistration {
  /** Owner's public key, libp2p protobuf encoding */
  owner: Uint8Array
  /** Sequence number of the last record stored */
  seq: number
  /** End of validity of the last record stored, ms since the Unix epoch */
  expires: number
  /** The last record stored, as received (optional) */
  bytes?: Uint8Array
}

/**
 * Options of {@link checkReplacement}.
 */
export interface CheckReplacementOptions {
  /** The current time, in ms since the Unix epoch */
  now: number
  /** Least difficulty of a new registration's proof of work, in leading zero bits */
  minPowBits: number
  /** The incoming record's bytes, to recognise a re-put of the stored record */
  incomingBytes?: Uint8Array
}

/**
 * How an incoming record relates to the stored registration:
 * - `'new'`: a registration of a free name (nothing stored, or the stored
 *   registration is past its grace period);
 * - `'update'`: the owner's newer record;
 * - `'same'`: the record stored already, put again (nothing to change);
 * - `'transfer'`: the first record of a new owner, carrying a transfer from
 *   the stored owner.
 */
export type ReplacementOutcome = 'new' | 'update' | 'same' | 'transfer'

/**
 * Decide whether a DHT server may store `incoming` given what it holds for
 * the name. `incoming` must already have passed `verifyNameRecord` (the
 * stateless checks). Rules, in order:
 *
 * 1. nothing stored, or `stored.expires + EXPIRY_GRACE_MS <= now`: a new
 *    registration. Its proof of work must be at least `minPowBits` hard and
 *    hold for the name and the incoming key (or, if the record carries a
 *    transfer, the transfer's previous owner, whose proof it copied; a
 *    self-made transfer therefore needs the same work) → `'new'`;
 * 2. the incoming key is the stored owner: a higher `seq` → `'update'`; the
 *    same `seq` and the same bytes (or bytes unknown on either side) →
 *    `'same'`; anything else is a replayed or older record → `StaleRecordError`;
 * 3. another key: if the record carries a transfer from the stored owner
 *    with `transfer.seq` and `seq` above `stored.seq` → `'transfer'`; a
 *    transfer from the stored owner that is not above `stored.seq` (the owner
 *    published again after signing it) → `StaleRecordError`; otherwise
 *    → `NameTakenError`.
 *
 * @param stored - the registration held for the name, if any
 * @param incoming - the verified record being put
 * @param options - current time, least difficulty of a new registration, incoming bytes
 * @returns what storing `incoming` means
 * @throws {InsufficientProofOfWorkError} if a new registration's proof is easier than `minPowBits`
 * @throws {InvalidProofOfWorkError} if a new registration's proof does not hold
 * @throws {StaleRecordError} if the owner's record (or a transfer from the owner) is not newer than the stored one
 * @throws {NameTakenError} if another key holds the name and the record carries no transfer from it
 */
export function checkReplacement (stored: StoredRegistration | undefined, incoming: NameRecord, options: CheckReplacementOptions): ReplacementOutcome {
  const { name } = incoming

  if (stored == null || stored.expires + EXPIRY_GRACE_MS <= options.now) {
    verifyRegistrationProof(incoming, options.minPowBits)
    return 'new'
  }

  if (equals(incoming.publicKey, stored.owner)) {
    if (incoming.seq > stored.seq) {
      return 'update'
    }

    if (incoming.seq === stored.seq && (stored.bytes == null || options.incomingBytes == null || equals(stored.bytes, options.incomingBytes))) {
      return 'same'
    }

    throw new StaleRecordError(`${name} already has sequence number ${stored.seq}, not older than this record`)
  }

  const { transfer } = incoming
  if (transfer != null && equals(transfer.from, stored.owner)) {
    if (transfer.seq > stored.seq && incoming.seq > stored.seq) {
      return 'transfer'
    }

    throw new StaleRecordError(`transfer of ${name} was signed for sequence number ${transfer.seq}, but ${stored.seq} is published`)
  }

  throw new NameTakenError(name)
}

/**
 * The registration a DHT server stores after accepting `record`.
 *
 * @param record - the accepted record
 * @param bytes - the record's bytes, if the server keeps them
 * @returns owner key, sequence number and expiry of `record` (and `bytes` when given; no `bytes` key otherwise)
 */
export function registrationOf (record: NameRecord, bytes?: Uint8Array): StoredRegistration {
  const registration: StoredRegistration = { owner: record.publicKey, seq: record.seq, expires: record.expires }

  if (bytes != null) {
    registration.bytes = bytes
  }

  return registration
}
