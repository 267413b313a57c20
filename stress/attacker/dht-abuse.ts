import { randomBytes } from 'node:crypto'
import { MessageType } from '@libp2p/kad-dht'
import { multiaddr } from '@multiformats/multiaddr'
import { equals, fromString, toString } from 'uint8arrays'
import { useDistinctSourceAddresses } from '../../bench/distinct-source.js'
import { forEachConcurrently } from './concurrently.js'
import { HOSTILE_KINDS, hostilePuts } from './hostile-records.js'
import { createWireNode, encodeKadMessage, getRecordOverWire, sendKadMessage, wiaKey } from './kad-wire.js'
import type { HostileKind, LegitName } from './hostile-records.js'
import type { Outcome } from './kad-wire.js'
import type { Libp2p } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** How long one attack message waits for the relay's answer (ms). */
const MESSAGE_TIMEOUT_MS = 5_000
/** Hostile puts in flight at once. */
const PUT_CONCURRENCY = 8
/** Tries of each read back a relay refuses (a rate limit still holding the attacker's address back), 1 s apart. */
const READ_BACK_TRIES = 5
/** Distinct refusal reasons a report keeps. */
const MAX_REASONS = 5

/** What the DHT attack is told, as JSON on its command line (record bytes in base64). */
export interface DhtAbuseInit {
  relay: string
  names: Array<{ name: string, current: string, previous: string }>
  /** The relay's proof-of-work difficulty (wrong-key records carry a valid proof). */
  powBits: number
  /** Hostile puts of each kind. */
  putsPerKind: number
  /** Attacker connections (libp2p nodes) that flood queries. */
  queryConnections: number
  /** Queries in flight on each connection. */
  queriesInFlight: number
  /** How long the query flood lasts (s). */
  querySeconds: number
}

export type OutcomeCounts = Record<Outcome, number>

/** Why messages were refused or timed out (`dial: <error>` or `stream: <error>`), and how many times each. */
export type Reasons = Record<string, number>

export interface DhtAbuseReport {
  /** Per kind: how the relay took each hostile `PUT_VALUE` (`answered` = stored, kad-dht echoes a put it kept). */
  puts: Record<HostileKind, OutcomeCounts & { sent: number }>
  queries: OutcomeCounts & { sent: number, seconds: number, getValue: number, findNode: number, reasons: Reasons }
  /**
   * After the attack, a `GET_VALUE` of every legit name over the wire from a
   * node that took no part in it: the record the relay hands out, or
   * `unanswered` when it refused every try.
   */
  readBack: Record<string, 'current' | 'changed' | 'missing' | 'unanswered'>
}

/** Count `reason` in `reasons`, keeping at most {@link MAX_REASONS} distinct ones. */
function tally (reasons: Reasons, reason: string | undefined): void {
  if (reason != null && (reasons[reason] != null || Object.keys(reasons).length < MAX_REASONS)) {
    reasons[reason] = (reasons[reason] ?? 0) + 1
  }
}

const zero = (): OutcomeCounts => ({ answered: 0, refused: 0, 'timed-out': 0 })

/** One query of the flood: a `GET_VALUE` of a legit or an unknown name, or a `FIND_NODE` of a random key. */
function floodQuery (names: LegitName[], n: number): { type: MessageType, bytes: Uint8Array } {
  switch (n % 3) {
    case 0: return { type: MessageType.GET_VALUE, bytes: encodeKadMessage({ type: MessageType.GET_VALUE, key: wiaKey(names[n % names.length]!.name) }) }
    case 1: return { type: MessageType.GET_VALUE, bytes: encodeKadMessage({ type: MessageType.GET_VALUE, key: wiaKey(`nobody-${n}.wia.home`) }) }
    default: return { type: MessageType.FIND_NODE, bytes: encodeKadMessage({ type: MessageType.FIND_NODE, key: randomBytes(32) }) }
  }
}

