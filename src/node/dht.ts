import { kadDHT, passthroughMapper, removePrivateAddressesMapper } from '@libp2p/kad-dht'
import { NAME_RECORD_NAMESPACE, selectNameRecord, validateNameRecord } from '../naming/index.js'
import { WIA_DHT_DATASTORE_PREFIX, WIA_DHT_PROTOCOL } from './constants.js'
import { NoRelayReachableError } from './errors.js'
import type { KadDHTComponents, SingleKadDHT, ValidateFn } from '@libp2p/kad-dht'

export interface WiaDHTInit {
  /** `true` for browsers and service workers (they query, never answer); `false` for relays. */
  clientMode: boolean
  /**
   * Keep loopback and private addresses in peer records (local relays, tests).
   * A public deployment leaves this off so peers never learn unroutable addresses.
   *
   * @default false
   */
  allowLocal?: boolean
  /**
   * Validator for name records. Relays pass their registry's (stateless checks
   * plus first come, first served); clients keep the stateless default.
   *
   * @default validateNameRecord
   */
  validate?: ValidateFn
}

/**
 * The WIA Kademlia DHT service: kad-dht on its own protocol with the WIA name
 * record validator and selector registered for the `wia` namespace (keys
 * `/wia/<name>`; kad-dht keys these maps by the namespace without slashes,
 * DESIGN.md §4).
 */
export function wiaDHT (init: WiaDHTInit): (components: KadDHTComponents) => SingleKadDHT {
  // kadDHT() is typed as the general KadDHT; the instance it builds is a
  // single DHT with a routingTable (kad-dht's own SingleKadDHT interface)
  return kadDHT({
    // kad-dht otherwise holds every query until its first self-query, which
    // starts 1 s after start (a visitor's first lookup waited ~1 s for nothing)
    // and, on a relay with no other relay, never completes: its HTTP gateway's
    // lookup of an unregistered name hung until the gateway's timeout instead of
    // answering 404. Clients wait for a relay in the routing table instead
    // (waitForDHTPeer); a lone relay answers from its own store at once.
    allowQueryWithZeroPeers: true,
    protocol: WIA_DHT_PROTOCOL,
    datastorePrefix: WIA_DHT_DATASTORE_PREFIX,
    logPrefix: 'wia:dht',
    metricsPrefix: 'wia_dht',
    clientMode: init.clientMode,
    validators: { [NAME_RECORD_NAMESPACE]: init.validate ?? validateNameRecord },
    selectors: { [NAME_RECORD_NAMESPACE]: selectNameRecord },
    peerInfoMapper: init.allowLocal === true ? passthroughMapper : removePrivateAddressesMapper
  }) as (components: KadDHTComponents) => SingleKadDHT
}

/** How long a client waits for its first DHT server (a relay) after connecting (ms). */
export const DHT_PEER_TIMEOUT_MS = 10_000

/**
 * Resolve once the DHT's routing table holds a peer (a relay that speaks the
 * WIA DHT, added after identify). Clients call this after connecting to
 * their relays and before their first query.
 *
 * @throws {NoRelayReachableError} when no DHT server appears within `timeoutMs` (ms)
 */
export async function waitForDHTPeer (dht: Pick<SingleKadDHT, 'routingTable'>, options: { signal?: AbortSignal, timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? DHT_PEER_TIMEOUT_MS)
  while (dht.routingTable.size === 0) {
    options.signal?.throwIfAborted()
    if (Date.now() > deadline) {
      throw new NoRelayReachableError('Connected, but no relay answers the WIA DHT: names cannot be looked up')
    }
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}
