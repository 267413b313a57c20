import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { formatNumber } from '../../bench/format.js'
import { FIRST_BYTE_TIMEOUT_MS } from '../../relay/gateway/constants.js'
import { GC_PAUSE_SHARE, MAX_CONCURRENT_FETCHES } from '../../src/cache/index.js'
import { COMPACTION_INTERVAL_MS } from '../../relay/store-compaction.js'
import { OTHER_CLIENT_ADDRESS } from '../../e2e/support/plain-http.js'
import { readCacheUse } from '../cache-status.js'
import { checked, figure } from '../report.js'
import { hostSitesNotKept } from '../legit-host.js'
import { hostDialRow, underAttack, usageRows, visitRows } from '../under-attack.js'
import { visitLog, visitSite } from '../visitor.js'
import type { CacheKeepInit, CacheKeepReport, CacheWantsInit, CacheWantsReport } from '../attacker/cache-abuse.js'
import type { StressResult } from '../report.js'
import type { StressContext, UnderAttack } from '../under-attack.js'
import type { VisitLog } from '../visitor.js'

const MIB = 1024 * 1024
/** Bytes of each site the attacker asks the relay to keep. */
const JUNK_SITE_BYTES = MIB
/**
 * How much later than the relay's first-byte bound an answer to a random
 * CID may come and still count as bounded (ms): the bound runs from the
 * request's arrival, the attacker's clock from when its request had a
 * socket (before the connection is accepted), and accepting and parsing
 * hundreds of new connections at once on two shared cores takes seconds.
 * Timed from the request's creation instead, the slowest answer took
 * 40–42 s: the attacker's own 10,000 wants held its event loop for 9 s
 * before its first requests got their sockets.
 */
const ANSWER_SLACK_MS = 10_000

/** Sites the relay does not keep visited before the attack, one after another: the baseline of their visits. */
const NOT_KEPT_BASELINE_VISITS = 4
/** Visits of sites the relay does not keep started per second during the attack, each of a site not visited before. */
const NOT_KEPT_VISITS_PER_SECOND = 0.5

/**
 * Bytes of the files under `dir` (what the relay's LevelDB block store takes
 * on disk). A file LevelDB's compaction deletes between the listing and its
 * `stat` counts nothing: it is gone.
 */
async function bytesOnDisk (dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) {
      continue
    }
    try {
      total += (await stat(join(entry.parentPath, entry.name))).size
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw err
      }
    }
  }
  return total
}

/** How long a compaction of the relay's store may take once it started (ms). */
const COMPACTION_SLACK_MS = 5_000
/** How often the relay's store is measured while waiting for its compaction (ms). */
const DISK_SAMPLE_MS = 1_000

/**
 * Bytes of the relay's block store once the compaction its last garbage
 * collection asked for had its turn (the relay compacts at most every
 * {@link COMPACTION_INTERVAL_MS}): the blocks deleted are then off the disk,
 * not only marked deleted in LevelDB's tables. Measured every second until
 * within `goal` bytes, or once the compaction's turn surely came.
 */
async function bytesOnDiskCompacted (dir: string, goal: number): Promise<number> {
  const deadline = performance.now() + COMPACTION_INTERVAL_MS + COMPACTION_SLACK_MS
  for (;;) {
    const bytes = await bytesOnDisk(dir)
    if (bytes <= goal || performance.now() >= deadline) {
      return bytes
    }
    await new Promise(resolve => setTimeout(resolve, DISK_SAMPLE_MS))
  }
}

/**
 * Scenario 5a: a peer registers many names and makes the relay try to keep
 * them all (issue 14, "cache abuse"): sites of its own asked to be kept over
 * the cache protocol (more bytes than the relay's `--cache-size`), and names
 * whose root nobody serves made hot with visit reports. Goals: the cache
 * stays within its bound, the legit sites stay kept and served.
 */
