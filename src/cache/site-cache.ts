import { depthFirstWalker } from '@helia/utils'
import { logger } from '@libp2p/logger'
import { PriorityQueue } from '@libp2p/utils'
import drain from 'it-drain'
import { DEMAND_HALF_LIFE_MS, FETCH_STALL_MS, MAX_CONCURRENT_FETCHES, MAX_FETCH_ATTEMPTS, MAX_HOT_FETCHES, PROVIDE_TIMEOUT_MS } from './constants.js'
import { decayedScore } from './demand.js'
import { FetchQueueBusyError, SiteTooLargeError } from './errors.js'
import { CacheGarbage } from './garbage.js'
import { addPin } from './orphaned-pins.js'
import { StallWatchdog } from '../signals/index.js'
import type { Helia } from '@helia/interface'
import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

const log = logger('wia:cache')

/** Fetch priority of a site a caller asked to keep (an owner's `keep`): before every hot site. */
const ASKED_PRIORITY = 1
/** Fetch priority of a site made hot by visits. */
const HOT_PRIORITY = 0

/** Marks the pins a site cache owns (pin metadata `wia: 'site'`). */
const PIN_KIND = 'site'

/** One site a cache keeps whole. */
export interface CachedSite {
  /** Full WIA name, e.g. `alice.wia.home`. */
  name: string
  /** The root kept: the name's current version when it was kept. */
  root: CID
  /** Bytes of all its blocks. */
  bytes: number
  /** Its demand score now (decayed visit count, see `demand.ts`). */
  demand: number
  /** When it was kept (ms since epoch). */
  keptAt: number
}

/** Most demanded first; the newest first among equals (so eviction, from the end, takes the oldest). */
function byDemand (a: CachedSite, b: CachedSite): number {
  return b.demand - a.demand || b.keptAt - a.keptAt
}

/** The result of {@link SiteCache.keep}. */
export type KeepOutcome =
  | { kept: true, bytes: number, evicted: string[] }
  /** The site fits the cache, but only by evicting sites in more demand: it was fetched and dropped again. */
  | { kept: false, bytes: number, evicted: string[] }

export interface SiteCacheComponents {
  helia: Pick<Helia, 'pins' | 'blockstore' | 'datastore' | 'gc' | 'routing' | 'getCodec'>
  /**
   * The blockstore the blocks of the site under `root` are fetched through
   * (it must store what it fetches in `helia.blockstore`, as Helia's own
   * and its sessions do). Default: `helia.blockstore`, whose bitswap asks
   * every connected peer for each block; a relay passes one that asks only
   * the root's providers, so the hosts on it do not hear of the sites it
   * keeps (`relay/gateway/provider-sessions.ts`).
   */
  blocksOf?(root: CID): Blockstore
}

export interface SiteCacheInit {
  /** Bound on the bytes of all kept sites' blocks. */
  maxBytes: number
  /** Announce kept roots as their provider (relays and seeding tabs do). @default true */
  provide?: boolean
  /** @default DEMAND_HALF_LIFE_MS */
  halfLifeMs?: number
  /** Clock (ms since epoch). @default Date.now */
  now?: () => number
  /** @default FETCH_STALL_MS */
  stallMs?: number
  /** Called after each garbage collection of evicted sites' blocks (a relay compacts its store then). */
  onCollected?: () => void
}

export interface KeepOptions {
  signal?: AbortSignal
  /** The site's demand score now (visits counted before it was kept). @default 1 */
  demand?: number
  /**
   * The site was made hot by visits, nobody asked to keep it: it is fetched
   * only when no other fetch waits for a slot and fewer than
   * {@link MAX_HOT_FETCHES} hot sites are fetched, and after every site
   * asked for. Names anyone registers for roots nobody serves each hold a slot for
   * {@link MAX_FETCH_ATTEMPTS} × {@link FETCH_STALL_MS}; made hot by a few
   * visit reports each, they would otherwise queue every owner's keep behind
   * them (`npm run stress`, cache abuse).
   *
   * @default false
   */
  hot?: boolean
}

