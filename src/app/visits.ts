/**
 * A hosted site's visits as its relays count them (`GET /_wia/visits/<name>`,
 * `docs/http.md` §"Visits"): each relay counts the visits and the bytes it
 * sees; the app adds up what every relay says.
 */

import { askRelays } from './relay-answers.js'
import type { ClientConfig } from '../node/index.js'

/** Path prefix of a site's visit report on every relay origin (see `relay/visits/`). */
export const VISITS_PATH = '/_wia/visits/'

/** Bound on one relay's answer before it is left out of the sum (ms). */
export const VISITS_TIMEOUT_MS = 10_000

/** Bytes served on one day, by who served them. */
export interface ServedBytes {
  /** Fetched from this device (the site's host). */
  host: number
  /** Read from a relay's own store (its cache). */
  cache: number
  /** Fetched from other peers (other relays' caches, other devices). */
  peers: number
}

/** One UTC day of a site's visits. */
export interface DayVisits {
  /** `YYYY-MM-DD`, UTC. */
  day: string
  visits: number
  served: ServedBytes
}

/** A site's visits over the last 30 days, added up across the relays that answered. */
export interface SiteVisitsSummary {
  name: string
  /** Oldest first. */
  days: DayVisits[]
  /** Visits in all the days. */
  total: number
  /** Bytes served in all the days, by who served them. */
  served: ServedBytes
  /** Relays that answered, of those asked. */
  relays: { answered: number, asked: number }
}

/** No relay answered the question (`reasons`: what each said). */
export class VisitsUnavailableError extends Error {
  static override name = 'VisitsUnavailableError'
  override name = 'VisitsUnavailableError'

  constructor (readonly siteName: string, readonly reasons: string[]) {
    super(`No relay told the visits of ${siteName}: ${reasons.join('; ')}`)
  }
}

/** The gateway bases (ending in `/_wia/`) of the app's relays: its own origin's, then the others' from the config. */
export function relayBases (origin: string, config: Pick<ClientConfig, 'gateways'>): string[] {
  return [...new Set([`${origin}/_wia/`, ...(config.gateways ?? [])])]
}

export interface FetchVisitsOptions {
  /** Relay gateway bases, each ending in `/_wia/` (see {@link relayBases}). */
  bases: string[]
  /** PeerIds of this device's node: bytes the relays fetched from them are `host`. */
  hosts: string[]
  signal?: AbortSignal
  /** @default globalThis.fetch */
  fetch?: typeof fetch
}

/**
 * Ask every relay for `name`'s visits of the last 30 days and add them up by
 * day. A relay that fails or takes longer than {@link VISITS_TIMEOUT_MS} is
 * left out (`relays.answered` says how many counted).
 *
 * @throws {VisitsUnavailableError} when no relay answered
 */
export async function fetchVisits (name: string, options: FetchVisitsOptions): Promise<SiteVisitsSummary> {
  const urls = options.bases.map(base => {
    const url = new URL(`${base}visits/${encodeURIComponent(name)}`)
    for (const host of options.hosts) url.searchParams.append('host', host)
    return url
  })
  const { answers: answered, reasons } = await askRelays(urls, async res => daysOf(await res.json()), { timeoutMs: VISITS_TIMEOUT_MS, signal: options.signal, fetch: options.fetch })
  if (answered.length === 0) {
    throw new VisitsUnavailableError(name, reasons)
  }
  const byDay = new Map<string, DayVisits>()
  for (const day of answered.flat()) {
    const sum = byDay.get(day.day) ?? { day: day.day, visits: 0, served: { host: 0, cache: 0, peers: 0 } }
    sum.visits += day.visits
    sum.served = addServed(sum.served, day.served)
    byDay.set(day.day, sum)
  }
  const days = [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day))
  return {
    name,
    days,
    total: days.reduce((total, day) => total + day.visits, 0),
    served: days.reduce((total, day) => addServed(total, day.served), { host: 0, cache: 0, peers: 0 }),
    relays: { answered: answered.length, asked: options.bases.length }
  }
}

function addServed (a: ServedBytes, b: ServedBytes): ServedBytes {
  return { host: a.host + b.host, cache: a.cache + b.cache, peers: a.peers + b.peers }
}

/**
 * The days of a relay's answer, checked field by field.
 *
 * @throws {TypeError} when the answer is not a visits report
 */
function daysOf (body: unknown): DayVisits[] {
  const days = (body as { days?: unknown }).days
  if (!Array.isArray(days)) {
    throw new TypeError('not a visits report')
  }
  return days.map((entry: Partial<DayVisits>) => {
    const served = entry.served
    if (typeof entry.day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(entry.day) || !count(entry.visits) || served == null ||
      !count(served.host) || !count(served.cache) || !count(served.peers)) {
      throw new TypeError('not a visits report')
    }
    return { day: entry.day, visits: entry.visits, served: { host: served.host, cache: served.cache, peers: served.peers } }
  })
}

function count (value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}
