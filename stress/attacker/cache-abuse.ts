import { randomBytes } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { Agent } from 'node:http'
import { summarize } from '../../bench/stats.js'
import { startNodePeer } from '../../e2e/support/node-peer.js'
import { uniqueLabel } from '../../e2e/support/site.js'
import { randomRawCid } from '../../test/fixtures/blocks.js'
import { readCacheUse } from '../cache-status.js'
import { httpGet } from '../http-get.js'
import { forEachConcurrently } from './concurrently.js'
import type { Summary } from '../../bench/stats.js'
import type { NodePeer, PublishedSite } from '../../e2e/support/node-peer.js'

/** How often the relay's cache status is read during the attack (ms). */
const CACHE_SAMPLE_MS = 500
/** Names registered (DHT puts) at once. */
const REGISTER_CONCURRENCY = 4
/** Keep requests in flight at once. */
const KEEP_CONCURRENCY = 8
/** Visit reports in flight at once. */
const VISIT_CONCURRENCY = 32
/** How long one visit report may take (ms). */
const VISIT_TIMEOUT_MS = 10_000
/** How long the CAR of one visited site may take through the relay (ms). */
const VISITED_READ_TIMEOUT_MS = 60_000

/** What the cache-keep attack is told, as JSON on its command line. */
export interface CacheKeepInit {
  relay: string
  httpPort: number
  /** Names registered with a site of the attacker's own, each asked to be kept (the cache protocol's `keep`). */
  sites: number
  /** Bytes of each such site (one file of random bytes). */
  siteBytes: number
  /** Names registered for a root nobody serves, each made hot with visit reports. */
  hollow: number
  /** Visit reports sent for each hollow name (at least the relay's `--hot-visits`). */
  visitsPerName: number
  /**
   * Names registered with a site of the attacker's own (`siteBytes` each)
   * that are never asked to be kept: each is read once as a CAR through the
   * relay's trustless gateway, which fetches its blocks from the attacker.
   */
  visited: number
}

export interface CacheKeepReport {
  registered: number
  registerFailed: number
  /** Keep answers by status (`kept`, `counted`) or error name. */
  keeps: Record<string, number>
  visitsSent: number
  /** Visit reports the relay answered 202. */
  visitsAccepted: number
  /** CARs of the visited sites read through the relay whole (200 and every byte). */
  visitedRead: number
  /** The relay's cache while the attack ran (`/_wia/cache.json`, every 500 ms). */
  cache: { maxBytes: number, peakUsedBytes: number, peakSites: number, samples: number }
  seconds: number
}


/** Read the relay's cache status every {@link CACHE_SAMPLE_MS} until `stop()`; its peaks. */
function sampleCache (httpPort: number): { stop: () => Promise<CacheKeepReport['cache']> } {
  const peaks = { maxBytes: 0, peakUsedBytes: 0, peakSites: 0, samples: 0 }
  let reading: Promise<void> = Promise.resolve()
  const read = (): void => {
    reading = readCacheUse(httpPort).then(use => {
      peaks.samples++
      peaks.maxBytes = use.maxBytes
      peaks.peakUsedBytes = Math.max(peaks.peakUsedBytes, use.usedBytes)
      peaks.peakSites = Math.max(peaks.peakSites, use.names.length)
    }, () => {})
  }
  read()
  const timer = setInterval(read, CACHE_SAMPLE_MS)
  return {
    async stop () {
      clearInterval(timer)
      await reading
      read()
      await reading
      return peaks
    }
  }
}

/**
 * Cache abuse, part (a): a peer registers many names (the relay's proof of
 * work each) and makes the relay try to keep them all: names with a site of
 * its own are asked to be kept over the cache protocol, names whose root
 * nobody serves are made "hot" with visit reports over HTTP (the relay
 * then fetches them on its own, and stalls). The cache must stay within its
 * `--cache-size` and keep the sites in demand. Sites of its own nobody asks
 * to keep are read through the relay's gateway: the relay's disk must not
 * keep them.
 */