/**
 * Whole sites kept in a Helia node's blockstore, bounded in bytes, the most
 * demanded kept longest. Each kept site is a recursive Helia pin of its root
 * whose pin metadata holds its name, size and demand, so the cache survives
 * a restart with its blockstore and datastore, and eviction is Helia's own
 * unpin plus garbage collection (blocks two sites share stay while either is
 * kept). Sizes add up each site's blocks, so shared blocks count twice:
 * the cache errs on the side of staying under its bound.
 *
 * One site per name: keeping a name's new root drops its old one, so a cache
 * never serves an old version as a name's current one.
 */
export class SiteCache {
  private readonly helia: SiteCacheComponents['helia']
  private readonly blocksOf: (root: CID) => Blockstore
  private readonly maxBytes: number
  private readonly announce: boolean
  private readonly halfLifeMs: number
  private readonly now: () => number
  private readonly stallMs: number
  /** Serialises the bookkeeping (pin, unpin, evict); fetches run beside it. */
  private tail: Promise<unknown> = Promise.resolve()
  private readonly fetches = new PriorityQueue<KeepOutcome>({ concurrency: MAX_CONCURRENT_FETCHES })
  /** Hot sites (see {@link KeepOptions.hot}) being fetched or waiting for a slot. */
  private hotFetches = 0
  /** The blocks no kept site holds, and when they are collected. */
  private readonly garbage: CacheGarbage

  constructor (components: SiteCacheComponents, init: SiteCacheInit) {
    this.helia = components.helia
    this.blocksOf = components.blocksOf ?? (() => components.helia.blockstore)
    this.maxBytes = init.maxBytes
    this.announce = init.provide ?? true
    this.halfLifeMs = init.halfLifeMs ?? DEMAND_HALF_LIFE_MS
    this.now = init.now ?? Date.now
    this.stallMs = init.stallMs ?? FETCH_STALL_MS
    this.garbage = new CacheGarbage({
      gc: async () => { await this.helia.gc() },
      fetches: this.fetches,
      serialised: async fn => this.serialised(fn)
    }, { maxBytes: init.maxBytes, ...(init.onCollected == null ? {} : { onCollected: init.onCollected }) })
  }

  /** Announce every kept root again (after a restart); returns how many sites are kept. */
  async start (): Promise<number> {
    const sites = await this.list()
    for (const site of sites) {
      this.provide(site.root)
    }
    return sites.length
  }

  /** Every kept site, most demanded first. */
  async list (options: { signal?: AbortSignal } = {}): Promise<CachedSite[]> {
    const now = this.now()
    const sites: CachedSite[] = []
    for await (const pin of this.helia.pins.ls(options)) {
      const m = pin.metadata
      if (m.wia !== PIN_KIND || typeof m.name !== 'string') {
        continue
      }
      sites.push({
        name: m.name,
        root: pin.cid,
        bytes: Number(m.bytes),
        demand: decayedScore({ score: Number(m.score), at: Number(m.scoredAt) }, now, this.halfLifeMs),
        keptAt: Number(m.keptAt)
      })
    }
    return sites.sort(byDemand)
  }

  /** The kept site of `name`, if any. */
  async get (name: string): Promise<CachedSite | undefined> {
    return (await this.list()).find(site => site.name === name)
  }

  /** Bytes of all kept sites. */
  async usedBytes (): Promise<number> {
    return (await this.list()).reduce((sum, site) => sum + site.bytes, 0)
  }

