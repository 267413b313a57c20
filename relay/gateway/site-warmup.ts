import { setMaxListeners } from 'node:events'
import * as dagPb from '@ipld/dag-pb'
import { logger } from '@libp2p/logger'
import { Queue } from '@libp2p/utils'
import { identity } from 'multiformats/hashes/identity'
import { siteSize, WHOLE_SITE_MAX_BYTES } from '../../src/content/index.js'
import { withTimeout } from '../../src/signals/index.js'
import { blockBytes } from '../../src/trustless/index.js'
import { localFirst } from './blockstore.js'
import { underRoot } from './provider-sessions.js'
import { MAX_SITE_WARMUPS, READ_AHEAD_MAX_BLOCKS, SITE_WARMUP_MEMO_MS, SITE_WARMUP_TIMEOUT_MS } from './constants.js'
import type { GatewayBlockstore, ServedFrom } from './blockstore.js'
import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

const log = logger('wia:relay:gateway:warmup')

export interface SiteWarmupComponents {
  /** The relay's own store (kept sites, blocks fetched before). */
  local: Pick<Blockstore, 'get' | 'has'>
  /** Helia's blockstore, bounded and accounted as for visitors: the same store, else bitswap from peers. */
  network: GatewayBlockstore
}

export interface SiteWarmupInit {
  /** Largest site fetched whole (bytes, `siteSize`). @default WHOLE_SITE_MAX_BYTES (2 MiB) */
  maxBytes?: number
  /** Most warm-ups at once. @default MAX_SITE_WARMUPS (4) */
  maxRunning?: number
  /** Longest one warm-up runs (ms). @default SITE_WARMUP_TIMEOUT_MS (10 s) */
  timeoutMs?: number
  /** How long a root is not warmed again, and a block's sender is remembered (ms). @default SITE_WARMUP_MEMO_MS (6 s) */
  memoMs?: number
  /** Blocks fetched at once. @default READ_AHEAD_MAX_BLOCKS (16) */
  concurrency?: number
  /** Clock (ms since the Unix epoch). @default Date.now */
  now?: () => number
}

/**
 * Fetch a small site whole as soon as a browser opens it (the relay sends
 * its bootstrap page) or a visitor's worker asks for its first page, before
 * the worker asks for the rest: the worker asks for a site of at most
 * `WHOLE_SITE_MAX_BYTES` in one CAR (`dag-scope=all`) only once that page is
 * served, and a relay that then began fetching it from the host's tab spent
 * that CAR's whole time on bitswap round trips (one per DAG level). Started
 * here, those round trips overlap the worker's install and its serving of
 * the page, and the CAR reads blocks the relay holds by then.
 *
 * Blocks come through `network` as a visitor's do (the relay's bound on
 * network fetches; a relay without a cache drops them from memory after
 * `FETCHED_BLOCK_LINGER_MS`, a caching one counts them towards its bound).
 * Each warm-up walks the DAG breadth first, `concurrency` blocks at once:
 * a leaf (not dag-pb) the relay already holds is only looked for, not read
 * (a site the relay keeps costs its directory and file nodes, not its
 * bytes), every other block is read or fetched. It stops past `maxBytes`
 * read (a root that understated its site), past
 * `timeoutMs`, or when the relay stops. The peer that sent each block is
 * remembered for `memoMs` ({@link SiteWarmup.storedFrom}), so the visit's
 * bytes still count as the host's when the relay first serves them from its
 * store.
 */
export class SiteWarmup {
  private readonly local: Pick<Blockstore, 'has'>
  private readonly store: GatewayBlockstore
  private readonly maxBytes: number
  private readonly maxRunning: number
  private readonly timeoutMs: number
  private readonly memoMs: number
  private readonly concurrency: number
  private readonly now: () => number
  private readonly running = new Set<string>()
  /** Roots warmed lately (or found too large), until when (ms since the epoch). */
  private readonly recent = new Map<string, number>()
  /** Blocks a warm-up had from a peer: CID string → the peer, and until when that is remembered. */
  private readonly senders = new Map<string, { peer: string, until: number }>()
  private readonly stopping = new AbortController()

