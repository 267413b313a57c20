import { resolveNameRecord } from '../src/naming/index.js'
import { startBenchClient } from './node-client.js'
import type { KadDHT, QueryEvent } from '@libp2p/kad-dht'

/** What one `get` query did, read from its kad-dht query events. */
export interface QueryTrace {
  /**
   * Hops to the first record: 1 when a peer the client already knew (its
   * routing table) answered with it, and one more for every referral in the
   * chain that led to the peer that did (peer B learnt from peer A's
   * `closer` list is one hop further than A). `undefined` when no record came.
   */
  hops?: number
  /** Distinct peers the query sent a request to until it ended. */
  contacted: number
  /** From the start of the query to its first request sent (ms). */
  firstSendMs?: number
  /** From the start of the query to its first record (ms). */
  firstValueMs?: number
}

/**
 * Wrap a kad-dht so every `get` query it runs is traced from its own query
 * events (`SEND_QUERY`, `PEER_RESPONSE` and its `closer` peers, `VALUE`),
 * while the caller (e.g. `resolveNameRecord`) consumes the same events
 * unchanged. `last()` gives the trace of the most recent `get`.
 */
export function traceQueries (dht: KadDHT): { dht: KadDHT, last(): QueryTrace } {
  let trace: QueryTrace = { contacted: 0 }

  async function * traced (events: AsyncIterable<QueryEvent>): AsyncGenerator<QueryEvent> {
    const depth = new Map<string, number>()
    const contacted = new Set<string>()
    trace = { contacted: 0 }
    const current = trace
    const start = performance.now()
    for await (const event of events) {
      if (event.name === 'SEND_QUERY') {
        const to = event.to.toString()
        contacted.add(to)
        current.contacted = contacted.size
        if (!depth.has(to)) depth.set(to, 1)
        current.firstSendMs ??= performance.now() - start
      } else if (event.name === 'PEER_RESPONSE') {
        const next = (depth.get(event.from.toString()) ?? 1) + 1
        for (const peer of event.closer) {
          if (!depth.has(peer.id.toString())) depth.set(peer.id.toString(), next)
        }
      } else if (event.name === 'VALUE' && current.hops == null) {
        current.hops = depth.get(event.from.toString()) ?? 1
        current.firstValueMs = performance.now() - start
      }
      yield event
    }
  }

  const wrapped = new Proxy(dht, {
    get (target, property) {
      if (property === 'get') {
        return (...args: Parameters<KadDHT['get']>) => traced(target.get(...args))
      }
      const value: unknown = Reflect.get(target, property)
      return typeof value === 'function' ? value.bind(target) : value
    }
  })
  return { dht: wrapped, last: () => trace }
}

/**
 * One first-visit lookup of `name` by a fresh DHT client that knows only
 * `relay` (as a visitor's new service worker does), traced.
 *
 * @throws when the lookup finds no record
 */
export async function traceFreshLookup (relay: string, name: string, minPowBits: number): Promise<QueryTrace> {
  const client = await startBenchClient(relay, minPowBits)
  try {
    const traced = traceQueries(client.services.dht)
    await resolveNameRecord(traced.dht, name, { minPowBits })
    return traced.last()
  } finally {
    await client.stop()
  }
}
