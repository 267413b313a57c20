import { randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core'
import { startNodePeer } from '../e2e/support/node-peer.js'
import { TEST_POW_BITS, startRelay } from '../e2e/support/relay-process.js'
import { uniqueLabel } from '../e2e/support/site.js'
import { importSite } from '../src/content/index.js'
import { spawnStaticServer } from './static-server.js'
import { requestsPerSecond } from './http-load.js'
import { result } from './report.js'
import { summarize } from './stats.js'
import type { SiteFile } from '../src/content/index.js'
import type { LoadRequest } from './http-load.js'
import type { BenchResult } from './report.js'
import type { CID } from 'multiformats/cid'

/** Size of each page of the cached site (bytes): one block each. */
const PAGE_BYTES = 2_000

/** A page of the cached site: its block's CID and its URL path. */
interface Page {
  cid: CID
  path: string
}

/** One way the relay answers for a cached page, measured as a figure of its own. */
interface RelayPath {
  id: string
  /** Which endpoint, in words for the table. */
  endpoint: string
  target?: string
  request(page: Page): LoadRequest
  notes: string
}

export interface CachedRequestsInit {
  /** Pages of the cached site; the clients ask for them in turn. */
  pages: number
  /** Keep-alive connections, each one request at a time. */
  clients: number
  /** Length of a round of one server (ms). */
  roundMs: number
  /** Rounds per server (the servers take turns); the median is reported. */
  rounds: number
  /** Length of one round per server before the measured ones (ms): the relay's JIT warms up, as a relay's serving all day has. */
  warmupMs: number
}

/**
 * Requests per second one relay serves over HTTP for a site in its cache,
 * beside a static server on the same cores: a Node peer publishes a site of
 * 2 kB pages, the relay keeps it, the peer goes offline. Then `clients`
 * keep-alive connections from this process (`http-load.ts`) ask the relay
 * for the pages in turn:
 *
 * - through its **trustless gateway**, `GET /_wia/ipfs/<cid>` on the site
 *   origin with `Accept: application/vnd.ipld.raw`: one page's block, what a
 *   site worker asks of its relay;
 * - through its **trusted gateway**, `GET /p<i>.html` on the site origin
 *   with no `Sec-Fetch-Dest` (curl, a crawler, a browser without service
 *   workers): name, path and file resolved by the relay.
 *
 * Both are held to the issue's ≥ 0.5× of the static server: pages served
 * "from its cache over HTTP" are both.
 *
 * Baseline: the same pages as files from the static loopback server
 * (`static-server.ts`) in a process of its own, so each server is one
 * Node process and the load generator loads both alike. The servers take
 * turns each round so drift in machine load hits all alike.
 */
export async function benchCachedRequests (init: CachedRequestsInit): Promise<BenchResult[]> {
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--no-app'] })
  const dir = await mkdtemp(join(tmpdir(), 'wia-bench-pages-'))
  const files: SiteFile[] = []
  for (let i = 0; i < init.pages; i++) {
    const bytes = randomBytes(PAGE_BYTES)
    await writeFile(join(dir, `p${i}.html`), bytes)
    files.push({ path: `p${i}.html`, size: bytes.byteLength, content: async function * () { yield bytes } })
  }
  const staticServer = await spawnStaticServer(dir)
  try {
    const staticUrl = staticServer.url
    // each page's CID and path, from the same import into memory
    const local = unixfs({ blockstore: new MemoryBlockstore() })
    const { root } = await importSite(local, files)
    const pages: Page[] = []
    for await (const entry of local.ls(root)) pages.push({ cid: entry.cid, path: `/${entry.name}` })

    const owner = await startNodePeer(relay.relayAddrs[0]!)
    const published = await owner.publishSite(uniqueLabel('pages'), files)
    if (!published.root.equals(root)) {
      throw new Error('the published root differs from the local import')
    }
    await owner.askRelayToKeep(published.name)
    await owner.stop()

    const relayOrigin = `http://127.0.0.1:${relay.httpPort}`
    const siteHost = `${published.name}.localhost:${relay.httpPort}`
    // the relay's two HTTP answers for cached pages, then the baseline: one request per page each
    const relayPaths: RelayPath[] = [
      {
        id: 'relay-cached-requests',
        endpoint: 'trustless gateway raw blocks',
        target: '≥ 0.5×',
        request: page => ({ path: `/_wia/ipfs/${page.cid}`, headers: { host: siteHost, accept: 'application/vnd.ipld.raw' } }),
        notes: 'GET /_wia/ipfs/<cid> on the site origin, Accept: application/vnd.ipld.raw (what a site worker asks).'
      },
      {
        id: 'relay-cached-requests-trusted',
        endpoint: 'trusted gateway site paths',
        target: '≥ 0.5×',
        request: page => ({ path: page.path, headers: { host: siteHost } }),
        notes: 'GET /p<i>.html on the site origin without Sec-Fetch-Dest (a client without the worker): the relay resolves the name, the path and the file.'
      }
    ]
    const servers = [
      ...relayPaths.map(({ request }) => ({ origin: relayOrigin, request })),
      { origin: staticUrl, request: (page: Page): LoadRequest => ({ path: page.path }) }
    ]
    const rates = servers.map((): number[] => [])
    // round -1 warms up and is not kept
    for (let r = -1; r < init.rounds; r++) {
      const order = servers.map((_, i) => i)
      for (const s of r % 2 === 0 ? order : order.reverse()) {
        const rate = await requestsPerSecond({
          origin: servers[s]!.origin,
          clients: init.clients,
          durationMs: r < 0 ? init.warmupMs : init.roundMs,
          request: (client, i) => servers[s]!.request(pages[(i + client * 7) % pages.length]!)
        })
        if (r >= 0) rates[s]!.push(rate)
      }
    }
    const baseline = { what: `the same pages from a static loopback HTTP server (one Node process, sirv), same ${init.clients} keep-alive clients`, summary: summarize(rates[servers.length - 1]!) }
    const notes = `${init.clients} keep-alive HTTP/1.1 connections (undici Pool) in the bench process, one request at a time each, rounds of ${init.roundMs / 1000} s per server after ${init.warmupMs / 1000} s of warm-up, ${init.rounds} rounds (servers in turn); relay and static server are one Node process each on the same 2 cores as the clients.`
    return relayPaths.map((path, i) => result({
      id: path.id,
      what: `requests/s one relay serves from its cache over HTTP, ${path.endpoint} (${init.pages} pages of ${PAGE_BYTES / 1000} kB, ${init.clients} keep-alive clients)`,
      unit: 'requests/s',
      better: 'higher',
      measured: summarize(rates[i]!),
      baseline,
      target: path.target,
      notes: `${path.notes} ${notes}`
    }))
  } finally {
    await staticServer.stop()
    await relay.stop()
  }
}
