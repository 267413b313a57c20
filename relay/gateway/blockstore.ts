/**
 * The gateway's view of the relay's blockstore: every `get` bounded in time,
 * and every failure to produce a block turned into {@link BlockUnavailableError}
 * (504), so a missing block is never mistaken for a missing path (404).
 */

import { raceSignal } from 'race-signal'
import { identity } from 'multiformats/hashes/identity'
import { timeBound } from '../../src/signals/index.js'
import { blockBytes, readRefetchingCorrupt } from '../../src/trustless/index.js'
import { MAX_SHARED_FETCH_TRIES, ORPHANED_FETCH_GRACE_MS } from './constants.js'
import { BlockUnavailableError, NetworkFetchesBusyError } from './errors.js'
import { isForKeeping, shareOf } from './fetch-slots.js'
import type { AbortOptions } from '@libp2p/interface'
import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

/** The two blockstore calls the gateway makes (Helia's `helia.blockstore` has them). */
export type GatewayBlockstore = Pick<Blockstore, 'get' | 'has'>

/** Where the bytes of one block the relay served came from: its own store, or a peer (the bitswap sender). */
export type ServedFrom = { from: 'store' } | { from: 'peer', peer: string }

/** Told of every block a {@link localFirst} blockstore yields: where it came from, its size (bytes) and its CID. */
export type OnServed = (source: ServedFrom, bytes: number, cid: CID) => void

/** Where a block the relay's store holds came from, when a peer sent it moments ago for the visitor now reading it (the relay fetched it ahead of that visitor: `SiteWarmup`). */
export type StoredFrom = (cid: CID) => ServedFrom | undefined

/**
 * Read the relay's own store first and ask `network` (Helia: its lock, a
 * `has` and then the same read, or bitswap) only for a block the store does
 * not hold. A block the relay keeps costs one LevelDB read instead of two
 * and the lock (`npm run bench`, relay cached requests). `onServed` hears of
 * each block yielded (the relay counts bytes served per site this way): from
 * the store, or from the peer whose bitswap message brought it (Helia's
 * `bitswap:block` progress event). Bitswap is the relay's one block broker,
 * so a block `network` yields without that event was in the store after all
 * (another request stored it meanwhile). A block read from the store is
 * counted as from the peer `storedFrom` names, if any: one the relay
 * fetched from a host just before a visitor asked for it. No block is
 * copied: each is yielded on a buffer nobody writes to, the store's as it
 * yields it, or the bytes Helia yields for a fetched block (a view into the
 * bitswap message that brought it, held only while it is served). A copy of
 * each fetched block (`it-to-buffer`, here and in {@link sharedFetches})
 * was a tenth of the relay's CPU while it streamed a 95 MiB file from a
 * host's tab (profile, 2026-12-02).
 */
export function localFirst (local: Pick<Blockstore, 'get' | 'has'>, network: GatewayBlockstore, onServed?: OnServed, storedFrom?: StoredFrom): GatewayBlockstore {
  return {
    has: async (cid, options) => local.has(cid, options),
    async * get (cid, options) {
      let bytes: Uint8Array | undefined
      try {
        // the relay's own store yields buffers of its own (LevelDB's copy, or the hot blocks kept in memory): no copy
        bytes = await blockBytes(local.get(cid, options))
      } catch (err) {
        if ((err as Error).name !== 'NotFoundError') {
          throw err
        }
      }
      if (bytes != null) {
        onServed?.(storedFrom?.(cid) ?? { from: 'store' }, bytes.byteLength, cid)
        yield bytes
        return
      }
      if (onServed == null) {
        yield await blockBytes(network.get(cid, options))
        return
      }
      let peer: string | undefined
      const callerProgress = (options as { onProgress?: (event: unknown) => void } | undefined)?.onProgress
      // Helia passes `onProgress` on to its block brokers: bitswap names the peer whose message brought the block
      const withProgress = Object.assign({}, options, {
        onProgress: (event: { type: string, detail: unknown }) => {
          if (event.type === 'bitswap:block') {
            peer = (event.detail as { sender?: { toString(): string } }).sender?.toString()
          }
          callerProgress?.(event)
        }
      })
      const fetched = await blockBytes(network.get(cid, withProgress))
      onServed(peer == null ? { from: 'store' } : { from: 'peer', peer }, fetched.byteLength, cid)
      yield fetched
    }
  }
}

/**
 * `network` (Helia's blockstore, which stores every block it fetches from a
 * peer) telling `onFetched` of each block it yields that was not in `store`
 * before the read (its CID and size, bytes): a block the relay now holds
 * on disk though no kept site pins it (a caching relay counts them for its
 * site cache's garbage collection, `SiteCache.addVisitorBlocks`). A `get`
 * read `forKeeping` is passed on untold: the cache pins its blocks.
 */
