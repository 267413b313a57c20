import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import { browserLibp2pOptions } from '../src/node/browser.js'
import { CONFIG_PATH, connectToRelays, createWiaHelia, loadClientConfig, relayPeerIds, waitForDHTPeer } from '../src/node/index.js'
import { ContentUnavailableError } from '../src/gateway/index.js'
import { visitorBlockstore } from './block-cache.js'
import { SiteSessions } from './site-sessions.js'
import { WriteBehindBlockstore } from './write-behind.js'
import type { ClientConfig, } from '../src/node/index.js'
import type { BrowserServices } from '../src/node/browser.js'
import type { UnixFS } from '@helia/unixfs'
import type { HeliaWithLibp2p } from '@helia/libp2p'
import type { CID } from 'multiformats/cid'

/** Everything the site handler needs from the worker's node. */
export interface SwNode {
  config: ClientConfig
  helia: HeliaWithLibp2p<BrowserServices>
  /** UnixFS over a Helia session for one site version (see {@link SiteSessions}). */
  fsFor(root: CID): UnixFS
  /** Close the session of `root` after a failure: the next request finds providers afresh. */
  dropSession(root: CID): void
}

let current: Promise<SwNode> | undefined
let config: Promise<ClientConfig> | undefined

/** Cache Storage entry that keeps the last client configuration for offline visits. */
const CONFIG_CACHE = 'wia-sw-config'

/**
 * The client configuration (`/_wia/config.json`) from the site's server, kept
 * for the worker's life; when the server cannot be reached, the copy saved on
 * an earlier visit (Cache Storage), so a visited site opens offline.
 *
 * @throws {ConfigUnavailableError} when neither the server nor a saved copy has it
 */
export async function getSwConfig (origin: string, options: { signal?: AbortSignal } = {}): Promise<ClientConfig> {
  config ??= (async () => {
    const saved = await caches.open(CONFIG_CACHE)
    try {
      const fresh = await loadClientConfig(origin, options)
      await saved.put(CONFIG_PATH, new Response(JSON.stringify(fresh)))
      return fresh
    } catch (err) {
      const copy = await saved.match(CONFIG_PATH)
      if (copy == null) {
        throw err
      }
      // not kept for the worker's life: the next request asks the server again
      config = undefined
      return await copy.json() as ClientConfig
    }
  })().catch(err => {
    config = undefined
    throw err
  })
  return config
}

/**
 * UnixFS over the visitor's block cache alone: what a visit can use with no
 * network. A block the cache lacks is reported as `ContentUnavailableError`
 * (504), never as a missing path (404).
 */
export async function getLocalFs (siteName: string): Promise<UnixFS> {
  const blockstore = await visitorBlockstore()
  return unixfs({
    blockstore: {
      has: async (cid, options) => blockstore.has(cid, options),
      put: async (cid, bytes, options) => blockstore.put(cid, bytes, options),
      get: async function * (cid, options) {
        try {
          yield * blockstore.get(cid, options)
        } catch (err) {
          if ((err as Error).name === 'NotFoundError') {
            throw new ContentUnavailableError(siteName, { cause: err, phase: 'fetching' })
          }
          throw err
        }
      }
    }
  })
}

/**
 * The service worker's node, started on first use and kept for the worker's
 * life. A worker is stopped when idle (DESIGN.md §3), so this restarts cheaply:
 * a WebSocket dial to the relays, no WebRTC (a worker has no
 * `RTCPeerConnection`) and no listening. Fetched blocks go to the visitor's
 * block cache in IndexedDB (`block-cache.ts`); Helia checks each against its
 * CID first.
 *
 * A failed start is not cached: the next request tries again.
 *
 * @throws {ConfigUnavailableError | NoRelayReachableError} when the network is out of reach
 */
export async function getSwNode (origin: string, options: { signal?: AbortSignal } = {}): Promise<SwNode> {
  current ??= startNode(origin, options).catch(err => {
    current = undefined
    throw err
  })
  const node = await current
  await reconnectIfCut(node, options)
  return node
}

/** A node that lost every relay connection (relay restarted, network change) dials them again. */
async function reconnectIfCut (node: SwNode, options: { signal?: AbortSignal }): Promise<void> {
  const relays = relayPeerIds(node.config.relays)
  const connected = node.helia.libp2p.getConnections().some(conn => conn.status === 'open' && relays.includes(conn.remotePeer.toString()))
  if (!connected) {
    await connectToRelays(node.helia.libp2p, node.config.relays, options)
  }
}

/**
 * Drop the worker's node so the next request starts a fresh one. Used after a
 * site request timed out: a long-lived node was seen unable to fetch a new
 * root once the host came back under a new PeerId, while a fresh node could.
 */
export function resetSwNode (): void {
  const stale = current
  current = undefined
  void stale?.then(async node => { await node.helia.stop() }).catch(() => {})
}

async function startNode (origin: string, options: { signal?: AbortSignal }): Promise<SwNode> {
  const config = await getSwConfig(origin, options)
  performance.mark('wia:node-start')
  const helia = await createWiaHelia({
    // memory in front of IndexedDB, written behind: a fetched block is handed
    // on before it lands in IDB, and a repeat visit within the worker's life reads no IDB
    blockstore: new WriteBehindBlockstore(new MemoryBlockstore(), await visitorBlockstore()),
    datastore: new MemoryDatastore(),
    libp2p: browserLibp2pOptions({ relays: config.relays, allowLocal: config.allowLocal, reachable: false, minPowBits: config.powBits })
  })
  performance.mark('wia:node-started')
  try {
    await connectToRelays(helia.libp2p, config.relays, options)
    performance.mark('wia:relay-connected')
    await waitForDHTPeer(helia.libp2p.services.dht, options)
    performance.mark('wia:dht-ready')
  } catch (err) {
    await helia.stop()
    throw err
  }
  const sessions = new SiteSessions(helia)
  return { config, helia, fsFor: root => sessions.fsFor(root), dropSession: root => { sessions.drop(root) } }
}
