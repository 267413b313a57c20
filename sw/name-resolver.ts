import { decodeNameRecord, encodeNameRecord, verifyNameRecord } from '../src/naming/index.js'
import { equals } from 'uint8arrays/equals'
import type { CachedRecord, NameStore } from './name-store.js'
import type { NameRecord, ResolvedName } from '../src/naming/index.js'

/** How long a verified name record is used without asking the DHT again (ms). */
export const NAME_TTL_MS = 15_000
/** How long "not registered" is remembered (ms): short, so a new site shows up quickly. */
export const NEGATIVE_TTL_MS = 5_000

/**
 * Errors that mean "the network is out of reach" (no relay, no server), not
 * "the name changed": with one of these, a stored record still within its own
 * validity is used past the TTL, so a visited site opens offline.
 */
const UNREACHABLE_ERRORS = new Set(['NoRelayReachableError', 'ConfigUnavailableError', 'GatewaysUnavailableError'])

export interface NameResolverInit {
  store: NameStore
  /** Ask the network: the relays' HTTP gateways (`resolveNameOverHttp`). */
  lookup(name: string, options: { signal: AbortSignal, pinnedOwner?: Uint8Array, cache?: RequestCache }): Promise<ResolvedName>
  /** Least proof-of-work difficulty, for re-verifying stored records. */
  minPowBits(): Promise<number>
  now?(): number
}

interface Entry {
  expires: number
  result: Promise<NameRecord>
}

/**
 * The site worker's name resolution with a bounded cache: a verified record
 * is reused for {@link NAME_TTL_MS} (never past its own expiry), in memory and
 * in IndexedDB so a repeat navigation within the TTL does not wait on the
 * network even after the worker restarted; "not registered" is remembered for
 * {@link NEGATIVE_TTL_MS}; concurrent lookups share one DHT query. The owner
 * key of the first record seen is pinned (trust on first use) and passed to
 * every later lookup. When the network cannot be reached at all, the stored
 * record is used until its own expiry (offline visits).
 */
export class NameResolver {
  private readonly entries = new Map<string, Entry>()
  private readonly now: () => number

  constructor (private readonly init: NameResolverInit) {
    this.now = init.now ?? Date.now
  }

  /**
   * @throws {NameNotFoundError} when no site is registered under the name
   * @param cache - whether the browser's HTTP cache may answer the lookup
   * (`default`: the worker's install, right after its bootstrap page fetched
   * the record; relays send `max-age` 15 s); default `no-store`
   * @throws {OwnerKeyChangedError} when the name's records are under another key than the pinned one
   */
  async resolve (name: string, signal: AbortSignal, cache?: RequestCache): Promise<NameRecord> {
    const now = this.now()
    const entry = this.entries.get(name)
    if (entry != null && entry.expires > now) {
      return entry.result
    }
    const fresh: Entry = { expires: now + NAME_TTL_MS, result: this.load(name, signal, cache) }
    this.entries.set(name, fresh)
    fresh.result.then(record => {
      fresh.expires = Math.min(fresh.expires, record.expires)
    }, (err: Error) => {
      if (err.name === 'NameNotFoundError') {
        fresh.expires = this.now() + NEGATIVE_TTL_MS
      } else if (this.entries.get(name) === fresh) {
        this.entries.delete(name)
      }
    })
    return fresh.result
  }

  private async load (name: string, signal: AbortSignal, cache?: RequestCache): Promise<NameRecord> {
    const { store } = this.init
    const pin = await store.getPin(name)
    const cached = await this.stored(name, pin)
    if (cached != null && cached.fetchedAt + NAME_TTL_MS > this.now()) {
      return this.verified(name, cached)
    }
    let resolved: ResolvedName
    try {
      resolved = await this.init.lookup(name, { signal, pinnedOwner: pin, ...(cache == null ? {} : { cache }) })
    } catch (err) {
      if (cached != null && UNREACHABLE_ERRORS.has((err as Error).name)) {
        return this.verified(name, cached)
      }
      throw err
    }
    const { record, pinned } = resolved
    if (pinned !== 'match') {
      await store.setPin(name, record.publicKey)
    }
    await store.putRecord(name, { bytes: encodeNameRecord(record), fetchedAt: this.now() })
    return record
  }

  /**
   * The stored record of `name` when it can stand in for a lookup: the
   * origin's IndexedDB is writable by the site's own pages, so a record
   * signed by another key than the pinned one, fetched "in the future" (to
   * stay fresh for ever) or not decodable is ignored, and the relays are
   * asked. Its signature, expiry and proof are checked by {@link verified}.
   */
  private async stored (name: string, pin: Uint8Array | undefined): Promise<CachedRecord | undefined> {
    const cached = await this.init.store.getRecord(name)
    if (cached == null || !(cached.fetchedAt <= this.now())) {
      return undefined
    }
    try {
      const { publicKey } = decodeNameRecord(cached.bytes)
      return pin == null || equals(publicKey, pin) ? cached : undefined
    } catch {
      return undefined
    }
  }

  /** A stored record, verified again (signature, name, expiry, proof). */
  private async verified (name: string, cached: CachedRecord): Promise<NameRecord> {
    const record = decodeNameRecord(cached.bytes)
    await verifyNameRecord(record, { name, minPowBits: await this.init.minPowBits(), now: this.now() })
    return record
  }
}
