import { unixfs } from '@helia/unixfs'
import { logger } from '@libp2p/logger'
import { IDBBlockstore } from 'blockstore-idb'
import { IDBDatastore } from 'datastore-idb'
import { CID } from 'multiformats/cid'
import { importSite } from '../content/index.js'
import { createNameRecord, decodeNameRecord, encodeNameRecord, formatName, putNameRecord } from '../naming/index.js'
import { browserLibp2pOptions } from '../node/browser.js'
import { createWiaHelia, waitForReservation } from '../node/index.js'
import { loadOrCreateOwnerKey } from './owner-key.js'
import { AppStore } from './store.js'
import type { ImportProgress, SiteFile } from '../content/index.js'
import type { Tld } from '../naming/index.js'
import type { BrowserServices } from '../node/browser.js'
import type { ClientConfig } from '../node/index.js'
import type { HostedSite } from './store.js'
import type { HeliaWithLibp2p } from '@helia/libp2p'
import type { UnixFS } from '@helia/unixfs'
import type { PrivateKey } from '@libp2p/interface'

const log = logger('wia:app:host')

/** IndexedDB database holding the site blocks. */
export const BLOCKSTORE_DB = 'wia-blocks'
/** IndexedDB database holding the node's own state (its libp2p key, peer store). */
export const DATASTORE_DB = 'wia-datastore'
/** How long the node waits for a circuit relay reservation before publishing (ms). */
export const RESERVATION_TIMEOUT_MS = 15_000
/** How long a provide (announce) of a site root may take (ms). */
export const PROVIDE_TIMEOUT_MS = 15_000

export interface PublishInit {
  label: string
  tld: Tld
  files: SiteFile[]
  signal?: AbortSignal
  onProgress?(progress: PublishProgress): void
}

export type PublishProgress =
  | { phase: 'import', progress: ImportProgress }
  | { phase: 'sign' }
  | { phase: 'announce' }

/** The hosting tab's node: site blocks in IndexedDB, reachable through the relays. */
export class HostNode {
  private constructor (
    readonly helia: HeliaWithLibp2p<BrowserServices>,
    private readonly fs: UnixFS,
    private readonly store: AppStore,
    private readonly ownerKey: PrivateKey
  ) {}

  /**
   * Open the stores, start the node, take relay reservations and announce every
   * site hosted earlier (re-putting its stored record) without re-importing it.
   */
  static async start (config: ClientConfig): Promise<HostNode> {
    const blockstore = new IDBBlockstore(BLOCKSTORE_DB)
    await blockstore.open()
    const datastore = new IDBDatastore(DATASTORE_DB)
    await datastore.open()
    const store = await AppStore.open()
    const helia = await createWiaHelia({
      blockstore,
      datastore,
      libp2p: browserLibp2pOptions({ relays: config.relays, allowLocal: config.allowLocal, reachable: true })
    })
    const node = new HostNode(helia, unixfs(helia), store, await loadOrCreateOwnerKey(store))
    void node.reannounce()
    return node
  }

  async sites (): Promise<HostedSite[]> {
    return this.store.listSites()
  }

  /**
   * Import a folder and publish it under `<label>.wia.<tld>`.
   *
   * @throws {InvalidNameError} for a label that breaks the name rules
   * @throws {EmptySiteError} for a folder without files
   * @throws {PutRejectedError} when no relay stored the name record
   * @throws {NoReservationError} when no relay gave this node a reservation
   */
  async publish (init: PublishInit): Promise<HostedSite> {
    const name = formatName(init.label, init.tld)
    const imported = await importSite(this.fs, init.files, {
      signal: init.signal,
      onProgress: progress => init.onProgress?.({ phase: 'import', progress })
    })

    init.onProgress?.({ phase: 'sign' })
    const previous = await this.store.getSite(name)
    const record = await createNameRecord({
      name,
      root: imported.root,
      seq: previous == null ? 0 : previous.seq + 1,
      privateKey: this.ownerKey
    })

    init.onProgress?.({ phase: 'announce' })
    await waitForReservation(this.helia.libp2p, { signal: init.signal, timeoutMs: RESERVATION_TIMEOUT_MS })
    await putNameRecord(this.helia.libp2p.services.dht, record, { signal: init.signal })
    await this.provide(imported.root, init.signal)

    const site: HostedSite = {
      name,
      root: imported.root.toString(),
      seq: record.seq,
      record: encodeNameRecord(record),
      files: imported.files,
      bytes: imported.bytes,
      publishedAt: Date.now()
    }
    await this.store.putSite(site)
    return site
  }

  async stop (): Promise<void> {
    await this.helia.stop()
    this.store.close()
  }

  /** Re-put the stored record of every hosted site and announce its root. */
  private async reannounce (): Promise<void> {
    try {
      await waitForReservation(this.helia.libp2p, { timeoutMs: RESERVATION_TIMEOUT_MS })
      for (const site of await this.store.listSites()) {
        const record = decodeNameRecord(site.record)
        await putNameRecord(this.helia.libp2p.services.dht, record)
        await this.provide(CID.parse(site.root))
        log('re-announced %s at %s', site.name, site.root)
      }
    } catch (err) {
      log.error('re-announcing hosted sites failed - %e', err)
    }
  }

  private async provide (root: CID, signal?: AbortSignal): Promise<void> {
    const timeout = AbortSignal.timeout(PROVIDE_TIMEOUT_MS)
    await this.helia.routing.provide(root, { signal: signal == null ? timeout : AbortSignal.any([signal, timeout]) })
  }
}
