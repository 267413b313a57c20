import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import { browserLibp2pOptions } from '../src/node/browser.js'
import { connectToRelays, createWiaHelia, loadClientConfig, parseRelayAddrs } from '../src/node/index.js'
import type { ClientConfig, } from '../src/node/index.js'
import type { BrowserServices } from '../src/node/browser.js'
import type { UnixFS } from '@helia/unixfs'
import type { HeliaWithLibp2p } from '@helia/libp2p'

/** Everything the site handler needs from the worker's node. */
export interface SwNode {
  config: ClientConfig
  helia: HeliaWithLibp2p<BrowserServices>
  fs: UnixFS
}

let current: Promise<SwNode> | undefined

/**
 * The service worker's node, started on first use and kept for the worker's
 * life. A worker is stopped when idle (DESIGN.md §3), so this restarts cheaply:
 * a WebSocket dial to the relays, no WebRTC (a worker has no
 * `RTCPeerConnection`) and no listening. Blocks live in memory for the
 * worker's life; Helia checks each fetched block against its CID.
 *
 * A failed start is not cached: the next request tries again.
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
  const relays = parseRelayAddrs(node.config.relays).map(ma => ma.getComponents().find(c => c.name === 'p2p')?.value)
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
  const config = await loadClientConfig(origin, options)
  const helia = await createWiaHelia({
    blockstore: new MemoryBlockstore(),
    datastore: new MemoryDatastore(),
    libp2p: browserLibp2pOptions({ relays: config.relays, allowLocal: config.allowLocal, reachable: false, minPowBits: config.powBits })
  })
  try {
    await connectToRelays(helia.libp2p, config.relays, options)
  } catch (err) {
    await helia.stop()
    throw err
  }
  return { config, helia, fs: unixfs(helia) }
}
