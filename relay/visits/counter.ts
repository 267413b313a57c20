import { logger } from '@libp2p/logger'
import { repeatingTask } from '@libp2p/utils'
import { Key } from 'interface-datastore'
import { MAX_SENDERS_PER_DAY, MAX_TRACKED_NAMES, OTHER_PEERS, VISIT_DAYS, VISITS_FLUSH_INTERVAL_MS, VISITS_PREFIX } from './constants.js'
import { TooManySitesError } from './errors.js'
import type { ServedFrom } from '../gateway/index.js'
import type { RepeatingTask } from '@libp2p/utils'
import type { Datastore } from 'interface-datastore'

const log = logger('wia:relay:visits')

/** What one site had on one UTC day. Counts only: no visitor is identified. */
export interface DayCounts {
  /** Page visits (worker pings and plain HTTP pages). */
  visits: number
  /** Bytes of blocks the relay answered from its own store. */
  cache: number
  /** Bytes of blocks the relay fetched from peers to answer, by sender PeerId ({@link OTHER_PEERS}: peers past {@link MAX_SENDERS_PER_DAY}). */
  peers: Record<string, number>
}

/** One day of a site's report (`GET /_wia/visits/<name>`). */
export interface DayReport {
  /** UTC day, `YYYY-MM-DD`. */
  day: string
  visits: number
  /** Bytes served that day: fetched from the site's host, from the relay's own store, from other peers. */
  served: { host: number, cache: number, peers: number }
}

export interface VisitCounterInit {
  /** Where counts survive a restart (the relay's LevelDB datastore). */
  datastore: Pick<Datastore, 'get' | 'put' | 'delete' | 'query'>
  /** Most sites counted at once. @default MAX_TRACKED_NAMES (10 000) */
  maxNames?: number
  /** How often counts are written to `datastore` (ms). @default VISITS_FLUSH_INTERVAL_MS (10 s) */
  flushIntervalMs?: number
  /** Clock (ms since the Unix epoch); tests move it. @default Date.now */
  now?: () => number
}

/**
 * Counts, per site and UTC day, the visits a relay sees and the bytes it
 * serves by where they came from, for the last {@link VISIT_DAYS} days.
 * Nothing about a visitor is kept: no address, no user agent, no identifier,
 * only numbers. Counts live in memory and are written to the datastore every
 * `flushIntervalMs` and on {@link VisitCounter.stop} (a crash loses at most
 * that much); days older than the window are dropped when written.
 *
 * @example
 * ```ts
 * const visits = new VisitCounter({ datastore })
 * await visits.start()
 * visits.visit('alice.wia.home')
 * visits.served('alice.wia.home', { from: 'store' }, 1024)
 * visits.report('alice.wia.home', { hosts: [hostPeerId] })
 * ```
 */
export class VisitCounter {
  private readonly datastore: VisitCounterInit['datastore']
  private readonly maxNames: number
  private readonly now: () => number
  private readonly sites = new Map<string, Map<string, DayCounts>>()
  private readonly dirty = new Set<string>()
  private readonly task: RepeatingTask
  /** The UTC day last asked for and the times (ms) it spans: every request counts bytes, few cross midnight. */
  private day = { name: '', from: 0, to: 0 }

  constructor (init: VisitCounterInit) {
    this.datastore = init.datastore
    this.maxNames = init.maxNames ?? MAX_TRACKED_NAMES
    this.now = init.now ?? Date.now
    this.task = repeatingTask(async () => { await this.flush() }, init.flushIntervalMs ?? VISITS_FLUSH_INTERVAL_MS)
  }

  /** Load the counts kept in the datastore and start writing them back periodically. */
  async start (): Promise<void> {
    for await (const { key, value } of this.datastore.query({ prefix: VISITS_PREFIX })) {
      try {
        const days = JSON.parse(new TextDecoder().decode(value)) as Record<string, DayCounts>
        this.sites.set(key.baseNamespace(), new Map(Object.entries(days)))
      } catch (err) {
        log.error('dropping unreadable counts at %s - %e', key.toString(), err)
      }
    }
    this.prune()
    this.task.start()
  }

  /** Stop the periodic writes and write what is still in memory. */
  async stop (): Promise<void> {
    this.task.stop()
    await this.flush()
  }

  /**
   * Count one visit of `name` today.
   *
   * @throws {TooManySitesError} when `name` is new and `maxNames` sites are counted already
   */
  visit (name: string): void {
    this.today(name).visits++
  }

