import { logger } from '../log.js'
import { BaseBlockstore } from 'blockstore-core/base'
import { raceSignal } from 'race-signal'
import { BlockHashMismatchError, blockBytes } from '../../src/trustless/index.js'
import { Arrivals } from './arrivals.js'
import type { RelayGateways } from './gateways.js'
import type { SitePrefetch } from './site-prefetch.js'
import type { AbortOptions } from '@libp2p/interface'
import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

const log = logger('wia:sw:fetching-blockstore')

/** What a request prefetches at its first missing block. */
export interface PrefetchTarget {
  /** The site's root. */
  root: CID
  /** The URL path under it (`/css/site.css`). */
  path: string
  /** Only the blocks of this byte range of the file (`from:to`, Trustless Gateway `entity-bytes`). */
  entityBytes?: string
  /**
   * `block`: of the file at the path's end only its root block (Trustless
   * Gateway `dag-scope=block`), what a HEAD needs for the size. Default: the
   * whole file (`entity`).
   */
  dagScope?: 'block' | 'entity'
  signal?: AbortSignal
  /** A whole-site stream the worker may be running: a missing block of `root` is waited for there first. */
  site?: SitePrefetch
}

/**
 * The site worker's blockstore for one request: blocks already kept (memory,
 * then the visitor's IndexedDB) are read locally; a missing block is fetched
 * from the relays over HTTP, checked against its CID, kept, and returned.
 *
 * The first block missing locally starts {@link FetchingBlockstore.prefetch}
 * of the request's path (`onMiss`): the CAR of the blocks on the path and of
 * the file at its end, in one request. A `get` of a block that stream will
 * bring waits for it instead of making a request of its own, so a cold page
 * costs one round trip rather than one per DAG level, and a page whose
 * blocks are all kept costs none. When the stream ends without a block, that
 * block is fetched alone, once however many `get`s want it at the same time.
 */
export class FetchingBlockstore extends BaseBlockstore {
  /** `get`s waiting for a block a running prefetch may bring. */
  private readonly arrivals: Arrivals
  /** Blocks being fetched alone, by CID string. */
  private readonly fetching = new Map<string, Promise<Uint8Array>>()
  private prefetches = 0
  private onMiss?: PrefetchTarget
  private readonly site?: { prefetch: SitePrefetch, root: CID }
  /** Whether a `get` found a block not kept locally: the request was a cold one. */
  missed = false

  /**
   * @param onMiss - what to prefetch at the first block not kept locally: the site's root and the URL path
   */
  constructor (private readonly local: Blockstore, private readonly gateways: RelayGateways, onMiss?: PrefetchTarget) {
    super()
    this.arrivals = new Arrivals(local)
    this.onMiss = onMiss
    if (onMiss?.site != null) {
      this.site = { prefetch: onMiss.site, root: onMiss.root }
    }
  }

  override async has (cid: CID, options?: AbortOptions): Promise<boolean> {
    return this.local.has(cid, options)
  }

  override async put (cid: CID, value: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options?: AbortOptions): Promise<CID> {
    return this.local.put(cid, value, options)
  }

  override async * get (cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    // one read, not a look and a read: IndexedDB answers both with a transaction of its own
    const kept = await this.readLocal(cid, options)
    if (kept != null) {
      yield kept
      return
    }
    this.missed = true
    // the worker's whole-site stream may be bringing it: no request of its own then
    const fromSite = this.site?.prefetch.arrives(this.site.root, cid, options)
    // a stream that ended while the first look was under way (an IndexedDB read) may have brought it: one more look
    const lookAgain = fromSite == null ? this.site?.prefetch.streamedWhole(this.site.root) === true : await fromSite
    const brought = lookAgain ? await this.readLocal(cid, options) : undefined
    if (brought != null) {
      yield brought
      return
    }
    this.prefetchOnFirstMiss()
    const arrived = await this.arrives(cid, options) ? await this.readLocal(cid, options) : undefined
    if (arrived != null) {
      yield arrived
      return
    }
    yield await this.fetchAlone(cid, options)
  }

  /**
   * A block from the local store, or `undefined` when the copy kept there
   * failed its hash check (`BlockHashMismatchError` from a
   * `CheckedBlockstore`: it was deleted and is fetched again) or is gone
   * (`NotFoundError`): a concurrent read dropped an altered copy after a
   * look (this one's, or a CAR stream's that then did not store its own
   * copy) had found it.
   */
  private async readLocal (cid: CID, options?: AbortOptions): Promise<Uint8Array | undefined> {
    try {
      return await blockBytes(this.local.get(cid, options))
    } catch (err) {
      const { name } = err as Error
      if (name === 'NotFoundError') {
        return undefined
      }
      if (name !== BlockHashMismatchError.name) {
        throw err
      }
      log.error('the kept copy of block %c was altered: fetching it again', cid)
      return undefined
    }
  }

  /**
   * From now on a missing block is fetched alone: no prefetch starts (one
   * already running goes on). A range request calls this once its path is
   * resolved, so reading on into blocks the visitor already holds does not
   * send them again in a CAR of the whole range.
   */
  stopPrefetchOnMiss (): void {
    this.onMiss = undefined
  }

  /** One block from the relays, checked and kept; a second `get` of it meanwhile waits for this fetch. */
  private async fetchAlone (cid: CID, options?: AbortOptions): Promise<Uint8Array> {
    const key = cid.toString()
    let fetch = this.fetching.get(key)
    if (fetch == null) {
      fetch = (async () => {
        const bytes = await this.gateways.block(cid, options)
        await this.local.put(cid, bytes, options)
        return bytes
      })().finally(() => { this.fetching.delete(key) })
      this.fetching.set(key, fetch)
    }
    return await raceSignal(fetch, options?.signal)
  }

  /** Start the prefetch of the request's path (`onMiss`), once. */
  private prefetchOnFirstMiss (): void {
    if (this.onMiss == null) {
      return
    }
    const { root, path, signal, entityBytes, dagScope } = this.onMiss
    this.onMiss = undefined
    void this.prefetch(root, path, { signal, entityBytes, dagScope })
  }

  /**
   * Stream the CAR of `root` + `path` (`dag-scope=entity` unless `dagScope`
   * says otherwise) into the local store, block by verified block
   * (`cache`: whether the browser's HTTP cache may answer, as for
   * `RelayGateways.car`). Never throws: a failed or altered stream is logged and its missing blocks are
   * fetched one by one by `get`.
   */
  async prefetch (root: CID, path: string, options: AbortOptions & { entityBytes?: string, dagScope?: 'block' | 'entity', cache?: RequestCache } = {}): Promise<void> {
    this.prefetches++
    let blocks = 0
    try {
      for await (const { cid, bytes } of this.gateways.car(root, path, options)) {
        // no look first: the worker's store skips a block it holds in memory, and a look in IndexedDB costs as much as the write
        await this.local.put(cid, bytes, options)
        blocks++
        this.arrivals.settle(cid, true)
      }
    } catch (err) {
      log('prefetch of %c%s stopped after %d blocks - %e', root, path, blocks, err)
    } finally {
      this.prefetches--
      if (this.prefetches === 0) {
        this.arrivals.settleAll()
      }
    }
  }

  /**
   * Wait for a running prefetch to bring `cid`. When none runs (any more),
   * whether the block is kept now: the stream may have brought it and ended
   * while the caller's own look (an IndexedDB read) was under way.
   */
  private async arrives (cid: CID, options?: AbortOptions): Promise<boolean> {
    if (this.prefetches === 0) {
      return this.local.has(cid, options)
    }
    return await this.arrivals.wait(cid, options)
  }
}
