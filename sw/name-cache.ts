import type { NameRecord } from '../src/naming/index.js'

/** How long a verified name record is reused without asking the DHT again (ms). */
export const NAME_CACHE_TTL_MS = 60_000
/** How long "not registered" is remembered (ms): short, so a new site shows up quickly. */
export const NEGATIVE_CACHE_TTL_MS = 5_000

interface Entry {
  expires: number
  result: Promise<NameRecord>
}

/**
 * Remembers name resolutions for a bounded time so a page's subresources, and
 * a repeat navigation within the TTL, do not wait on the network. Concurrent
 * lookups of one name share a single DHT query. Only "not registered" is cached
 * among failures; timeouts and other errors are retried on the next request.
 */
export class NameCache {
  private readonly entries = new Map<string, Entry>()

  constructor (private readonly resolve: (name: string, signal: AbortSignal) => Promise<NameRecord>) {}

  async get (name: string, signal: AbortSignal, now = Date.now()): Promise<NameRecord> {
    const entry = this.entries.get(name)
    if (entry != null && entry.expires > now) {
      return entry.result
    }
    const result = this.resolve(name, signal)
    const fresh: Entry = { expires: now + NAME_CACHE_TTL_MS, result }
    this.entries.set(name, fresh)
    result.then(record => {
      // never serve a record past its own expiry
      fresh.expires = Math.min(fresh.expires, record.expires)
    }, (err: Error) => {
      if (err.name === 'NameNotFoundError') {
        fresh.expires = Date.now() + NEGATIVE_CACHE_TTL_MS
      } else if (this.entries.get(name) === fresh) {
        this.entries.delete(name)
      }
    })
    return result
  }
}