  /**
   * Fetch every block of `root` (from the blockstore, or from peers through
   * Helia, each checked against its CID), keep it as `name`'s site, drop the
   * name's previous root, then evict the least demanded sites until the cache
   * is within its bound — which may be this one, if every other site is in
   * more demand.
   *
   * @throws {SiteTooLargeError} when the site alone exceeds the bound (what was fetched is dropped)
   * @throws {FetchQueueBusyError} for a `hot` site while other fetches wait for a slot (nothing fetched)
   * @throws {FetchStalledError} when {@link MAX_FETCH_ATTEMPTS} walks each went {@link FETCH_STALL_MS} without a block (what was fetched is dropped)
   * @throws the abort reason when `options.signal` aborts (what was fetched is dropped)
   */
  async keep (name: string, root: CID, options: KeepOptions = {}): Promise<KeepOutcome> {
    const current = await this.get(name)
    if (current?.root.equals(root) === true) {
      return this.serialised(async () => {
        await this.setScore(current, Math.max(current.demand, options.demand ?? 0))
        return { kept: true, bytes: current.bytes, evicted: [] }
      })
    }
    const hot = options.hot === true
    if (hot && (this.fetches.queued > 0 || this.hotFetches >= MAX_HOT_FETCHES)) {
      throw new FetchQueueBusyError(name)
    }
    // fetch beside other fetches: a site whose peers vanished must not hold up the rest
    if (hot) this.hotFetches++
    try {
      return await this.fetches.add(async () => {
        const fetched = { bytes: 0 }
        this.garbage.running.add(fetched)
        try {
          const bytes = await this.fetchWhole(name, root, fetched, options.signal)
          return await this.serialised(async () => this.keepFetched(name, root, bytes, options))
        } catch (err) {
          // blocks fetched for a site that is not kept must not stay unaccounted
          this.garbage.add(fetched.bytes)
          throw err
        } finally {
          this.garbage.running.delete(fetched)
          await this.garbage.collectIfPending()
        }
      }, {
        priority: hot ? HOT_PRIORITY : ASKED_PRIORITY,
        ...(options.signal == null ? {} : { signal: options.signal })
      })
    } finally {
      if (hot) this.hotFetches--
    }
  }

  /**
   * Make room for a fetched site (evict the least demanded, the new one
   * among the candidates), then pin it and drop the name's previous root:
   * the kept sites never add up to more than the bound, not even between
   * pinning and evicting (`npm run stress` reads `/_wia/cache.json` meanwhile).
   */
  private async keepFetched (name: string, root: CID, bytes: number, options: KeepOptions): Promise<KeepOutcome> {
    const previous = await this.get(name)
    const now = this.now()
    const metadata = { wia: PIN_KIND, name, bytes, score: Math.max(options.demand ?? 1, previous?.demand ?? 0), scoredAt: now, keptAt: now }
    const evicted = await this.evictOverBound({ name, root, bytes, demand: metadata.score, keptAt: now })
    if (!evicted.includes(name)) {
      if (await this.isPinnedRoot(root)) {
        await this.helia.pins.setMetadata(root, metadata)
      } else {
        // a pin cut short releases what it marked (a keep's timeout, a full disk)
        await addPin(this.helia, root, { metadata, signal: options.signal })
      }
    }
    if (previous != null && !previous.root.equals(root)) {
      await drain(this.helia.pins.rm(previous.root))
      this.garbage.add(previous.bytes)
    }
    const kept = !evicted.includes(name)
    if (kept) {
      this.provide(root)
    }
    log('%s %s (%d bytes) as %c; evicted %o', kept ? 'kept' : 'did not keep', name, bytes, root, evicted)
    return { kept, bytes, evicted: evicted.filter(n => n !== name) }
  }

  /**
   * Add `weight` visits to a kept site's demand; returns its new score, or
   * `undefined` when the cache does not keep `name`.
   */
  async touch (name: string, weight = 1): Promise<number | undefined> {
    const site = await this.get(name)
    if (site == null) {
      return undefined
    }
    const score = site.demand + weight
    await this.setScore(site, score).catch(err => {
      // dropped meanwhile: nothing to count
      log('could not count a visit of %s - %e', name, err)
    })
    return score
  }

  /** Stop keeping `name`'s site and delete its blocks (those no other kept site shares). */
  async drop (name: string): Promise<boolean> {
    return this.serialised(async () => {
      const site = await this.get(name)
      if (site == null) {
        return false
      }
      await drain(this.helia.pins.rm(site.root))
      this.garbage.add(site.bytes)
      return true
    }).finally(async () => { await this.garbage.collectIfPending() })
  }

