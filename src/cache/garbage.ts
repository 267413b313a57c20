import { logger } from '@libp2p/logger'
import { GC_PAUSE_SHARE } from './constants.js'

const log = logger('wia:cache')

export interface CacheGarbageComponents {
  /** Delete every unpinned block (Helia's `gc`). */
  gc: () => Promise<void>
  /** The cache's fetch queue: paused while a collection runs or waits for the running fetches to end. */
  fetches: { pause(): void, resume(): void }
  /** Run `fn` after the cache's bookkeeping under way (pin, unpin, evict), and keep the next waiting for it. */
  serialised: <T>(fn: () => Promise<T>) => Promise<T>
}

export interface CacheGarbageInit {
  /** The cache's bound (bytes): a collection is forced once the garbage reaches {@link GC_PAUSE_SHARE} of it. */
  maxBytes: number
  /** Called after each collection (a relay compacts its store then). */
  onCollected?: () => void
}

/**
 * The blocks a `SiteCache` no longer holds (sites unpinned, fetches that
 * failed, blocks fetched for visitors of sites it does not keep) and when
 * Helia's garbage collection deletes them (`docs/caching.md`, "Bounds and
 * eviction").
 */
export class CacheGarbage {
  /**
   * Fetches running (not those queued), each with the bytes it walked so
   * far: their blocks are stored but not pinned yet, so garbage collection
   * waits for those that hold some.
   */
  readonly running = new Set<{ bytes: number }>()

  private readonly components: CacheGarbageComponents
  private readonly maxBytes: number
  private readonly onCollected?: () => void
  private pending = false
  /** A collection is under way: another waits for the next trigger after it (a fetch let through between two would lose its first blocks). */
  private collecting = false
  /** Bytes of the sites unpinned (and fetches failed) since the last collection. */
  private bytes = 0

  constructor (components: CacheGarbageComponents, init: CacheGarbageInit) {
    this.components = components
    this.maxBytes = init.maxBytes
    this.onCollected = init.onCollected
  }

  /** Note `bytes` (bytes) of blocks no kept site holds any more: the next collection deletes them. */
  add (bytes: number): void {
    this.pending = true
    this.bytes += bytes
  }

  /**
   * Note `bytes` (bytes) of blocks fetched for a visitor of a site the cache
   * does not keep, and collect at once when the garbage has reached
   * {@link GC_PAUSE_SHARE} of the bound.
   */
  addVisitorBlocks (bytes: number): void {
    this.add(bytes)
    if (this.bytes >= this.maxBytes * GC_PAUSE_SHARE) {
      this.collectIfPending().catch(err => { log.error('could not collect garbage - %e', err) })
    }
  }

  /**
   * Delete unpinned blocks (Helia's garbage collection) once something was
   * unpinned or a fetch failed. A running fetch's blocks are unpinned until
   * it completes, so a collection needs no fetch running that stored a
   * block: it runs when the last one ends. A fetch that has had no block yet
   * (a site whose peers are gone, stalling up to `FETCH_STALL_MS` a
   * walk) does not hold it up: at worst the first block it gets just before
   * the collection is deleted, and its pin fetches that block again. Under
   * a steady stream of keeps one is always running
   * (`npm run stress`, cache abuse: 200 sites through a 32 MiB cache left
   * 201 MiB on disk), so once the blocks to delete reach
   * {@link GC_PAUSE_SHARE} of the bound, queued fetches wait until the
   * running ones have ended and the collection is done.
   */
  async collectIfPending (): Promise<void> {
    if (!this.pending || this.collecting) {
      return
    }
    const { fetches } = this.components
    if ([...this.running].some(fetch => fetch.bytes > 0)) {
      if (this.bytes >= this.maxBytes * GC_PAUSE_SHARE) {
        // the last running fetch collects as it ends
        fetches.pause()
      }
      return
    }
    this.pending = false
    this.bytes = 0
    this.collecting = true
    // no fetch starts while the collection runs: its first blocks would be unpinned
    fetches.pause()
    try {
      await this.components.serialised(this.components.gc)
    } finally {
      this.collecting = false
      fetches.resume()
    }
    this.onCollected?.()
  }
}
