import { logger } from '@libp2p/logger'

const log = logger('wia:relay:store-compaction')

/**
 * Least time between two compactions of the relay's block store (ms). A
 * LevelDB compaction rewrites the tables a range spans: seconds of disk work
 * for a store of hundreds of MiB, so evictions in a burst (`npm run stress`,
 * cache abuse) share one.
 */
export const COMPACTION_INTERVAL_MS = 30_000

/** The one call {@link StoreCompaction} makes: `classic-level`'s `compactRange` (the `db` of `blockstore-level`). */
export interface CompactableStore {
  compactRange(start: string, end: string): Promise<void>
}

/**
 * `db` as a {@link CompactableStore}: `blockstore-level`'s `db` is typed as
 * the `level` package's `Level`, which in Node is `classic-level` and has
 * `compactRange` (the browser's `browser-level` has not).
 *
 * @throws {TypeError} when `db` cannot compact a range
 */
export function compactable (db: object): CompactableStore {
  if (typeof (db as Partial<CompactableStore>).compactRange !== 'function') {
    throw new TypeError('this LevelDB binding cannot compact a range')
  }
  return db as CompactableStore
}

export interface StoreCompactionInit {
  /** @default COMPACTION_INTERVAL_MS */
  intervalMs?: number
  /** Told when a compaction failed (the next request tries again). */
  onError?: (err: Error) => void
}

/**
 * Compacts the relay's LevelDB block store after its site cache deleted
 * blocks. LevelDB deletes by writing tombstones: the deleted blocks stay in
 * their table files on disk, and mapped into the relay's memory (LevelDB reads
 * tables through `mmap`, which counts in the process's RSS), until a
 * compaction reaches them, which a store with few writes may put off for a
 * long time. In the stress run's cache abuse a 32 MiB cache left 201 MiB of
 * tables, 255 MiB of the relay's 564 MiB RSS.
 *
 * At most one compaction runs at a time and one starts at most every
 * `intervalMs`; requests meanwhile are folded into the next one.
 */
export class StoreCompaction {
  private readonly intervalMs: number
  private readonly onError?: (err: Error) => void
  private lastStart = -Infinity
  private timer?: ReturnType<typeof setTimeout>
  private running?: Promise<void>
  private stopped = false

  constructor (private readonly store: CompactableStore, init: StoreCompactionInit = {}) {
    this.intervalMs = init.intervalMs ?? COMPACTION_INTERVAL_MS
    this.onError = init.onError
  }

  /** Have the whole store compacted soon (blocks were deleted). */
  request (): void {
    if (this.stopped || this.timer != null) {
      return
    }
    const wait = Math.max(0, this.lastStart + this.intervalMs - performance.now())
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.run()
    }, wait)
    this.timer.unref?.()
  }

  /** No compaction starts from now on; resolves once one under way has ended. */
  async stop (): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    this.timer = undefined
    await this.running
  }

  private async run (): Promise<void> {
    if (this.running != null) {
      // one is under way: the request is taken up once it ends
      await this.running
      this.request()
      return
    }
    this.lastStart = performance.now()
    // every key of blockstore-level is `/` and a base32 multihash: this range spans them all
    this.running = this.store.compactRange('\u0000', '\uffff').then(() => {
      log('block store compacted in %d ms', Math.round(performance.now() - this.lastStart))
    }, (err: Error) => {
      this.onError?.(err)
    }).finally(() => {
      this.running = undefined
    })
    await this.running
  }
}