export function onFetched (network: GatewayBlockstore, store: Pick<Blockstore, 'has'>, fetched: (cid: CID, bytes: number) => void): GatewayBlockstore {
  return {
    has: async (cid, options) => network.has(cid, options),
    async * get (cid, options) {
      if (isForKeeping(options)) {
        yield * network.get(cid, options)
        return
      }
      const fetchedHere = !(await store.has(cid, options))
      let bytes = 0
      for await (const chunk of network.get(cid, options)) {
        bytes += chunk.byteLength
        yield chunk
      }
      if (fetchedHere) {
        fetched(cid, bytes)
      }
    }
  }
}

/** A progress event of a fetch (`@helia/bitswap`'s `bitswap:block` names the peer that sent the block). */
interface FetchProgress { type: string, detail: unknown }

/** One fetch that several `get`s wait for. */
interface SharedFetch {
  bytes: Promise<Uint8Array>
  /** The `get`s still waiting, each by a listener of its own that passes events on to its `onProgress`. */
  waiting: Set<(event: FetchProgress) => void>
  /** Every `bitswap:block` event so far, replayed to a `get` that joins later. */
  events: FetchProgress[]
  controller: AbortController
  /** The share of the fetch slots the `get` that started it drew on (`shareOf`). */
  share?: string
  /** Set while no `get` waits: ends the fetch unless one joins first. */
  orphanTimer?: ReturnType<typeof setTimeout>
}

/**
 * `network` whose `get`s of one block at the same time share one fetch: a
 * `get` that comes while the block is being fetched waits for that fetch
 * instead of asking the network itself. Two requests fetching the same
 * block a few ms apart (a site fetched whole ahead of its visitor, and that
 * visitor's own CARs) otherwise raced inside Helia: the second asked after
 * the block had arrived but before it was stored, so its want went out
 * again, and a peer that sent the block within its do-not-resend window
 * (`@helia/bitswap`, 5 s) ignored it: the request stalled until the visitor's
 * worker gave up on the relay (8 s). The shared fetch runs until every `get`
 * waiting for it has aborted, and then `orphanGraceMs` more unless a `get`
 * joins it meanwhile: a visitor's worker that gave up on a CAR because the
 * host paused asks for the missing blocks again at once, and a want
 * cancelled and made again within bitswap's do-not-resend window was
 * ignored by the host, so the block that arrived moments later for the
 * cancelled want was dropped and the retry failed too (a host tab busy for
 * seconds at a time, 2026-12-02). A fetch left last by a `get` read
 * `forKeeping` ends at once instead: the cache's walk leaves only
 * when no block came for `FETCH_STALL_MS` (10 s), as when the host ignored
 * its want (it had sent that block within its do-not-resend window, and the
 * relay had collected it since: a site rolled back to the version it
 * replaced seconds before), and the walk's next try must want the block
 * anew for the host to answer; joining the old fetch, every try waited on
 * the ignored want (`e2e/versions.spec.ts`, 2026-12-03). Each `get` hears
 * the fetch's `bitswap:block` events through its own `onProgress` (the
 * relay counts served bytes by peer). A fetch takes the fetch slot of the
 * `get` that started it (`boundedFetches`); when the relay ends it to give
 * that slot to a client holding fewer (`NetworkFetchesBusyError`), the
 * `get`s of other clients that joined it start it again on their own
 * share (at most `MAX_SHARED_FETCH_TRIES` fetches per `get`): only the
 * requests of the client that held too many fail. Wrap a bounded store (`boundedFetches`): a fetch
 * keeps its slot for its grace too, so the bound still holds.
 */
export function sharedFetches (network: GatewayBlockstore, orphanGraceMs: number = ORPHANED_FETCH_GRACE_MS): GatewayBlockstore {
  const running = new Map<string, SharedFetch>()
  const start = (cid: CID, key: string, options: AbortOptions | undefined): SharedFetch => {
    const controller = new AbortController()
    const fetch: SharedFetch = { bytes: Promise.resolve(new Uint8Array()), waiting: new Set(), events: [], controller, share: shareOf(options) }
    const onProgress = (event: FetchProgress): void => {
      if (event.type === 'bitswap:block') {
        fetch.events.push(event)
        for (const listener of fetch.waiting) listener(event)
      }
    }
    fetch.bytes = blockBytes(network.get(cid, { ...options, signal: controller.signal, onProgress } as AbortOptions))
      .finally(() => {
        if (running.get(key) === fetch) running.delete(key)
      })
    // a fetch every waiter left is not awaited by anyone
    fetch.bytes.catch(() => {})
    running.set(key, fetch)
    return fetch
  }
  // wait for the running fetch of `cid`, or one started now, until it brings the block or the get's signal aborts
  const join = (cid: CID, key: string, options: AbortOptions | undefined): { fetch: SharedFetch, bytes: Promise<Uint8Array> } => {
    const current = running.get(key)
    // one every waiter left is ending: a new fetch
    const fetch = current == null || current.controller.signal.aborted ? start(cid, key, options) : current
    clearTimeout(fetch.orphanTimer)
    fetch.orphanTimer = undefined
    const callerProgress = (options as { onProgress?: (event: FetchProgress) => void } | undefined)?.onProgress
    // one entry per get, even for two gets given the same onProgress
    const listener = (event: FetchProgress): void => { callerProgress?.(event) }
    fetch.waiting.add(listener)
    for (const event of fetch.events) callerProgress?.(event)
    const leave = (): void => {
      fetch.waiting.delete(listener)
      if (fetch.waiting.size === 0) {
        const reason: unknown = options?.signal?.reason
        clearTimeout(fetch.orphanTimer)
        if (isForKeeping(options)) {
          // the cache's walk left because no block came: its next walk must make a want of its own
          fetch.controller.abort(reason)
          return
        }
        fetch.orphanTimer = setTimeout(() => { fetch.controller.abort(reason) }, orphanGraceMs)
        fetch.orphanTimer.unref?.()
      }
    }
    options?.signal?.addEventListener('abort', leave, { once: true })
    const bytes = raceSignal(fetch.bytes, options?.signal).finally(() => {
      options?.signal?.removeEventListener('abort', leave)
      fetch.waiting.delete(listener)
    })
    return { fetch, bytes }
  }
  return {
    has: async (cid, options) => network.has(cid, options),
    async * get (cid, options) {
      options?.signal?.throwIfAborted()
      const key = cid.toString()
      for (let tries = 1; ; tries++) {
        const { fetch, bytes } = join(cid, key, options)
        let block: Uint8Array
        try {
          block = await bytes
        } catch (err) {
          // the fetch drew on another client's share, and the relay gave its slot to a client holding fewer:
          // this get has a share of its own to try with
          if (err instanceof NetworkFetchesBusyError && fetch.share !== shareOf(options) && tries < MAX_SHARED_FETCH_TRIES) {
            continue
          }
          throw err
        }
        yield block
        return
      }
    }
  }
}