export async function cacheKeepScenario (ctx: StressContext): Promise<{ results: StressResult[], details: unknown }> {
  const init: CacheKeepInit = {
    relay: ctx.relay.relayAddrs[0]!,
    httpPort: ctx.relay.httpPort,
    sites: ctx.quick ? 40 : 200,
    siteBytes: JUNK_SITE_BYTES,
    hollow: ctx.quick ? 100 : 2000,
    visitsPerName: 3,
    visited: ctx.quick ? 40 : 200
  }
  const attack = `cache abuse: ${init.sites} sites of ${init.siteBytes / MIB} MiB asked to be kept, ${init.visited} more read through the relay's gateway, ${init.hollow} names nobody serves made hot`
  const run = await underAttack<CacheKeepReport>(ctx, 'cache-keep', init, (ctx.quick ? 120 : 600) * 1000)
  const r = run.report
  const after = await readCacheUse(ctx.relay.httpPort)
  const legitKept = ctx.sites.filter(site => after.names.includes(site.name)).length
  // what docs/caching.md "Bounds and eviction" promises the relay's disk holds at most
  const diskBound = after.maxBytes * (1 + GC_PAUSE_SHARE) + MAX_CONCURRENT_FETCHES * init.siteBytes
  const disk = await bytesOnDiskCompacted(join(ctx.relay.dataDir, 'blocks'), diskBound)
  return {
    results: [
      figure({
        id: 'cache-keep-asked',
        attack,
        what: 'names registered (failed); keep answers',
        measured: `${r.registered} (${r.registerFailed}); ${Object.entries(r.keeps).map(([outcome, n]) => `${n} ${outcome}`).join(', ') || 'none'}; ${r.visitedRead}/${init.visited} sites read whole through the gateway; ${r.visitsAccepted}/${r.visitsSent} visit reports taken`,
        values: { registered: r.registered, registerFailed: r.registerFailed, visitedRead: r.visitedRead, visitsSent: r.visitsSent, visitsAccepted: r.visitsAccepted, seconds: r.seconds }
      }),
      checked({
        id: 'cache-keep-bound',
        attack,
        what: 'relay cache, peak bytes kept (sites) during the attack, sampled every 0.5 s',
        measured: `${formatNumber(r.cache.peakUsedBytes / MIB)} MiB (${r.cache.peakSites} sites) of ${formatNumber(r.cache.maxBytes / MIB)} MiB`,
        goal: '≤ --cache-size',
        values: { ...r.cache }
      }, r.cache.samples > 0 && r.cache.peakUsedBytes <= r.cache.maxBytes),
      checked({
        id: 'cache-keep-disk',
        attack,
        what: `relay block store on disk afterwards, once within the goal or ${(COMPACTION_INTERVAL_MS + COMPACTION_SLACK_MS) / 1000} s later (LevelDB files; evicted and visitor-fetched blocks collected while keeps go on, compacted at most every ${COMPACTION_INTERVAL_MS / 1000} s)`,
        measured: `${formatNumber(disk / MIB)} MiB`,
        goal: `≤ ${formatNumber(diskBound / MIB)} MiB (--cache-size, a quarter of it waiting for collection, ${MAX_CONCURRENT_FETCHES} sites being fetched)`,
        values: { bytes: disk, bound: diskBound }
      }, disk <= diskBound),
      checked({
        id: 'cache-keep-legit',
        attack,
        what: 'legit sites still kept afterwards (`/_wia/cache.json`)',
        measured: `${legitKept} / ${ctx.sites.length} (${after.names.length} sites, ${formatNumber(after.usedBytes / MIB)} MiB kept)`,
        goal: 'all',
        values: { legitKept, sites: after.names.length, usedBytes: after.usedBytes }
      }, legitKept === ctx.sites.length),
      ...visitRows('cache-keep', attack, run.visits, ctx.baseline),
      hostDialRow('cache-keep', attack, run.hostDials),
      ...usageRows('cache-keep', attack, run.usage, run.eventLoop)
    ],
    details: { init, report: r, after, visits: run.visits.visits.filter(v => !v.ok) }
  }
}

/**
 * Scenario 5b: wants for blocks nobody has: a libp2p peer wants thousands of
 * random CIDs over bitswap from the relay, and `GET /ipfs/<random
 * cid>?format=raw` requests make the relay look for thousands more. Goals:
 * every request answered (504) within the relay's first-byte bound, the
 * relay's RSS bounded, legit visits served.
 */