  /**
   * Fetch every block of `root` (Helia checks each against its CID); returns
   * their bytes. A walk that gets no block for {@link FETCH_STALL_MS} starts
   * again, up to {@link MAX_FETCH_ATTEMPTS} walks.
   */
  private async fetchWhole (name: string, root: CID, fetched: { bytes: number }, signal?: AbortSignal): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const watchdog = new StallWatchdog(this.stallMs, signal, `blocks of ${name}`)
      try {
        return await this.walk(name, root, watchdog, fetched)
      } catch (err) {
        if (!watchdog.stalled) {
          throw err
        }
        if (attempt === MAX_FETCH_ATTEMPTS) {
          throw watchdog.signal.reason
        }
        log('%s stalled on walk %d of %d - asking again', name, attempt, MAX_FETCH_ATTEMPTS)
      } finally {
        watchdog.stop()
      }
    }
  }

  /** One walk of `root`'s DAG; `fetched.bytes` is the most bytes any walk of this fetch reached (what it may have stored). */
  private async walk (name: string, root: CID, watchdog: StallWatchdog, fetched: { bytes: number }): Promise<number> {
    const walker = depthFirstWalker()({ blockstore: this.blocksOf(root), getCodec: this.helia.getCodec })
    let bytes = 0
    for await (const node of walker.walk(root, { signal: watchdog.signal })) {
      watchdog.progress()
      bytes += node.block.bytes.byteLength
      fetched.bytes = Math.max(fetched.bytes, bytes)
      if (bytes > this.maxBytes) {
        throw new SiteTooLargeError(name, this.maxBytes)
      }
    }
    return bytes
  }

  /**
   * Unpin the least demanded sites (oldest first among equals) until the
   * total with `incoming` (fetched, not pinned yet) fits; returns their
   * names, `incoming`'s among them when it is the least demanded. Their
   * blocks go at the next collection.
   */
  private async evictOverBound (incoming: CachedSite): Promise<string[]> {
    // the name's previous root is dropped when the new one is kept
    const sites = [...(await this.list()).filter(site => site.name !== incoming.name), incoming]
      .sort(byDemand)
    let total = sites.reduce((sum, site) => sum + site.bytes, 0)
    const evicted: string[] = []
    for (const site of sites.reverse()) {
      if (total <= this.maxBytes) {
        break
      }
      if (site !== incoming) {
        await drain(this.helia.pins.rm(site.root))
      }
      total -= site.bytes
      evicted.push(site.name)
      this.garbage.add(site.bytes)
    }
    return evicted
  }

  /**
   * Note `bytes` (bytes) of blocks the relay fetched from peers for a visitor
   * of a site it does not keep: Helia stored them and no pin holds them. Once
   * they and the blocks of dropped sites reach `GC_PAUSE_SHARE` of the
   * bound, they are collected, so a relay's disk does not fill with the
   * sites its visitors open (a collection may cut a visitor's answer that
   * needed one of them again: the worker asks once more).
   */
  addVisitorBlocks (bytes: number): void {
    this.garbage.addVisitorBlocks(bytes)
  }

  private async setScore (site: CachedSite, score: number): Promise<void> {
    const pin = await this.helia.pins.get(site.root)
    await this.helia.pins.setMetadata(site.root, { ...pin.metadata, score, scoredAt: this.now() })
  }

  private async isPinnedRoot (root: CID): Promise<boolean> {
    try {
      await this.helia.pins.get(root)
      return true
    } catch {
      return false
    }
  }

  private provide (root: CID): void {
    if (!this.announce) {
      return
    }
    this.helia.routing.provide(root, { signal: AbortSignal.timeout(PROVIDE_TIMEOUT_MS) })
      .catch(err => { log('announcing %c failed; the next start tries again - %e', root, err) })
  }

  private async serialised<T> (fn: () => Promise<T>): Promise<T> {
    const run = this.tail.catch(() => {}).then(fn)
    this.tail = run
    return run
  }
}