export interface BoundedBlockstoreInit {
  /** Longest wait for one block (ms). */
  timeoutMs: number
  /** Aborts when the client went away: its abort is passed on as is, never as a 504. */
  clientSignal: AbortSignal
  /**
   * Streaming mode: a failed `get` calls this (which must abort the export's
   * signal) and then settles only when the call's own `signal` aborts,
   * instead of rejecting at once. `@helia/utils`' graph walker (used by
   * `@helia/car`'s exporters) turns a block fetch that rejects while the walk
   * is still running into an unhandled promise rejection (its queue's
   * `.catch` calls `gen.throw()` and drops the result), which ends a Node
   * process; a fetch that fails only once the walk has been aborted is ignored.
   */
  onFailure?: (err: Error) => void
}

/**
 * A blockstore whose `get` (local read, or a bitswap fetch through Helia)
 * takes at most `timeoutMs` per block. Identity CIDs are answered from the
 * CID itself. Shaped like the `Blockstore` `ipfs-unixfs-exporter` and
 * `@helia/car` read from (`get` yields the block's bytes).
 */
export class BoundedBlockstore {
  private readonly store: GatewayBlockstore
  private readonly timeoutMs: number
  private readonly clientSignal: AbortSignal
  private readonly onFailure?: (err: Error) => void

  constructor (store: GatewayBlockstore, init: BoundedBlockstoreInit) {
    this.store = store
    this.timeoutMs = init.timeoutMs
    this.clientSignal = init.clientSignal
    this.onFailure = init.onFailure
  }

  /**
   * Yields the block's bytes once.
   *
   * @throws {BlockUnavailableError} when it is not had within the bound (in streaming mode only once `options.signal` aborts)
   */
  async * get (cid: CID, options: AbortOptions = {}): AsyncGenerator<Uint8Array> {
    const { onFailure } = this
    if (onFailure == null) {
      yield await this.getBlock(cid, options)
      return
    }
    let bytes: Uint8Array
    try {
      bytes = await this.getBlock(cid, options)
    } catch (err) {
      onFailure(err as Error)
      const { signal } = options
      if (signal != null && !signal.aborted) {
        await new Promise(resolve => { signal.addEventListener('abort', resolve, { once: true }) })
      }
      throw err
    }
    yield bytes
  }

  /**
   * The block's bytes.
   *
   * A block whose stored copy fails its hash check (`BlockHashMismatchError`
   * from the relay's `CheckedBlockstore`, which deleted it) is read once more,
   * which makes Helia fetch it from peers.
   *
   * @throws {BlockUnavailableError} when the block is not had within `timeoutMs`, `options.signal` aborts, or the fetch fails
   * @throws the client signal's reason when the client went away
   */
  async getBlock (cid: CID, options: AbortOptions = {}): Promise<Uint8Array> {
    if (cid.multihash.code === identity.code) {
      return cid.multihash.digest
    }
    const bound = timeBound(this.timeoutMs, this.clientSignal, options.signal)
    try {
      return await readRefetchingCorrupt(this.store, cid, { ...options, signal: bound.signal })
    } catch (err) {
      this.clientSignal.throwIfAborted()
      throw new BlockUnavailableError(cid, { cause: err })
    } finally {
      bound.clear()
    }
  }

  /** Whether the relay's own store holds the block (no network). */
  async has (cid: CID, options?: AbortOptions): Promise<boolean> {
    if (cid.multihash.code === identity.code) {
      return true
    }
    return this.store.has(cid, options)
  }
}