  /**
   * Count `bytes` of a block the relay served for `name` today, by where it came from.
   *
   * @throws {TooManySitesError} when `name` is new and `maxNames` sites are counted already
   */
  served (name: string, source: ServedFrom, bytes: number): void {
    const counts = this.today(name)
    if (source.from === 'store') {
      counts.cache += bytes
      return
    }
    const known = source.peer in counts.peers || Object.keys(counts.peers).filter(peer => peer !== OTHER_PEERS).length < MAX_SENDERS_PER_DAY
    const key = known ? source.peer : OTHER_PEERS
    counts.peers[key] = (counts.peers[key] ?? 0) + bytes
  }

  /**
   * The last {@link VISIT_DAYS} UTC days of `name`, oldest first, days without
   * counts included as zeros. Bytes from a peer in `hosts` (the PeerIds the
   * asker says are the site's host) are `host`; from other peers, `peers`.
   */
  report (name: string, options: { hosts?: string[] } = {}): DayReport[] {
    const hosts = new Set(options.hosts ?? [])
    const days = this.sites.get(name)
    return windowDays(this.now()).map(day => {
      const counts = days?.get(day)
      let host = 0
      let peers = 0
      for (const [peer, bytes] of Object.entries(counts?.peers ?? {})) {
        if (hosts.has(peer)) {
          host += bytes
        } else {
          peers += bytes
        }
      }
      return { day, visits: counts?.visits ?? 0, served: { host, cache: counts?.cache ?? 0, peers } }
    })
  }

  /** Write the counts changed since the last flush (days past the window dropped; a site with none left deleted). */
  async flush (): Promise<void> {
    this.prune()
    const names = [...this.dirty]
    this.dirty.clear()
    for (const name of names) {
      const days = this.sites.get(name)
      try {
        if (days == null) {
          await this.datastore.delete(keyOf(name))
        } else {
          await this.datastore.put(keyOf(name), new TextEncoder().encode(JSON.stringify(Object.fromEntries(days))))
        }
      } catch (err) {
        // kept in memory: the next flush tries again
        this.dirty.add(name)
        log.error('could not write the counts of %s - %e', name, err)
      }
    }
  }

  /** Number of sites counted now. */
  get size (): number {
    return this.sites.size
  }

  private today (name: string): DayCounts {
    let days = this.sites.get(name)
    if (days == null) {
      if (this.sites.size >= this.maxNames) {
        this.prune()
      }
      if (this.sites.size >= this.maxNames) {
        throw new TooManySitesError(name, this.maxNames)
      }
      days = new Map()
      this.sites.set(name, days)
    }
    const day = this.dayNow()
    let counts = days.get(day)
    if (counts == null) {
      counts = { visits: 0, cache: 0, peers: {} }
      days.set(day, counts)
    }
    this.dirty.add(name)
    return counts
  }

  /** The UTC day of now ({@link dayOf}), worked out again only when now leaves the day last worked out. */
  private dayNow (): string {
    const now = this.now()
    if (now < this.day.from || now >= this.day.to) {
      const from = now - (now % DAY_MS)
      this.day = { name: dayOf(now), from, to: from + DAY_MS }
    }
    return this.day.name
  }

  /** Drop days older than the window, and sites left with none. */
  private prune (): void {
    const oldest = windowDays(this.now())[0] ?? ''
    for (const [name, days] of this.sites) {
      for (const day of days.keys()) {
        if (day < oldest) {
          days.delete(day)
          this.dirty.add(name)
        }
      }
      if (days.size === 0) {
        this.sites.delete(name)
        this.dirty.add(name)
      }
    }
  }
}

/** Milliseconds in a UTC day (ECMAScript time counts no leap seconds). */
const DAY_MS = 86_400_000

/** The UTC day of a time (ms since the epoch), `YYYY-MM-DD`. */
export function dayOf (ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** The {@link VISIT_DAYS} UTC days ending with the day of `now`, oldest first. */
export function windowDays (now: number): string[] {
  const today = Date.parse(`${dayOf(now)}T00:00:00Z`)
  return Array.from({ length: VISIT_DAYS }, (_, i) => dayOf(today - (VISIT_DAYS - 1 - i) * 86_400_000))
}

function keyOf (name: string): Key {
  return new Key(`${VISITS_PREFIX}/${name}`)
}
