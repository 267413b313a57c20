import { logger } from '../log.js'
import { raceSignal } from 'race-signal'
import { siteSize, WHOLE_SITE_MAX_BYTES } from '../../src/content/index.js'
import { blockBytes } from '../../src/trustless/index.js'
import { Arrivals } from './arrivals.js'
import type { RelayGateways } from './gateways.js'
import type { AbortOptions } from '@libp2p/interface'
import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

const log = logger('wia:sw:site-prefetch')

export interface SitePrefetchComponents {
  /** Where the blocks go (the worker's local blocks). */
  local: Blockstore
  gateways: RelayGateways
}

export interface SitePrefetchInit {
  /**
   * Largest site fetched whole (bytes, the root directory's size with its links' `Tsize`s).
   *
   * @default WHOLE_SITE_MAX_BYTES
   */
  maxBytes?: number
}

/** One whole-site stream: its root and the `get`s waiting for its blocks. */
interface Running {
  root: string
  arrivals: Arrivals
}

/**
 * The whole of a small site in one CAR (`dag-scope=all` on its root), once
 * per worker and root: a cold visit's first page starts it once it is served,
 * and the requests for its subresources wait for their blocks to arrive in
 * that stream ({@link SitePrefetch.arrives}) instead of each asking the relay
 * for a CAR of its own. Every block is checked against its CID as it arrives
 * (`RelayGateways.car`); what the stream does not bring (it broke, the site
 * is larger than its root said) the requests fetch themselves.
 */
export class SitePrefetch {
  private readonly local: Blockstore
  private readonly gateways: RelayGateways
  private readonly maxBytes: number
  private running?: Running
  /** Roots fetched whole already (or found too large): not asked for again by this worker. */
  private readonly done = new Set<string>()
  /** Roots whose whole-site stream ran to its end: their blocks are kept locally. */
  private readonly streamed = new Set<string>()

  constructor (components: SitePrefetchComponents, init: SitePrefetchInit = {}) {
    this.local = components.local
    this.gateways = components.gateways
    this.maxBytes = init.maxBytes ?? WHOLE_SITE_MAX_BYTES
  }

  /**
   * Start fetching the whole site under `root` unless this worker did so
   * already or one runs: only when its root block is kept locally and says
   * the site holds at most `maxBytes`. Never throws: a failed stream is
   * logged and its waiting requests fetch on their own.
   */
  start (root: CID, options: AbortOptions = {}): void {
    const key = root.toString()
    if (this.running != null || this.done.has(key)) {
      return
    }
    this.done.add(key)
    const running: Running = { root: key, arrivals: new Arrivals(this.local) }
    this.running = running
    void this.fetchWhole(root, running, options).finally(() => {
      this.running = undefined
      running.arrivals.settleAll()
    })
  }

  /**
   * Wait for the running whole-site stream of `root` to bring `cid`: true
   * once it is kept locally, false when the stream ended without it;
   * `undefined` when no stream of `root` runs.
   */
  arrives (root: CID, cid: CID, options?: AbortOptions): Promise<boolean> | undefined {
    const running = this.running
    if (running?.root !== root.toString()) {
      return undefined
    }
    return raceSignal(running.arrivals.wait(cid, options), options?.signal)
  }

  /**
   * Whether a whole-site stream of `root` ran to its end in this worker: a
   * request whose first look for a block began before the stream brought
   * it (a slow IndexedDB read straddling the whole stream) and ended after,
   * finds it locally now.
   */
  streamedWhole (root: CID): boolean {
    return this.streamed.has(root.toString())
  }

  private async fetchWhole (root: CID, running: Running, options: AbortOptions): Promise<void> {
    const size = await this.siteSize(root, options)
    if (size == null || size > this.maxBytes) {
      log('not fetching %c whole: %s bytes', root, size ?? 'unknown')
      return
    }
    let bytes = 0
    let blocks = 0
    try {
      for await (const block of this.gateways.car(root, '', { ...options, dagScope: 'all' })) {
        await this.local.put(block.cid, block.bytes, options)
        blocks++
        running.arrivals.settle(block.cid, true)
        bytes += block.bytes.byteLength
        if (bytes > this.maxBytes) {
          // its root understated the site: the rest is fetched per request
          log('%c holds more than %d bytes: stopped after %d blocks', root, this.maxBytes, blocks)
          return
        }
      }
      this.streamed.add(root.toString())
      log('fetched %c whole: %d blocks, %d bytes', root, blocks, bytes)
    } catch (err) {
      log('fetching %c whole stopped after %d blocks - %e', root, blocks, err)
    }
  }

  /**
   * The site's size from its root directory block, kept locally (the first
   * page's CAR brought it): see `siteSize`. `undefined` when the root is not
   * kept, not a directory, or a link has no size.
   */
  private async siteSize (root: CID, options: AbortOptions): Promise<number | undefined> {
    if (!await this.local.has(root, options)) {
      return undefined
    }
    return siteSize(root, await blockBytes(this.local.get(root, options)))
  }
}
