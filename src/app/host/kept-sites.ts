import { logger } from '@libp2p/logger'
import drain from 'it-drain'
import { addPin, releaseOrphanedPins, SiteCache } from '../../cache/index.js'
import { parseName, resolveNameRecord, siteRoot } from '../../naming/index.js'
import { waitForDHTPeer } from '../../node/index.js'
import { withTimeout } from '../../signals/index.js'
import { KEEP_ONLINE_TIMEOUT_MS, KEPT_SITES_DEFAULT_BYTES, KEPT_SITES_QUOTA_SHARE } from './constants.js'
import { AlreadyHostedError } from './errors.js'
import type { CachedSite } from '../../cache/index.js'
import type { HostedPins } from './components.js'
import type { BrowserServices } from '../../node/browser.js'
import type { HeliaWithLibp2p } from '@helia/libp2p'
import type { CID } from 'multiformats/cid'

const log = logger('wia:app:kept')

/** Pin metadata marking a site this device hosts (never evicted by the kept-sites cache). */
const HOSTED_PIN = { wia: 'hosted' }

export interface KeptSitesInit {
  helia: HeliaWithLibp2p<BrowserServices>
  minPowBits: number
  /** Names this device hosts itself. */
  hostedNames(): Promise<string[]>
}

/**
 * "Keep this site online": the app tab keeps whole copies of other people's
 * sites (like seeding), announces itself as their provider and serves them
 * to visitors while it is open. Built on the shared {@link SiteCache}, in the
 * same blockstore as this device's own sites, so those are pinned too
 * ({@link pinHosted}): the cache's garbage collection must never touch them.
 */
export class KeptSites implements HostedPins {
  private readonly cache: SiteCache
  private ready: Promise<void> = Promise.resolve()
  /** Imports under way (see {@link importing}): their blocks are unpinned until they return. */
  private imports = 0
  /** Something was unpinned or an import failed: collect garbage once no import is under way. */
  private collectPending = false

  constructor (private readonly init: KeptSitesInit, maxBytes: number) {
    const { helia } = init
    // the cache's collections run as ours do: never while an import's blocks are unpinned
    const gc = async (): Promise<void> => {
      this.collectPending = true
      this.collectIfPending()
    }
    this.cache = new SiteCache({ helia: { pins: helia.pins, blockstore: helia.blockstore, datastore: helia.datastore, routing: helia.routing, getCodec: helia.getCodec, gc } }, { maxBytes })
  }

  /**
   * Pin a root this device now hosts, in the background: publishing does not
   * wait for the pin's walk over every block, while every operation of this
   * class that may collect garbage waits for it first.
   */
  protect (root: CID): void {
    this.ready = this.ready
      .then(async () => { await pinHosted(this.init.helia, root) })
      .catch(err => { log.error('could not pin hosted root %c - %e', root, err) })
  }

  /**
   * Unpin a root this device no longer hosts (a version it keeps no more), in
   * the background after the pins before it: its blocks go at the next
   * garbage collection, except those another pinned root shares.
   */
  release (root: CID): void {
    this.ready = this.ready
      .then(async () => { await drain(this.init.helia.pins.rm(root)) })
      .catch(err => { log('could not unpin %c - %e', root, err) })
    this.collectPending = true
    this.collectIfPending()
  }

  /**
   * Run an import once the pins and collections queued before it are done;
   * no collection starts while it runs. Its root is protected before any
   * later collection; a failed import's blocks are collected.
   */
  async importing<T extends { root: CID }> (importer: () => Promise<T>): Promise<T> {
    await this.ready
    this.imports++
    try {
      const imported = await importer()
      this.protect(imported.root)
      return imported
    } catch (err) {
      this.collectPending = true
      throw err
    } finally {
      this.imports--
      this.collectIfPending()
    }
  }

  /** Queue a garbage collection when one is due and no import is under way. */
  private collectIfPending (): void {
    if (!this.collectPending || this.imports > 0) {
      return
    }
    this.collectPending = false
    this.ready = this.ready
      .then(async () => { await this.init.helia.gc() })
      .catch(err => { log.error('could not collect garbage - %e', err) })
  }

