import * as dagCbor from '@ipld/dag-cbor'
import { Key } from 'interface-datastore'
import QuickLRU from 'quick-lru'
import { checkReplacement, decodeNameRecord, decodeNameRecordForKey, registrationOf } from '../src/naming/index.js'
import { ownBytes } from '../src/trustless/index.js'
import type { NameRecord, StoredRegistration } from '../src/naming/index.js'
import type { Datastore } from 'interface-datastore'

/** Datastore prefix of the registry (beside kad-dht's own `/wia-dht/...` records). */
const REGISTRY_PREFIX = '/wia-registry'

/**
 * Names whose registration (or its absence) a {@link NameRegistry} keeps in
 * memory, the least recently read first out. Every plain HTTP answer and
 * raw-block fetch on a site origin looks its name up: a LevelDB read and a
 * DAG-CBOR decode of the registration and of its record each time were
 * about a fifth of the relay's CPU while it served a cached site's 2 kB
 * pages by path (CPU profile, 2026-12-03).
 */
export const REGISTRY_MEMORY_NAMES = 10_000

/** A valid record a registry holds for a name: as received, and decoded. */
export interface CurrentRecord {
  bytes: Uint8Array
  record: NameRecord
}

/** What a registry remembers of a name: its registration (none: not registered here), and its current record once decoded. */
interface Remembered {
  registration?: StoredRegistration
  decoded?: NameRecord
}

/** Event a {@link NameRegistry} dispatches after it stored a new record of a name: a `CustomEvent` whose `detail` is the record. */
export const RECORD_STORED_EVENT = 'record-stored'

export interface NameRegistryInit {
  datastore: Datastore
  /** Least proof-of-work difficulty a new registration must carry (leading zero bits). */
  minPowBits: number
  /** Clock (ms since epoch); tests move it. */
  now?: () => number
}

/**
 * A relay's memory of who registered each name first: the DHT server side of
 * "a name belongs to the first valid registration a DHT server stored"
 * (docs/naming.md). Every record a peer puts is checked against it with
 * `checkReplacement` before kad-dht stores it: a new name needs its proof of
 * work, an update needs the owner's key and a higher sequence number, a key
 * change needs the owner's transfer. Kept in the relay's persistent datastore
 * so a restart does not reopen taken names. Dispatches
 * {@link RECORD_STORED_EVENT} for every record it stored (not for a re-put of
 * the same bytes), so the relay can follow a name that moved or was
 * unpublished.
 */
export class NameRegistry extends EventTarget {
  private readonly datastore: Datastore
  private readonly minPowBits: number
  private readonly now: () => number
  /** Serialises checks per name so two concurrent puts cannot both win. */
  private readonly locks = new Map<string, Promise<unknown>>()
  /** Names read or stored lately (the registry is the only writer of its keys, so memory never goes stale). */
  private readonly memory = new QuickLRU<string, Remembered>({ maxSize: REGISTRY_MEMORY_NAMES })

  constructor (init: NameRegistryInit) {
    super()
    this.datastore = init.datastore
    this.minPowBits = init.minPowBits
    this.now = init.now ?? Date.now
  }

  /**
   * kad-dht validator for the `wia` namespace on a relay: the stateless checks
   * (signature, name, expiry, proof) and then the first-come rule.
   *
   * @throws {NameTakenError} when another key registered the name first
   * @throws {StaleRecordError} for a replayed or older record of the owner
   * @throws the record errors of `validateNameRecord` (`decodeNameRecordForKey`)
   */
  readonly validate = async (key: Uint8Array, received: Uint8Array): Promise<void> => {
    // kept in memory: a view into the message it came in would keep that whole buffer alive
    const value = ownBytes(received)
    // what the DHT's validator checks, keeping the record it decoded
    const record = await decodeNameRecordForKey(key, value, { minPowBits: this.minPowBits, now: this.now() })
    await this.withLock(record.name, async () => {
      const stored = await this.get(record.name)
      const outcome = checkReplacement(stored, record, { now: this.now(), minPowBits: this.minPowBits, incomingBytes: value })
      if (outcome !== 'same') {
        await this.put(record.name, { ...registrationOf(record), bytes: value })
        this.dispatchEvent(new CustomEvent<NameRecord>(RECORD_STORED_EVENT, { detail: record }))
      }
    })
  }

  /** The registration stored for a name, if any (shared with other callers: not to be changed). */
  async get (name: string): Promise<StoredRegistration | undefined> {
    return (await this.remembered(name)).registration
  }

  /**
   * The last record stored for a name while it is valid (its `expires` not
   * passed), as received and decoded (once); `undefined` when none is
   * stored or it expired. What the relay answers by name: a record a peer
   * put here passed `validate` (signature, proof of work, first-come rule).
   */
  async current (name: string): Promise<CurrentRecord | undefined> {
    const entry = await this.remembered(name)
    const { registration } = entry
    if (registration?.bytes == null || registration.expires <= this.now()) {
      return undefined
    }
    entry.decoded ??= decodeNameRecord(registration.bytes)
    return { bytes: registration.bytes, record: entry.decoded }
  }

  /** The memory of a name, read from the datastore when it has none. */
  private async remembered (name: string): Promise<Remembered> {
    const known = this.memory.get(name)
    if (known != null) {
      return known
    }
    const read: Remembered = { registration: await this.read(name) }
    // a put while the read was under way left the newer registration in memory
    const stored = this.memory.get(name)
    if (stored != null) {
      return stored
    }
    this.memory.set(name, read)
    return read
  }

  private async read (name: string): Promise<StoredRegistration | undefined> {
    try {
      return dagCbor.decode<StoredRegistration>(await this.datastore.get(keyOf(name)))
    } catch (err) {
      if ((err as Error).name === 'NotFoundError') {
        return undefined
      }
      throw err
    }
  }

  /** Every registration this relay holds, with its name. */
  async * entries (): AsyncGenerator<{ name: string, registration: StoredRegistration }> {
    for await (const { key, value } of this.datastore.query({ prefix: REGISTRY_PREFIX })) {
      yield { name: key.baseNamespace(), registration: dagCbor.decode<StoredRegistration>(value) }
    }
  }

  private async put (name: string, registration: StoredRegistration): Promise<void> {
    await this.datastore.put(keyOf(name), dagCbor.encode(registration))
    this.memory.set(name, { registration })
  }

  private async withLock<T> (name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(name) ?? Promise.resolve()
    const run = previous.catch(() => {}).then(fn)
    this.locks.set(name, run)
    try {
      return await run
    } finally {
      if (this.locks.get(name) === run) {
        this.locks.delete(name)
      }
    }
  }
}

function keyOf (name: string): Key {
  return new Key(`${REGISTRY_PREFIX}/${name}`)
}
