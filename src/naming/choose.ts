/**
 * How a visitor chooses among valid records of one name that disagree on the
 * owner, e.g. when two registrations reached different relays. Pure; the
 * resolver collects the candidates and keeps the pin (trust on first use).
 *
 * @module
 */

import { compare, equals, toString } from 'uint8arrays'
import { NameNotFoundError, OwnerKeyChangedError } from './errors.js'
import { registrationProofHash } from './pow.js'
import type { NameRecord } from './record.js'

/**
 * A verified record and the peer that served it.
 */
export interface Candidate {
  /** A record that passed `verifyNameRecord` for the name */
  record: NameRecord
  /** The responding peer (its PeerId string); several records from one peer count once */
  from: string
}

/**
 * How the chosen record relates to the visitor's pinned owner key:
 * - `'match'`: under the pinned key;
 * - `'transferred'`: under another key, carrying a transfer from the pinned
 *   key (directly or through a chain of transfers); the caller re-pins to
 *   `record.publicKey`;
 * - `'new'`: there was no pin; the caller pins `record.publicKey`.
 */
export type PinOutcome = 'match' | 'new' | 'transferred'

/**
 * The record a visitor uses, and how it relates to the pin.
 */
export interface ChosenRecord {
  record: NameRecord
  pinned: PinOutcome
}

/**
 * Choose the record to show among verified candidates for one name.
 *
 * With a pin (the owner key seen on an earlier visit), only records under the
 * pinned key, or carrying a transfer from it (or from a key that qualifies
 * that way: a chain of transfers), qualify; the highest `seq` wins, then the
 * later `expires`.
 *
 * Without a pin (first visit), records are grouped by owner key. An owner
 * whose records are overtaken by a transfer from it (a record of another
 * owner carrying a transfer from it, with `transfer.seq` and `seq` above
 * every `seq` of its own) hands its supporting peers to that owner. The owner
 * held by the most distinct responding peers wins; on a tie, the owner whose
 * registration proof hash is smallest (compared as bytes: more work); then
 * the smaller key bytes, so the choice never depends on arrival order. Within
 * the owner, the highest `seq` wins, then the later `expires`.
 *
 * @param candidates - verified records for `name` and the peers that served them
 * @param pinnedOwner - the pinned owner key (libp2p protobuf encoding), if any
 * @param name - the name looked up, for error messages
 * @returns the chosen record and how it relates to the pin
 * @throws {NameNotFoundError} if there are no candidates
 * @throws {OwnerKeyChangedError} if there is a pin and no candidate qualifies
 */
export function chooseRecord (candidates: Candidate[], pinnedOwner: Uint8Array | undefined, name: string): ChosenRecord {
  if (candidates.length === 0) {
    throw new NameNotFoundError(`No site is registered under ${name}`)
  }

  if (pinnedOwner != null) {
    const record = newest(descendantsOf(pinnedOwner, candidates.map(candidate => candidate.record)))

    if (record == null) {
      throw new OwnerKeyChangedError(name)
    }

    return { record, pinned: equals(record.publicKey, pinnedOwner) ? 'match' : 'transferred' }
  }

  const owners = groupByOwner(candidates)
  handOverTransferred(owners)

  let best: OwnerGroup | undefined
  for (const group of owners.values()) {
    if (group.successor == null && (best == null || outranks(group, best))) {
      best = group
    }
  }

  // every chain of successors ends in a group without one, so best is set
  const record = newest(best?.records ?? [])
  if (record == null) {
    throw new NameNotFoundError(`No site is registered under ${name}`)
  }

  return { record, pinned: 'new' }
}

interface OwnerGroup {
  key: Uint8Array
  records: NameRecord[]
  peers: Set<string>
  maxSeq: number
  /** Smallest registration proof hash among the group's records */
  proofHash: Uint8Array
  /** The group that took this owner's name by a transfer */
  successor?: OwnerGroup
}

/** Sorts after every real proof hash */
const NO_PROOF_HASH = new Uint8Array(33).fill(0xff)

function groupByOwner (candidates: Candidate[]): Map<string, OwnerGroup> {
  const owners = new Map<string, OwnerGroup>()

  for (const { record, from } of candidates) {
    const id = toString(record.publicKey, 'base64')
    let group = owners.get(id)
    if (group == null) {
      group = { key: record.publicKey, records: [], peers: new Set(), maxSeq: record.seq, proofHash: NO_PROOF_HASH }
      owners.set(id, group)
    }

    group.records.push(record)
    group.peers.add(from)
    group.maxSeq = Math.max(group.maxSeq, record.seq)

    const hash = registrationProofHash(record) ?? NO_PROOF_HASH
    if (compare(hash, group.proofHash) < 0) {
      group.proofHash = hash
    }
  }

  return owners
}

/**
 * Link every owner overtaken by a transfer to its successor and add its
 * peers to the end of the chain. A successor's `seq` is above every `seq` of
 * the owner it overtakes, so the links cannot form a cycle.
 */
function handOverTransferred (owners: Map<string, OwnerGroup>): void {
  for (const group of owners.values()) {
    for (const record of group.records) {
      const from = record.transfer == null ? undefined : owners.get(toString(record.transfer.from, 'base64'))
      if (from != null && from !== group && record.transfer != null && record.transfer.seq > from.maxSeq && record.seq > from.maxSeq &&
        (from.successor == null || isLaterOwner(group, from.successor))) {
        from.successor = group
      }
    }
  }

  for (const group of owners.values()) {
    let last = group
    while (last.successor != null) {
      last = last.successor
    }
    if (last !== group) {
      for (const peer of group.peers) {
        last.peers.add(peer)
      }
    }
  }
}

/** Between two owners that both took a name by transfer, the one with the higher seq */
function isLaterOwner (a: OwnerGroup, b: OwnerGroup): boolean {
  return a.maxSeq !== b.maxSeq ? a.maxSeq > b.maxSeq : compare(a.key, b.key) < 0
}

/**
 * The records under `pinned` or under a key the name was transferred to from
 * `pinned`, directly or through a chain of transfers.
 */
function descendantsOf (pinned: Uint8Array, records: NameRecord[]): NameRecord[] {
  const trusted = [pinned]
  const isTrusted = (key: Uint8Array): boolean => trusted.some(t => equals(t, key))
  let grown = true

  while (grown) {
    grown = false
    for (const record of records) {
      if (record.transfer != null && isTrusted(record.transfer.from) && !isTrusted(record.publicKey)) {
        trusted.push(record.publicKey)
        grown = true
      }
    }
  }

  return records.filter(record => isTrusted(record.publicKey))
}

function outranks (a: OwnerGroup, b: OwnerGroup): boolean {
  if (a.peers.size !== b.peers.size) {
    return a.peers.size > b.peers.size
  }

  const byProof = compare(a.proofHash, b.proofHash)
  if (byProof !== 0) {
    return byProof < 0
  }

  return compare(a.key, b.key) < 0
}

function newest (records: NameRecord[]): NameRecord | undefined {
  let best: NameRecord | undefined

  for (const record of records) {
    if (best == null || record.seq > best.seq || (record.seq === best.seq && record.expires > best.expires)) {
      best = record
    }
  }

  return best
}