async function queryFlood (relay: Multiaddr, names: LegitName[], init: DhtAbuseInit): Promise<DhtAbuseReport['queries']> {
  const counts = { ...zero(), sent: 0, seconds: 0, getValue: 0, findNode: 0, reasons: {} }
  const nodes = await Promise.all(Array.from({ length: init.queryConnections }, createWireNode))
  const start = performance.now()
  const end = start + init.querySeconds * 1000
  try {
    await Promise.all(nodes.flatMap(node => Array.from({ length: init.queriesInFlight }, async () => {
      while (performance.now() < end) {
        const query = floodQuery(names, counts.sent++)
        if (query.type === MessageType.GET_VALUE) counts.getValue++
        else counts.findNode++
        const { outcome, reason } = await sendKadMessage(node, relay, query.bytes, MESSAGE_TIMEOUT_MS)
        counts[outcome]++
        tally(counts.reasons, reason)
        if (reason?.startsWith('dial: ConnectionClosedError') === true) {
          // the connection was closed under the flood and libp2p kept opening streams on it, each failing
          // at once (729,299 in one run): hang up, and the next dial connects again
          await node.hangUp(relay).catch(() => {})
        }
      }
    })))
  } finally {
    counts.seconds = (performance.now() - start) / 1000
    await Promise.all(nodes.map(async node => node.stop()))
  }
  return counts
}

/** The record the relay hands out for each legit name, compared with the owner's current one. */
async function readBack (node: Libp2p, relay: Multiaddr, names: LegitName[]): Promise<DhtAbuseReport['readBack']> {
  const seen: DhtAbuseReport['readBack'] = {}
  for (const legit of names) {
    let got = await getRecordOverWire(node, relay, legit.name, MESSAGE_TIMEOUT_MS)
    for (let tries = 1; got.outcome !== 'answered' && tries < READ_BACK_TRIES; tries++) {
      await new Promise(resolve => setTimeout(resolve, 1_000))
      got = await getRecordOverWire(node, relay, legit.name, MESSAGE_TIMEOUT_MS)
    }
    seen[legit.name] = got.outcome !== 'answered' ? 'unanswered' : got.value == null ? 'missing' : equals(got.value, legit.current) ? 'current' : 'changed'
  }
  return seen
}

/**
 * The DHT attack, from a peer that speaks the WIA DHT's wire protocol but not
 * its rules: hostile `PUT_VALUE`s of every {@link HostileKind} against the
 * legit names, then a flood of `GET_VALUE`/`FIND_NODE` queries, then a read
 * back of every legit name.
 */
export async function dhtAbuse (init: DhtAbuseInit): Promise<DhtAbuseReport> {
  // a botnet, not one host, as in the connection flood: the relay limits new connections per IP
  useDistinctSourceAddresses(0)
  const relay = multiaddr(init.relay)
  const names: LegitName[] = init.names.map(n => ({ name: n.name, current: fromString(n.current, 'base64'), previous: fromString(n.previous, 'base64') }))
  const node = await createWireNode()
  try {
    const puts = {} as DhtAbuseReport['puts']
    for (const kind of HOSTILE_KINDS) {
      const counts = { ...zero(), sent: 0 }
      puts[kind] = counts
      await forEachConcurrently(await hostilePuts(kind, names, init.putsPerKind, init.powBits), PUT_CONCURRENCY, async message => {
        counts.sent++
        counts[(await sendKadMessage(node, relay, message, MESSAGE_TIMEOUT_MS)).outcome]++
      })
      console.error(`attacker: ${kind} puts ${JSON.stringify(counts)}`)
    }
    const queries = await queryFlood(relay, names, init)
    // a node that took no part in the attack: what any DHT peer would be told
    const reader = await createWireNode()
    try {
      return { puts, queries, readBack: await readBack(reader, relay, names) }
    } finally {
      await reader.stop()
    }
  } finally {
    await node.stop()
  }
}

/** Base64 of record bytes, for {@link DhtAbuseInit}. */
export const toBase64 = (bytes: Uint8Array): string => toString(bytes, 'base64')
