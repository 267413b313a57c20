import { circuitRelayServer } from '@libp2p/circuit-relay-v2'
import { identify, identifyPush } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { bootstrap } from '@libp2p/bootstrap'
import { RELAY_PING_INTERVAL_MS, wiaDHT, wiaPing, wiaYamux } from '../src/node/index.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Identify, IdentifyPush } from '@libp2p/identify'
import type { PrivateKey } from '@libp2p/interface'
import type { Libp2pOptions } from 'libp2p'
import type { Datastore } from 'interface-datastore'
import type { ValidateFn } from '@libp2p/kad-dht'
import type { KadDHT } from '@libp2p/kad-dht'
import type { Ping } from '@libp2p/ping'

/** New inbound connections per second one IP may open to a relay (libp2p's default: 5). */
export const RELAY_INBOUND_CONNECTIONS_PER_SECOND = 100
/** Inbound connections a relay lets through their handshake at once (libp2p's default: 10). */
export const RELAY_MAX_PENDING_INBOUND = 128

export interface RelayServices extends Record<string, unknown> {
  identify: Identify
  identifyPush: IdentifyPush
  ping: Ping
  dht: KadDHT
  relay: CircuitRelayService
}

export interface RelayNodeInit {
  privateKey: PrivateKey
  host: string
  /** WebSocket port (`0` picks a free one). */
  port: number
  /** Most circuit relay reservations held at once. */
  maxReservations: number
  /** Persistent store for DHT records (and the name registry, which shares it). */
  datastore: Datastore
  /** Validator of name records: the registry's first-come rule. */
  validate: ValidateFn
  /** Other relays to join in one DHT (multiaddrs with `/p2p/`). */
  bootstrap: string[]
}

/**
 * A relay's libp2p options (the relay's Helia node starts libp2p with them,
 * see `main.ts`): WebSockets listener, circuit relay v2 server and a
 * server-mode WIA DHT that stores name records (in `init.datastore`, so they
 * survive restarts) and joins the relays in `init.bootstrap` into one DHT.
 *
 * Circuit limits: libp2p's default limits a relayed connection to 128 KiB and
 * 2 minutes, which makes every protocol refuse it (DESIGN.md §4). A wia-home
 * relay exists to carry sites from browsers that cannot be dialled directly, so
 * it deliberately applies no per-circuit limit; it is bounded instead by the
 * number of reservations and libp2p's connection limits.
 */
export function relayLibp2pOptions (init: RelayNodeInit): Libp2pOptions<RelayServices> {
  return {
    privateKey: init.privateKey,
    addresses: {
      listen: [`/ip4/${init.host}/tcp/${init.port}/ws`]
    },
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [wiaYamux()],
    connectionManager: {
      maxConnections: init.maxReservations + 256,
      // libp2p's defaults (5 new inbound connections per second per IP, 10 in
      // their handshake at once) suit a peer, not a relay: every visitor's
      // service worker and every host connects here, and many users share one
      // IP behind a NAT. A relay accepts bursts, bounded by maxConnections.
      inboundConnectionThreshold: RELAY_INBOUND_CONNECTIONS_PER_SECOND,
      maxIncomingPendingConnections: RELAY_MAX_PENDING_INBOUND
    },
    connectionMonitor: { pingInterval: RELAY_PING_INTERVAL_MS },
    datastore: init.datastore,
    peerDiscovery: init.bootstrap.length === 0
      ? []
      : [bootstrap({ list: init.bootstrap, timeout: 0 })],
    services: {
      identify: identify(),
      identifyPush: identifyPush(),
      ping: wiaPing(),
      dht: wiaDHT({ clientMode: false, allowLocal: true, validate: init.validate }),
      relay: circuitRelayServer({
        reservations: {
          maxReservations: init.maxReservations,
          applyDefaultLimit: false
        }
      })
    }
  }
}