  /** The bound for this origin: a share of its quota. */
  static async maxBytes (): Promise<number> {
    const quota = (await navigator.storage?.estimate?.())?.quota
    return quota == null ? KEPT_SITES_DEFAULT_BYTES : Math.floor(quota * KEPT_SITES_QUOTA_SHARE)
  }

  /**
   * Pin this device's hosted roots (sites published before kept sites
   * existed have no pin), unpin hosted roots no site keeps any more and
   * delete every unpinned block: what a tab closed or crashed in the middle
   * of a publish left (an import's blocks, a version pinned but never
   * stored, a pin cut short: `releaseOrphanedPins`). Then announce every kept site again. Imports wait for this.
   */
  start (hostedRoots: CID[]): void {
    this.ready = this.ready.then(async () => {
      const { helia } = this.init
      for (const root of hostedRoots) {
        await pinHosted(helia, root)
      }
      const kept = new Set(hostedRoots.map(root => root.toString()))
      // listed first: unpinning while a listing's cursor is open would end its transaction
      const unkept: CID[] = []
      for await (const pin of helia.pins.ls()) {
        if (pin.metadata.wia === HOSTED_PIN.wia && !kept.has(pin.cid.toString())) {
          unkept.push(pin.cid)
        }
      }
      for (const root of unkept) {
        log('unpinning %c: no hosted site keeps it', root)
        await drain(helia.pins.rm(root))
      }
      // a tab closed while pinning left blocks held by a pin that never was (no import runs yet)
      await releaseOrphanedPins(helia)
      await helia.gc()
      const count = await this.cache.start()
      log('keeping %d sites online', count)
    }).catch(err => { log.error('could not start keeping sites online - %e', err) })
  }

  /**
   * Fetch `name`'s current version whole, keep it and serve it while the app is open.
   *
   * @throws {InvalidNameError} for a name that breaks the name rules
   * @throws {AlreadyHostedError} for a site this device hosts
   * @throws {NameNotFoundError} when no site is registered under the name
   * @throws {SiteUnpublishedError} when its owner unpublished it
   * @throws {SiteTooLargeError} when the site does not fit the share of storage kept sites may use
   */
  async keep (name: string, options: { signal?: AbortSignal } = {}): Promise<CachedSite> {
    parseName(name)
    if ((await this.init.hostedNames()).includes(name)) {
      throw new AlreadyHostedError(name)
    }
    await this.ready
    const signal = withTimeout(options.signal, KEEP_ONLINE_TIMEOUT_MS)
    await waitForDHTPeer(this.init.helia.libp2p.services.dht, { signal })
    const { record } = await resolveNameRecord(this.init.helia.libp2p.services.dht, name, { signal, minPowBits: this.init.minPowBits })
    // its blocks are unpinned until the cache pins them: no collection of ours meanwhile
    this.imports++
    try {
      await this.cache.keep(name, siteRoot(record), { signal, demand: Number.MAX_SAFE_INTEGER })
    } finally {
      this.imports--
      this.collectIfPending()
    }
    const kept = await this.cache.get(name)
    if (kept == null) {
      throw new Error(`${name} could not be kept`)
    }
    return kept
  }

  async list (): Promise<CachedSite[]> {
    return (await this.cache.list()).sort((a, b) => a.name.localeCompare(b.name))
  }

  /** Stop keeping `name` and delete its blocks. */
  async drop (name: string): Promise<void> {
    await this.ready
    await this.cache.drop(name)
  }
}

/** Pin a root this device hosts, so kept-sites garbage collection never deletes its blocks. */
export async function pinHosted (helia: HeliaWithLibp2p<BrowserServices>, root: CID): Promise<void> {
  try {
    await addPin(helia, root, { metadata: HOSTED_PIN })
  } catch (err) {
    if ((err as Error).name !== 'AlreadyPinnedError') {
      throw err
    }
  }
}