  constructor (components: SiteWarmupComponents, init: SiteWarmupInit = {}) {
    this.maxBytes = init.maxBytes ?? WHOLE_SITE_MAX_BYTES
    this.maxRunning = init.maxRunning ?? MAX_SITE_WARMUPS
    this.timeoutMs = init.timeoutMs ?? SITE_WARMUP_TIMEOUT_MS
    this.memoMs = init.memoMs ?? SITE_WARMUP_MEMO_MS
    this.concurrency = init.concurrency ?? READ_AHEAD_MAX_BLOCKS
    this.now = init.now ?? Date.now
    this.local = components.local
    this.store = localFirst(components.local, components.network, (source, _bytes, cid) => {
      if (source.from === 'peer') {
        const key = cid.toString()
        // moved to the end with its new time, so forgetBefore's early stop stays right
        this.senders.delete(key)
        this.senders.set(key, { peer: source.peer, until: this.now() + this.memoMs })
      }
    })
  }

  /**
   * Start fetching the site under `root` whole, in the background: unless it
   * is not a dag-pb directory of at most `maxBytes`, was warmed within
   * `memoMs`, or `maxRunning` warm-ups run. Never throws; resolves when this
   * warm-up ends (at once when none starts), for tests and logs.
   */
  async warm (root: CID): Promise<void> {
    const key = root.toString()
    const now = this.now()
    this.forgetBefore(now)
    if (root.code !== dagPb.code || this.running.has(key) || (this.recent.get(key) ?? 0) > now || this.running.size >= this.maxRunning || this.stopping.signal.aborted) {
      return
    }
    this.running.add(key)
    this.recent.set(key, now + this.memoMs)
    try {
      const signal = withTimeout(this.stopping.signal, this.timeoutMs)
      // each of the `concurrency` fetches at once listens to it
      setMaxListeners(Infinity, signal)
      await this.fetchWhole(root, signal)
    } catch (err) {
      log('warming %c stopped - %e', root, err)
    } finally {
      this.running.delete(key)
    }
  }

  /**
   * The peer that sent `cid` to a warm-up within `memoMs`, once: the first
   * read of a warmed block serves the visitor the warm-up fetched it for,
   * with that peer's bytes; later reads are the relay's own store serving
   * (another visitor, or the same block again).
   */
  storedFrom (cid: CID): ServedFrom | undefined {
    const key = cid.toString()
    const sender = this.senders.get(key)
    if (sender == null) {
      return undefined
    }
    this.senders.delete(key)
    return sender.until <= this.now() ? undefined : { from: 'peer', peer: sender.peer }
  }

  /** Stop every warm-up. */
  stop (): void {
    this.stopping.abort()
  }

  private async fetchWhole (root: CID, signal: AbortSignal): Promise<void> {
    // blocks missing here are asked of the root's providers
    const store = underRoot(this.store, root)
    const rootBlock = await blockBytes(store.get(root, { signal }))
    const size = siteSize(root, rootBlock)
    if (size == null || size > this.maxBytes) {
      log('not warming %c: %s bytes', root, size ?? 'unknown')
      return
    }
    let bytes = rootBlock.byteLength
    let blocks = 1
    const queue = new Queue({ concurrency: this.concurrency })
    const seen = new Set([root.toString()])
    const fetch = (cid: CID): void => {
      const key = cid.toString()
      if (seen.has(key) || cid.multihash.code === identity.code || signal.aborted) {
        return
      }
      seen.add(key)
      queue.add(async () => {
        if (cid.code !== dagPb.code && await this.local.has(cid, { signal })) {
          // held already, and no links to follow
          return
        }
        const block = await blockBytes(store.get(cid, { signal }))
        bytes += block.byteLength
        blocks++
        if (bytes > this.maxBytes) {
          // the root understated its site: the visitor's requests fetch the rest
          queue.clear()
          return
        }
        if (cid.code === dagPb.code) {
          for (const link of dagPb.decode(block).Links) fetch(link.Hash)
        }
      }).catch(err => { log('warming %c: block %c not had - %e', root, cid, err) })
    }
    for (const link of dagPb.decode(rootBlock).Links) fetch(link.Hash)
    await queue.onIdle()
    log('warmed %c: %d blocks read or fetched, %d bytes', root, blocks, bytes)
  }

  /**
   * Drop what is no longer remembered: sites that may be warmed again,
   * senders past their time. Both maps are in the order their times were
   * set, so this stops at the first entry still remembered.
   */
  private forgetBefore (now: number): void {
    for (const [key, until] of this.recent) {
      if (until > now) break
      this.recent.delete(key)
    }
    for (const [key, { until }] of this.senders) {
      if (until > now) break
      this.senders.delete(key)
    }
  }
}
