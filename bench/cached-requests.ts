import { randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unixfs } from '@helia/unixfs'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { BlackHoleBlockstore, MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import drain from 'it-drain'
import { startNodePeer } from '../e2e/support/node-peer.js'
import { TEST_POW_BITS, startRelay } from '../e2e/support/relay-process.js'
import { uniqueLabel } from '../e2e/support/site.js'
import { importSite } from '../src/content/index.js'
import { createWiaHelia } from '../src/node/index.js'
import { result } from './report.js'
import { startStaticServer } from './static-server.js'
import { summarize } from './stats.js'
import type { SiteFile } from '../src/content/index.js'
import type { BenchResult } from './report.js'
import type { HeliaWithLibp2p } from '@helia/libp2p'
import type { Identify } from '@libp2p/identify'
import type { CID } from 'multiformats/cid'

/** Size of each page of the cached site (bytes): one block each. */
const PAGE_BYTES = 2_000

export interface CachedRequestsInit {
  /** Pages of the cached site; each client asks for each page once per round. */
  pages: number
  /** Clients requesting at once, each one request at a time. */
  clients: number
  /** Rounds per side (a round: every client asks for every page once); the median is reported. */
  rounds: number
}

/** Requests per second of one round: `clients` loops, each asking for every page once. */
async function round (clients: number, pages: number, request: (client: number, page: number) => Promise<void>): Promise<number> {
  const start = performance.now()
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    for (let page = 0; page < pages; page++) {
      await request(client, (page + client * 7) % pages)
    }
  }))
  return (clients * pages) / ((performance.now() - start) / 1000)
}

/**
 * Requests per second one relay serves for a site in its cache: a Node peer
 * publishes a site of small pages, the relay keeps it, the peer goes offline;
 * then `clients` libp2p + Helia nodes (in this process, each with a
 * black-hole blockstore so every page is asked of the relay over bitswap) ask
 * for every page once per round. Each client is a new node per round
 * (bitswap does not resend a block to the same peer within 5 s). Baseline:
 * the same pages as files from a static loopback HTTP server to as many
 * concurrent `fetch` loops.
 */
export async function benchCachedRequests (init: CachedRequestsInit): Promise<BenchResult> {
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--no-app'] })
  const dir = await mkdtemp(join(tmpdir(), 'wia-bench-pages-'))
  const files: SiteFile[] = []
  for (let i = 0; i < init.pages; i++) {
    const bytes = randomBytes(PAGE_BYTES)
    await writeFile(join(dir, `p${i}.html`), bytes)
    files.push({ path: `p${i}.html`, size: bytes.byteLength, content: async function * () { yield bytes } })
  }
  const staticServer = await startStaticServer(dir)
  try {
    // the pages' CIDs, from the same import into memory
    const local = unixfs({ blockstore: new MemoryBlockstore() })
    const { root } = await importSite(local, files)
    const cids: CID[] = []
    for await (const entry of local.ls(root)) cids.push(entry.cid)

    const owner = await startNodePeer(relay.relayAddrs[0]!)
    const published = await owner.publishSite(uniqueLabel('pages'), files)
    if (!published.root.equals(root)) {
      throw new Error('the published root differs from the local import')
    }
    await owner.askRelayToKeep(published.name)
    await owner.stop()

    const relayRates: number[] = []
    const staticRates: number[] = []
    for (let r = 0; r < init.rounds; r++) {
      const clients: Array<HeliaWithLibp2p<{ identify: Identify }>> = []
      try {
        for (let i = 0; i < init.clients; i++) {
          const helia = await createWiaHelia({
            blockstore: new BlackHoleBlockstore(),
            datastore: new MemoryDatastore(),
            libp2p: { transports: [webSockets()], connectionEncrypters: [noise()], streamMuxers: [yamux()], services: { identify: identify() } }
          })
          clients.push(helia)
          await helia.libp2p.dial(multiaddr(relay.relayAddrs[0]!))
        }
        relayRates.push(await round(init.clients, cids.length, async (client, page) => {
          await drain(clients[client]!.blockstore.get(cids[page]!, { signal: AbortSignal.timeout(10_000) }))
        }))
      } finally {
        await Promise.all(clients.map(async c => c.stop()))
      }
      staticRates.push(await round(init.clients, cids.length, async (_client, page) => {
        const res = await fetch(`${staticServer.url}/p${page}.html`)
        await res.arrayBuffer()
      }))
    }
    return result({
      id: 'relay-cached-requests',
      what: `requests/s one relay serves from its cache (${init.pages} pages of ${PAGE_BYTES / 1000} kB, ${init.clients} clients)`,
      unit: 'requests/s',
      measured: summarize(relayRates),
      baseline: { what: 'the same pages from a static loopback HTTP server, as many concurrent fetch loops', summary: summarize(staticRates) },
      target: '≥ 500 requests/s on 2 cores',
      notes: `Each request is one bitswap block (a page) from a relay process; the ${init.clients} client nodes run in the bench process (new nodes each round), so they share the 2 cores with the relay. Rounds: ${init.rounds}.`
    })
  } finally {
    staticServer.server.close()
    await relay.stop()
  }
}
