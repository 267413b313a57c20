import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify, identifyPush } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webRTC } from '@libp2p/webrtc'
import { webTransport } from '@libp2p/webtransport'
import { webSockets } from '@libp2p/websockets'
import { MemoryDatastore } from 'datastore-core'
import { createNameRecordValidator } from '../naming/index.js'
import { IDENTIFY_PUSH_DEBOUNCE_MS } from './constants.js'
import { wiaDHT } from './dht.js'
import { wiaConnectionGater } from './gater.js'
import { BROWSER_PING_INTERVAL_MS, wiaConnectionMonitor, wiaPing, wiaYamux } from './liveness.js'
import { circuitListenAddrs } from './relays.js'
import { reservationKeeper } from './reservation-keeper.js'
import type { ReservationKeeper } from './reservation-keeper.js'
import type { Identify, IdentifyPush } from '@libp2p/identify'
import type { PrivateKey } from '@libp2p/interface'
import type { SingleKadDHT } from '@libp2p/kad-dht'
import type { Ping } from '@libp2p/ping'
import type { Libp2pOptions } from 'libp2p'

/** Services every browser node of wia-home runs. */
export interface BrowserServices extends Record<string, unknown> {
  identify: Identify
  identifyPush: IdentifyPush
  ping: Ping
  dht: SingleKadDHT
  /** Present when the node is `reachable`: keeps its reservations on the relays. */
  reservations?: ReservationKeeper
}

export interface BrowserNodeInit {
  /** Relay multiaddrs, each ending in `/p2p/<relay PeerId>`. */
  relays: string[]
  /** Allow `ws://` and loopback/private addresses (local relay); see {@link wiaConnectionGater}. */
  allowLocal: boolean
  /**
   * Be reachable by other peers: take a circuit relay reservation on every relay
   * and accept WebRTC connections (`/webrtc`). Needs `RTCPeerConnection`, so
   * only a page (the app tab) can do it, never a service worker (DESIGN.md §3).
   */
  reachable: boolean
  /** The node's identity; a fresh one is made when absent. */
  privateKey?: PrivateKey
  /** Least proof-of-work difficulty of name records (the relays' setting, from the client config). */
  minPowBits: number
}

/**
 * libp2p options for a browser runtime, composed from the shared pieces:
 * WebSockets to relays, circuit relay v2 transport, WebTransport and WebRTC
 * when `reachable`,
 * Noise, Yamux, identify, ping and a client-mode WIA DHT; a reachable node
 * also keeps its reservations (see {@link reservationKeeper}).
 */
export function browserLibp2pOptions (init: BrowserNodeInit): Libp2pOptions<BrowserServices> {
  const transports: NonNullable<Libp2pOptions['transports']> = [
    webSockets(),
    // one reservation attempt per relay at once: with the default of 1, the
    // reservation on a second listen relay was never attempted (seen with
    // circuit-relay-v2 4.2.13), so the node never finished starting
    circuitRelayTransport({ reservationCompletionTimeout: 10_000, reservationConcurrency: Math.max(1, init.relays.length) }),
    // the page also dials WebTransport relays and accepts WebRTC; a worker keeps its bundle small
    ...(init.reachable ? [webTransport(), webRTC()] : [])
  ]

  return {
    ...(init.privateKey == null ? {} : { privateKey: init.privateKey }),
    addresses: {
      listen: init.reachable ? [...circuitListenAddrs(init.relays), '/webrtc'] : []
    },
    transports,
    connectionEncrypters: [noise()],
    streamMuxers: [wiaYamux()],
    ...(init.allowLocal ? { connectionGater: wiaConnectionGater(true) } : {}),
    connectionMonitor: wiaConnectionMonitor(BROWSER_PING_INTERVAL_MS),
    // the peer store and DHT records live in memory: libp2p updates the peer
    // store on every stream it opens or accepts (each ping, each bitswap
    // stream), which in IndexedDB was a read and a write per stream. What
    // must survive a reload (the node's key, Helia's pins) stays in the
    // datastore given to Helia.
    datastore: new MemoryDatastore(),
    services: {
      identify: identify(),
      identifyPush: identifyPush({ debounce: IDENTIFY_PUSH_DEBOUNCE_MS }),
      ping: wiaPing(),
      dht: wiaDHT({ clientMode: true, allowLocal: init.allowLocal, validate: createNameRecordValidator({ minPowBits: init.minPowBits }) }),
      ...(init.reachable ? { reservations: reservationKeeper({ relays: init.relays }) } : {})
    }
  }
}