export async function cacheWantsScenario (ctx: StressContext): Promise<{ results: StressResult[], details: unknown }> {
  const init: CacheWantsInit = {
    relay: ctx.relay.relayAddrs[0]!,
    httpPort: ctx.relay.httpPort,
    wants: ctx.quick ? 2_000 : 10_000,
    wantSeconds: ctx.quick ? 10 : 90,
    requests: ctx.quick ? 500 : 8_000,
    inFlight: ctx.quick ? 250 : 1_000,
    requestTimeoutMs: FIRST_BYTE_TIMEOUT_MS + 30_000,
    fromAddress: OTHER_CLIENT_ADDRESS
  }
  const attack = `wants for CIDs nobody has (${init.wants} over bitswap, ${init.requests} GET /ipfs/<random cid> from ${init.fromAddress}, ${init.inFlight} in flight)`
  // sites only their host holds: each visit makes the relay fetch its blocks, from the fetch slots the flood wants
  const notKept = await hostSitesNotKept(ctx.relay.relayAddrs[0]!, NOT_KEPT_BASELINE_VISITS + (ctx.quick ? 12 : 40))
  let run: UnderAttack<CacheWantsReport>
  let notKeptBaseline: VisitLog
  try {
    const before = []
    for (const site of notKept.sites.slice(0, NOT_KEPT_BASELINE_VISITS)) before.push(await visitSite(ctx.relay.httpPort, site))
    notKeptBaseline = visitLog(before)
    run = await underAttack<CacheWantsReport>(ctx, 'cache-wants', init, (init.wantSeconds + init.requestTimeoutMs / 1000 + 120) * 1000, {
      notKept: { sites: notKept.sites.slice(NOT_KEPT_BASELINE_VISITS), perSecond: NOT_KEPT_VISITS_PER_SECOND }
    })
  } finally {
    await notKept.stop()
  }
  const r = run.report
  const bounded = (r.requests.answers['504'] ?? 0) + (r.requests.answers['404'] ?? 0)
  const slowest = r.requests.times?.max ?? Infinity
  return {
    results: [
      figure({
        id: 'cache-wants-bitswap',
        attack,
        what: 'bitswap wants of random CIDs: blocks received / wanted',
        measured: `${r.wants.arrived} / ${r.wants.sent}`,
        values: { ...r.wants }
      }),
      checked({
        id: 'cache-wants-gateway',
        attack,
        what: `GET /ipfs/<random cid> answered 504/404 / sent; p50 / slowest answer from its socket (relay bound ${FIRST_BYTE_TIMEOUT_MS / 1000} s)`,
        measured: `${bounded} / ${r.requests.sent} (${Object.entries(r.requests.answers).map(([status, n]) => `${n} × ${status}`).join(', ')}); ${formatNumber((r.requests.times?.median ?? NaN) / 1000)} / ${formatNumber(slowest / 1000)} s`,
        goal: `all, within ${(FIRST_BYTE_TIMEOUT_MS + ANSWER_SLACK_MS) / 1000} s`,
        values: { bounded, sent: r.requests.sent, p50Ms: r.requests.times?.median ?? NaN, maxMs: slowest }
      }, bounded === r.requests.sent && slowest <= FIRST_BYTE_TIMEOUT_MS + ANSWER_SLACK_MS),
      ...visitRows('cache-wants', attack, run.visits, ctx.baseline),
      ...visitRows('cache-wants-not-kept', attack, run.notKeptVisits ?? visitLog([]), notKeptBaseline, 'visits of sites the relay does not keep (their host only; a client other than the flood\'s, each site once)'),
      hostDialRow('cache-wants', attack, run.hostDials),
      ...usageRows('cache-wants', attack, run.usage, run.eventLoop)
    ],
    details: { init, report: r, visits: run.visits.visits.filter(v => !v.ok), notKeptVisits: run.notKeptVisits?.visits.filter(v => !v.ok) }
  }
}
