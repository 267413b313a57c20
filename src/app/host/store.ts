import { openDB } from 'idb'
import type { DBSchema, IDBPDatabase } from 'idb'

/** One version of a site kept on this device: its blocks are stored and pinned here. */
export interface SiteVersion {
  /** Root CID of the version (string form). */
  root: string
  /** When it was published from this device (ms since epoch). */
  publishedAt: number
  /** Number of files. */
  files: number
  /** Total file bytes. */
  bytes: number
  /**
   * Sequence number of the name record that published this version (the app
   * calls it version `seq + 1`); a rollback to it keeps this number. Absent for
   * versions kept before it was stored.
   */
  seq?: number
}

/** A site this device hosts, as kept in IndexedDB. */
export interface HostedSite {
  /** Full WIA name, e.g. `alice.wia.home`. */
  name: string
  /** Root CID of the current version (string form); `UNPUBLISHED_ROOT` (`bafkqaaa`) once unpublished (see `isUnpublishedSite`). */
  root: string
  /** Sequence number of the current name record. */
  seq: number
  /** The signed name record (DAG-CBOR bytes), re-put on every start. */
  record: Uint8Array
  /** Number of files in the current version. */
  files: number
  /** Total file bytes of the current version. */
  bytes: number
  /** When the current version was published, or the site unpublished (ms since epoch). */
  publishedAt: number
  /**
   * Whether this device holds the site's blocks. `false` for names that came
   * with an imported identity: the name is ours, but the folder must be
   * published again before this device can serve it; `false` too for an
   * unpublished site (no root to announce). Absent means `true`.
   */
  hasContent?: boolean
  /**
   * How many relays hold a copy of the current version (and so keep the site
   * up while this device is off). Absent while they are being asked.
   */
  relayCopies?: number
  /**
   * The versions this device keeps, newest first, the current one among them
   * (at most `MAX_KEPT_VERSIONS`). Absent for sites published before versions
   * were kept: then only the current version, when `hasContent` is not `false`.
   */
  versions?: SiteVersion[]
}

/**
 * A name this device released (`releaseName`): it no longer hosts or renews
 * it, and the name becomes free for anyone at `freeAt`.
 */
export interface ReleasedName {
  /** Full WIA name, e.g. `alice.wia.home`. */
  name: string
  /** When it was released (ms since epoch). */
  releasedAt: number
  /** When its last record expires (the record's `exp`, ms since epoch): until then this device can publish under it again at no cost. */
  expires: number
  /** When anyone may register it: `expires` plus the grace period (`EXPIRY_GRACE_MS`, ms since epoch). */
  freeAt: number
}

interface WiaSchema extends DBSchema {
  keys: { key: string, value: Uint8Array }
  sites: { key: string, value: HostedSite }
  /** Transfers of names to this device's key, accepted and not yet used: name → token. */
  transfers: { key: string, value: string }
  /** Names this device released, until they are free (see {@link ReleasedName}). */
  released: { key: string, value: ReleasedName }
}

/** Name of the app's IndexedDB database (blocks live in their own, `BLOCKSTORE_DB`). */
export const APP_DB_NAME = 'wia-home'
const APP_DB_VERSION = 3

/**
 * The app's own small records in IndexedDB: the owner's private key(s)
 * (libp2p protobuf encoding), the list of hosted sites and the transfers of
 * names to this device's key, and the names it released.
 */
export class AppStore {
  private constructor (private readonly db: IDBPDatabase<WiaSchema>) {}

  static async open (): Promise<AppStore> {
    const db = await openDB<WiaSchema>(APP_DB_NAME, APP_DB_VERSION, {
      upgrade (db, oldVersion) {
        if (oldVersion < 1) {
          db.createObjectStore('keys')
          db.createObjectStore('sites', { keyPath: 'name' })
        }
        if (oldVersion < 2) {
          db.createObjectStore('transfers')
        }
        if (oldVersion < 3) {
          db.createObjectStore('released', { keyPath: 'name' })
        }
      }
    })
    return new AppStore(db)
  }

  async getKey (id: string): Promise<Uint8Array | undefined> {
    return this.db.get('keys', id)
  }

  async putKey (id: string, bytes: Uint8Array): Promise<void> {
    await this.db.put('keys', bytes, id)
  }

  async listSites (): Promise<HostedSite[]> {
    return this.db.getAll('sites')
  }

  async getSite (name: string): Promise<HostedSite | undefined> {
    return this.db.get('sites', name)
  }

  async putSite (site: HostedSite): Promise<void> {
    await this.db.put('sites', site)
  }

  async deleteSite (name: string): Promise<void> {
    await this.db.delete('sites', name)
  }

  async getReleased (name: string): Promise<ReleasedName | undefined> {
    return this.db.get('released', name)
  }

  /** Forget that `name` was released (it is published from this device again). */
  async deleteReleased (name: string): Promise<void> {
    await this.db.delete('released', name)
  }

  /** Stop hosting a site and remember its name as released, in one transaction (`releaseName`). */
  async releaseSite (released: ReleasedName): Promise<void> {
    const tx = this.db.transaction(['sites', 'released'], 'readwrite')
    await Promise.all([
      tx.objectStore('sites').delete(released.name),
      tx.objectStore('released').put(released),
      tx.done
    ])
  }

  async getTransfer (name: string): Promise<string | undefined> {
    return this.db.get('transfers', name)
  }

  async putTransfer (name: string, token: string): Promise<void> {
    await this.db.put('transfers', token, name)
  }

  async deleteTransfer (name: string): Promise<void> {
    await this.db.delete('transfers', name)
  }

  /** Replace the owner key and the sites in one transaction (identity import); names the earlier key released are forgotten. */
  async replaceIdentity (keyId: string, key: Uint8Array, sites: HostedSite[]): Promise<void> {
    const tx = this.db.transaction(['keys', 'sites', 'released'], 'readwrite')
    await Promise.all([
      tx.objectStore('keys').put(key, keyId),
      tx.objectStore('sites').clear(),
      tx.objectStore('released').clear(),
      ...sites.map(async site => tx.objectStore('sites').put(site)),
      tx.done
    ])
  }

  close (): void {
    this.db.close()
  }
}

/** What the host's commands use of the {@link AppStore} (an in-memory one in tests). */
export type HostStore = Pick<AppStore, 'listSites' | 'getSite' | 'putSite' | 'deleteSite' | 'getReleased' | 'deleteReleased' | 'releaseSite' | 'getTransfer' | 'putTransfer' | 'deleteTransfer' | 'replaceIdentity'>
