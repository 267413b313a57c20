import { circuitRelayServer } from '@libp2p/circuit-relay-v2'
import { identify, identifyPush } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { bootstrap } from '@libp2p/bootstrap'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { RELAY_PING_INTERVAL_MS, wiaConnectionGater, wiaConnectionMonitor, wiaDHT, wiaPing, wiaYamux } from '../src/node/index.js'
import { MemoryDatastore, MountDatastore } from 'datastore-core'
import { Key } from 'interface-datastore'
import { webSocketIngress } from './websocket-ingress.js'
import type { WebSocketIngress } from './websocket-ingress.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Identify, IdentifyPush } from '@libp2p/identify'
import type { PrivateKey } from '@libp2p/interface'
import type { Libp2pOptions } from 'libp2p'
import type { Datastore } from 'interface-datastore'
import type { ValidateFn } from '@libp2p/kad-dht'
import type { SingleKadDHT } from '@libp2p/kad-dht'
import type { Ping } from '@libp2p/ping'
import type { ServerOptions } from 'node:http'
import type { Registry } from 'prom-client'

/** New inbound connections per second one IP may open to a relay (libp2p's default: 5). */
export const RELAY_INBOUND_CONNECTIONS_PER_SECOND = 100
/**
 * Inbound connections a relay lets through their handshake at once (libp2p's
 * default: 10). A connection that opens its WebSocket and then says nothing
 * holds one of these until {@link RELAY_INBOUND_UPGRADE_TIMEOUT_MS}: with 128
 * and libp2p's 10 s, 300 such connections shut every new host out (`npm run
 * stress`, half-open connections); the bound is for handshakes under way, so
 * it is wide and the timeout short.
 */
export const RELAY_MAX_PENDING_INBOUND = 512
/**
 * How long an inbound connection may take from its WebSocket opening to
 * noise and yamux done (ms; libp2p's default: 10 s). A handshake is a few
 * round trips: 5 s leaves room for a slow mobile network while a silent
 * connection gives its slot back twice as fast.
 */
export const RELAY_INBOUND_UPGRADE_TIMEOUT_MS = 5_000
/**
 * How long a TCP connection to the relay's WebSocket port may take to send
 * its whole HTTP upgrade request (ms; Node's `headersTimeout`, default 60 s).
 * Until it has sent a first byte the connection is not libp2p's yet, so no
 * libp2p limit applies: `@libp2p/websockets` waited for that byte forever
 * (patched, `docs/upstream.md`), and silent connections held file
 * descriptors for good (`npm run stress`, half-open connections). A browser
 * sends its request at once; as long as a handshake is allowed.
 */
export const RELAY_WEBSOCKET_REQUEST_TIMEOUT_MS = RELAY_INBOUND_UPGRADE_TIMEOUT_MS

/**
 * The HTTP server options of the relay's WebSocket listener: the upgrade
 * request within {@link RELAY_WEBSOCKET_REQUEST_TIMEOUT_MS}, checked every
 * second (Node checks every 30 s by default).
 */
export function relayWebSocketHttpOptions (): ServerOptions {
  return {
    headersTimeout: RELAY_WEBSOCKET_REQUEST_TIMEOUT_MS,
    requestTimeout: RELAY_WEBSOCKET_REQUEST_TIMEOUT_MS,
    connectionsCheckingInterval: 1_000
  }
}

export interface RelayServices extends Record<string, unknown> {
  identify: Identify
  identifyPush: IdentifyPush
  ping: Ping
  dht: SingleKadDHT
  relay: CircuitRelayService
  ingress: WebSocketIngress
}

export interface RelayNodeInit {
  privateKey: PrivateKey
  host: string
  /** WebSocket port (`0` picks a free one). */
  port: number
  /**
   * Multiaddrs (without `/p2p/`) told to peers instead of the listen address;
   * empty: the listen address. A public relay announces
   * `/dns4/<domain>/tcp/443/tls/ws` (its HTTPS port, see {@link WebSocketIngress}).
   *
   * @default []
   */
  announce?: string[]
  /**
   * Dial and keep loopback/private addresses (local mode). Off in public
   * mode: the gater refuses such dials and the DHT drops such peer addresses.
   */
  allowLocal: boolean
  /** Registry that collects libp2p's metrics, for `/metrics`; absent: no metrics (benchmarks' DHT-only relays). */
  metricsRegistry?: Registry
  /** The relay's data folder: `/metrics` reports the free space of its filesystem. */
  dataDir?: string
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
 * Where libp2p's peer store keeps its records (`@libp2p/peer-store`'s
 * `NAMESPACE_COMMON`).
 */
const PEER_STORE_PREFIX = new Key('/peers')

/**
 * `datastore` with the peer store's records (`/peers/…`) kept in memory: a
 * relay writes them on every connection (identify, protocols, addresses), and
 * with a full disk each write fails, which stopped new hosts from getting a
 * reservation and crashed the relay's shutdown. Peers are learnt again after
 * a restart (bootstrap relays, incoming connections); DHT records and the
 * name registry stay on disk.
 */
function peersInMemory (datastore: Datastore): Datastore {
  return new MountDatastore([
    { prefix: PEER_STORE_PREFIX, datastore: new MemoryDatastore() },
    { prefix: new Key('/'), datastore }
  ])
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
      listen: [`/ip4/${init.host}/tcp/${init.port}/ws`],
      ...(init.announce == null || init.announce.length === 0 ? {} : { announce: init.announce })
    },
    connectionGater: wiaConnectionGater(init.allowLocal),
    ...(init.metricsRegistry == null ? {} : { metrics: prometheusMetrics({ registry: init.metricsRegistry, ...(init.dataDir == null ? {} : { statfsLocation: init.dataDir }) }) }),
    transports: [webSockets({ http: relayWebSocketHttpOptions() })],
    connectionEncrypters: [noise()],
    streamMuxers: [wiaYamux()],
    connectionManager: {
      maxConnections: init.maxReservations + 256,
      // libp2p's defaults (5 new inbound connections per second per IP, 10 in
      // their handshake at once) suit a peer, not a relay: every visitor's
      // service worker and every host connects here, and many users share one
      // IP behind a NAT. A relay accepts bursts, bounded by maxConnections.
      inboundConnectionThreshold: RELAY_INBOUND_CONNECTIONS_PER_SECOND,
      maxIncomingPendingConnections: RELAY_MAX_PENDING_INBOUND,
      inboundUpgradeTimeout: RELAY_INBOUND_UPGRADE_TIMEOUT_MS
    },
    connectionMonitor: wiaConnectionMonitor(RELAY_PING_INTERVAL_MS),
    datastore: peersInMemory(init.datastore),
    peerDiscovery: init.bootstrap.length === 0
      ? []
      : [bootstrap({ list: init.bootstrap, timeout: 0 })],
    services: {
      identify: identify(),
      identifyPush: identifyPush(),
      ping: wiaPing(),
      dht: wiaDHT({ clientMode: false, allowLocal: init.allowLocal, validate: init.validate }),
      ingress: webSocketIngress(),
      relay: circuitRelayServer({
        reservations: {
          maxReservations: init.maxReservations,
          applyDefaultLimit: false
        }
      })
    }
  }
}
