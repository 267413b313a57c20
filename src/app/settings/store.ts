import { openDB } from 'idb'
import { MAX_SLEEP_MINUTES, MIN_SLEEP_MINUTES, SETTINGS_DB } from './constants.js'
import { InvalidSleepMinutesError } from './errors.js'
import { parseRelayAddress, relayAddressText } from './relay-address.js'
import type { DBSchema, IDBPDatabase } from 'idb'

/** The user's settings, as stored. */
export interface Settings {
  /** Relays the user added (multiaddrs or web addresses), used besides the app origin's, in the order added. */
  relays: string[]
  /** Minutes without visitors before the hosting node sleeps; absent: the relay's or the app's default. */
  sleepMinutes?: number
  /** The owner key last backed up to a file: its key ID and when (ms since epoch). */
  keyBackup?: { keyId: string, at: number }
}

interface SettingsSchema extends DBSchema {
  settings: { key: 'settings', value: Settings }
}

const DB_VERSION = 1

/**
 * The user's settings in IndexedDB ({@link SETTINGS_DB}), one record read
 * and written whole. Changes to relays and the sleep time apply when the app
 * next starts.
 */
export class SettingsStore {
  private constructor (private readonly db: IDBPDatabase<SettingsSchema>) {}

  static async open (): Promise<SettingsStore> {
    const db = await openDB<SettingsSchema>(SETTINGS_DB, DB_VERSION, {
      upgrade (db) {
        db.createObjectStore('settings')
      }
    })
    return new SettingsStore(db)
  }

  async get (): Promise<Settings> {
    return await this.db.get('settings', 'settings') ?? { relays: [] }
  }

  /**
   * Add a relay (kept once, in its normalised text form).
   *
   * @throws {InvalidRelayAddressError} when `text` is not a relay multiaddr or an http(s) URL
   */
  async addRelay (text: string): Promise<Settings> {
    const address = relayAddressText(parseRelayAddress(text))
    return this.update(settings => ({ ...settings, relays: settings.relays.includes(address) ? settings.relays : [...settings.relays, address] }))
  }

  async removeRelay (address: string): Promise<Settings> {
    return this.update(settings => ({ ...settings, relays: settings.relays.filter(relay => relay !== address) }))
  }

  /**
   * Set the sleep time.
   *
   * @param minutes - whole minutes from `MIN_SLEEP_MINUTES` to `MAX_SLEEP_MINUTES`
   * @throws {InvalidSleepMinutesError} for anything else
   */
  async setSleepMinutes (minutes: number): Promise<Settings> {
    if (!Number.isInteger(minutes) || minutes < MIN_SLEEP_MINUTES || minutes > MAX_SLEEP_MINUTES) {
      throw new InvalidSleepMinutesError(minutes, MIN_SLEEP_MINUTES, MAX_SLEEP_MINUTES)
    }
    return this.update(settings => ({ ...settings, sleepMinutes: minutes }))
  }

  /** Remember that the owner key `keyId` was backed up now. */
  async recordKeyBackup (keyId: string, at = Date.now()): Promise<Settings> {
    return this.update(settings => ({ ...settings, keyBackup: { keyId, at } }))
  }

  private async update (change: (settings: Settings) => Settings): Promise<Settings> {
    const tx = this.db.transaction('settings', 'readwrite')
    const next = change(await tx.store.get('settings') ?? { relays: [] })
    await tx.store.put(next, 'settings')
    await tx.done
    return next
  }
}
