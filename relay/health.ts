import type { RelayServices } from './libp2p.js'
import type { LoadedCertificate } from './tls/index.js'
import type { Libp2p } from '@libp2p/interface'

/** What `GET /_wia/health` answers (JSON). */
export interface RelayHealth {
  /** Always `ok` while the relay answers; a monitor treats no answer as down. */
  status: 'ok'
  /** `local` (`npm start`) or `public` (`--public-domain`). */
  mode: 'local' | 'public'
  /** The relay's PeerId. */
  peerId: string
  /** Multiaddrs the relay tells peers (with `/p2p/`). */
  addresses: string[]
  /** Time since the process started (ms). */
  uptimeMs: number
  /** Circuit relay v2 reservations held now, and the bound. */
  reservations: number
  maxReservations: number
  /** Open libp2p connections. */
  connections: number
  /** Peers in the WIA DHT's routing table (other relays). */
  dhtPeers: number
  /** Bytes the site cache holds, its bound, and how many sites it keeps. */
  cache: { usedBytes: number, maxBytes: number, sites: number }
  /** The certificate in use (public mode). */
  tls?: { notAfter: string, subjectAltName: string, fingerprint256: string }
}

export interface RelayHealthComponents {
  libp2p: Libp2p<RelayServices>
  maxReservations: number
  cache: () => Promise<{ usedBytes: number, maxBytes: number, sites: number }>
  certificate?: () => LoadedCertificate
  startedAt: number
}

/** The relay's health report, as of now. */
export async function relayHealth (components: RelayHealthComponents): Promise<RelayHealth> {
  const node = components.libp2p
  const certificate = components.certificate?.()
  return {
    status: 'ok',
    mode: certificate == null ? 'local' : 'public',
    peerId: node.peerId.toString(),
    addresses: node.getMultiaddrs().map(ma => ma.toString()),
    uptimeMs: Date.now() - components.startedAt,
    reservations: node.services.relay.reservations.size,
    maxReservations: components.maxReservations,
    connections: node.getConnections().length,
    dhtPeers: node.services.dht.routingTable.size,
    cache: await components.cache(),
    ...(certificate == null
      ? {}
      : {
          tls: {
            notAfter: certificate.notAfter.toISOString(),
            subjectAltName: certificate.subjectAltName,
            fingerprint256: certificate.fingerprint256
          }
        })
  }
}
