import { statfs } from 'node:fs/promises'
import type { RelayServices } from './libp2p.js'
import type { LoadedCertificate } from './tls/index.js'
import type { Libp2p } from '@libp2p/interface'

/** What `GET /_wia/health` answers (JSON). */
export interface RelayHealth {
  /**
   * `ok`, or `degraded` while the relay answers but cannot take more (its
   * data directory's disk is full: it keeps resolving names and serving what
   * it holds, and keeps no new sites). A monitor treats no answer as down.
   */
  status: 'ok' | 'degraded'
  /** `local` (`npm start`) or `public` (`--public-domain`, with or without `--behind-proxy`). */
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
  /** The disk of the data directory: bytes free and in all, and `full` below {@link STORAGE_FULL_FREE_BYTES} free. */
  storage: RelayStorage
  /** The certificate in use (public mode, when the relay terminates TLS: not `--behind-proxy`). */
  tls?: { notAfter: string, subjectAltName: string, fingerprint256: string }
}

/** The data directory's disk, as `statfs` sees it. */
export interface RelayStorage {
  freeBytes: number
  totalBytes: number
  full: boolean
}

/**
 * Free bytes under which a relay's disk counts as full (16 MiB): LevelDB
 * needs room to compact, and one more cached site would not fit.
 */
export const STORAGE_FULL_FREE_BYTES = 16 * 1024 * 1024

/** The disk holding `dir`: free bytes (those an unprivileged process may use) and total. */
export async function storageOf (dir: string): Promise<RelayStorage> {
  const fs = await statfs(dir)
  const freeBytes = fs.bavail * fs.bsize
  return { freeBytes, totalBytes: fs.blocks * fs.bsize, full: freeBytes < STORAGE_FULL_FREE_BYTES }
}

export interface RelayHealthComponents {
  libp2p: Libp2p<RelayServices>
  mode: RelayHealth['mode']
  maxReservations: number
  cache: () => Promise<{ usedBytes: number, maxBytes: number, sites: number }>
  certificate?: () => LoadedCertificate
  startedAt: number
  /** The relay's data directory (`--data-dir`). */
  dataDir: string
}

/** The relay's health report, as of now. */
export async function relayHealth (components: RelayHealthComponents): Promise<RelayHealth> {
  const node = components.libp2p
  const certificate = components.certificate?.()
  const storage = await storageOf(components.dataDir)
  return {
    status: storage.full ? 'degraded' : 'ok',
    mode: components.mode,
    peerId: node.peerId.toString(),
    addresses: node.getMultiaddrs().map(ma => ma.toString()),
    uptimeMs: Date.now() - components.startedAt,
    reservations: node.services.relay.reservations.size,
    maxReservations: components.maxReservations,
    connections: node.getConnections().length,
    dhtPeers: node.services.dht.routingTable.size,
    cache: await components.cache(),
    storage,
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