export async function cacheKeep (init: CacheKeepInit): Promise<CacheKeepReport> {
  const start = performance.now()
  const peer: NodePeer = await startNodePeer(init.relay)
  const cache = sampleCache(init.httpPort)
  const report: Omit<CacheKeepReport, 'cache' | 'seconds'> = { registered: 0, registerFailed: 0, keeps: {}, visitsSent: 0, visitsAccepted: 0, visitedRead: 0 }
  try {
    const hollow: string[] = []
    await forEachConcurrently(Array.from({ length: init.hollow }), REGISTER_CONCURRENCY, async () => {
      try {
        hollow.push((await peer.registerHollow(uniqueLabel('hollow'), await randomRawCid())).name)
        report.registered++
      } catch {
        report.registerFailed++
      }
    })
    const agent = new Agent({ keepAlive: true, maxSockets: VISIT_CONCURRENCY })
    const visits = hollow.flatMap(name => Array.from({ length: init.visitsPerName }, () => name))
    const visiting = forEachConcurrently(visits, VISIT_CONCURRENCY, async name => {
      report.visitsSent++
      const answer = await httpGet(init.httpPort, 'localhost', `/_wia/visit/${name}`, { agent, method: 'POST', timeoutMs: VISIT_TIMEOUT_MS }).catch(() => undefined)
      if (answer?.status === 202) report.visitsAccepted++
    })
    /** A junk site of `siteBytes` random bytes under a new name, counted in the report; undefined when registering failed. */
    const publishJunk = async (prefix: string): Promise<PublishedSite | undefined> => {
      try {
        const site = await peer.publishSite(uniqueLabel(prefix), [{ path: 'junk.bin', size: init.siteBytes, content: async function * () { yield randomBytes(init.siteBytes) } }])
        report.registered++
        return site
      } catch {
        report.registerFailed++
        return undefined
      }
    }
    await forEachConcurrently(Array.from({ length: init.sites }), KEEP_CONCURRENCY, async () => {
      const site = await publishJunk('junk')
      if (site == null) return
      const outcome = await peer.askRelayToKeep(site.name).then(() => 'kept', (err: Error) => err.name)
      report.keeps[outcome] = (report.keeps[outcome] ?? 0) + 1
    })
    // sites nobody asks the relay to keep, read through it once each (the relay fetches them from this peer)
    await forEachConcurrently(Array.from({ length: init.visited }), KEEP_CONCURRENCY, async () => {
      const site = await publishJunk('visited')
      if (site == null) return
      const answer = await httpGet(init.httpPort, 'localhost', `/ipfs/${site.root.toString()}?format=car`, { agent, timeoutMs: VISITED_READ_TIMEOUT_MS }).catch(() => undefined)
      if (answer?.status === 200 && answer.body.byteLength > init.siteBytes) report.visitedRead++
    })
    await visiting
    agent.destroy()
  } finally {
    await peer.stop()
  }
  return { ...report, cache: await cache.stop(), seconds: (performance.now() - start) / 1000 }
}

/** What the wants attack is told, as JSON on its command line. */
export interface CacheWantsInit {
  relay: string
  httpPort: number
  /** Random CIDs wanted over bitswap, all at once. */
  wants: number
  /** How long the wants are held (s). */
  wantSeconds: number
  /** `GET /ipfs/<random cid>` requests to the relay's trustless gateway. */
  requests: number
  /** Requests in flight at once. */
  inFlight: number
  /** How long the attacker waits for one answer (ms): longer than the relay's own bound. */
  requestTimeoutMs: number
  /** The loopback address its requests come from (`127.0.0.2`): a client of its own to the relay, not the legit visitors' `127.0.0.1`. */
  fromAddress: string
}

export interface CacheWantsReport {
  wants: { sent: number, arrived: number }
  /** Gateway answers by status, `timeout` when none came within `requestTimeoutMs`, `error` when the connection failed. */
  requests: { sent: number, answers: Record<string, number>, times?: Summary }
  seconds: number
}

/**
 * Cache abuse, part (b): wants for blocks nobody has. A libp2p peer (Helia,
 * bitswap 1.2.0) wants thousands of random CIDs from every peer it is
 * connected to (the relay), while `GET /ipfs/<random cid>?format=raw`
 * requests make the relay itself look for thousands more.
 */
export async function cacheWants (init: CacheWantsInit): Promise<CacheWantsReport> {
  const start = performance.now()
  const peer: NodePeer = await startNodePeer(init.relay)
  try {
    const cids = await Promise.all(Array.from({ length: init.wants }, randomRawCid))
    const signal = AbortSignal.timeout(init.wantSeconds * 1000)
    // one signal for thousands of wants: each adds a listener
    setMaxListeners(Infinity, signal)
    const wanting = peer.wantBlocks(cids, { signal })
    const answers: Record<string, number> = {}
    const times: number[] = []
    const agent = new Agent({ keepAlive: true, maxSockets: init.inFlight, localAddress: init.fromAddress })
    await forEachConcurrently(Array.from({ length: init.requests }), init.inFlight, async () => {
      const cid = await randomRawCid()
      let startedAt = performance.now()
      // timed from when the request had its socket: this process's own wants held its event loop for seconds at the start
      const outcome = await httpGet(init.httpPort, 'localhost', `/ipfs/${cid.toString()}?format=raw`, { agent, timeoutMs: init.requestTimeoutMs })
        .then(answer => { startedAt = answer.startedAt; return String(answer.status) }, (err: Error) => err.message.startsWith('no whole answer') ? 'timeout' : 'error')
      times.push(performance.now() - startedAt)
      answers[outcome] = (answers[outcome] ?? 0) + 1
    })
    agent.destroy()
    const arrived = await wanting
    return {
      wants: { sent: init.wants, arrived },
      requests: { sent: init.requests, answers, ...(times.length === 0 ? {} : { times: summarize(times) }) },
      seconds: (performance.now() - start) / 1000
    }
  } finally {
    await peer.stop()
  }
}
