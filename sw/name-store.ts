import { openDB } from 'idb'
import type { DBSchema, IDBPDatabase } from 'idb'

/** A verified name record kept between worker restarts. */
export interface CachedRecord {
  /** The record's DAG-CBOR bytes (verified again when read). */
  bytes: Uint8Array
  /** When it was fetched from the DHT (ms since epoch). */
  fetchedAt: number
}

/** What the resolver keeps per name: the pinned owner key and the last record. */
export interface NameStore {
  getPin(name: string): Promise<Uint8Array | undefined>
  setPin(name: string, owner: Uint8Array): Promise<void>
  getRecord(name: string): Promise<CachedRecord | undefined>
  putRecord(name: string, record: CachedRecord): Promise<void>
}

interface SwSchema extends DBSchema {
  pins: { key: string, value: Uint8Array }
  records: { key: string, value: CachedRecord }
}

const DB_NAME = 'wia-sw-names'
const DB_VERSION = 1

/**
 * The site worker's {@link NameStore} in its origin's IndexedDB: survives the
 * worker being stopped when idle, so a repeat visit needs no DHT query within
 * the TTL, and the owner key seen on the first visit stays pinned.
 */
export class IdbNameStore implements NameStore {
  private db?: Promise<IDBPDatabase<SwSchema>>

  private async open (): Promise<IDBPDatabase<SwSchema>> {
    this.db ??= openDB<SwSchema>(DB_NAME, DB_VERSION, {
      upgrade (db) {
        db.createObjectStore('pins')
        db.createObjectStore('records')
      }
    })
    return this.db
  }

  async getPin (name: string): Promise<Uint8Array | undefined> {
    return (await this.open()).get('pins', name)
  }

  async setPin (name: string, owner: Uint8Array): Promise<void> {
    await (await this.open()).put('pins', owner, name)
  }

  async getRecord (name: string): Promise<CachedRecord | undefined> {
    return (await this.open()).get('records', name)
  }

  async putRecord (name: string, record: CachedRecord): Promise<void> {
    await (await this.open()).put('records', record, name)
  }
}
