import { resolve } from 'node:path'
import { spawnTsChild } from '../bench/child.js'
import { formatNumber } from '../bench/format.js'
import { sampleUsage } from '../bench/process-usage.js'
import { scrapeEventLoopDelay } from './event-loop.js'
import { checked, figure } from './report.js'
import { startHostDials } from './host-probe.js'
import { startVisits } from './visitor.js'
import type { ProcessUsage } from '../bench/process-usage.js'
import type { RelayProcess } from '../e2e/support/relay-process.js'
import type { EventLoopDelay } from './event-loop.js'
import type { HostDialLog } from './host-probe.js'
import type { LegitSite } from './legit-host.js'
import type { StressResult } from './report.js'
import type { VisitLog } from './visitor.js'

/** The attacker's entry point (a process of its own). */
const ATTACKER = resolve('stress/attacker/main.ts')
/** How long the attacker process may take to start (ms). */
const ATTACKER_START_TIMEOUT_MS = 30_000
/** The most relay memory under attack (bytes): DESIGN.md §7. */
export const MAX_RELAY_RSS_BYTES = 512 * 1024 * 1024
/** Share of legit visits that must be served under attack: DESIGN.md §7. */
export const MIN_SERVED_SHARE = 0.99
const MIB = 1024 * 1024

/** What every scenario works with. */
export interface StressContext {
  /** The relay under test (replaced when a scenario restarts it). */
  relay: RelayProcess
  sites: LegitSite[]
  quick: boolean
  /** Legit visits started per second during each attack. */
  visitsPerSecond: number
  /** The same visits with no attack, earlier in the same run. */
  baseline: VisitLog
}

/** Visits made during an attack besides those of the kept legit sites. */
export interface AlsoVisited {
  /** Sites the relay does not keep, each visited once, `perSecond` a second (`hostSitesNotKept`). */
  notKept?: { sites: LegitSite[], perSecond: number }
}

/** An attack's own report beside what legit visitors, hosts and the relay went through meanwhile. */
export interface UnderAttack<T> {
  report: T
  visits: VisitLog
  /** The visits of {@link AlsoVisited.notKept}, when asked for. */
  notKeptVisits?: VisitLog
  hostDials: HostDialLog
  usage: ProcessUsage
  /** The relay's event-loop delay during the attack. */
  eventLoop?: EventLoopDelay
}

/**
 * Run `attack` in a process of its own and wait for its report, nothing
 * measured beside it (for attacks on a relay of their own).
 *
 * @param timeoutMs - how long the attack may take once started (ms)
 */
export async function runAttacker<T> (attack: string, init: object, timeoutMs: number): Promise<T> {
  const attacker = spawnTsChild(ATTACKER, [attack, JSON.stringify(init)])
  try {
    await attacker.waitForLine(/^started$/, ATTACKER_START_TIMEOUT_MS)
    const reported = await attacker.waitForLine(/^result (.*)$/, timeoutMs)
    return JSON.parse(reported[1]!) as T
  } finally {
    await attacker.stop()
  }
}

/**
 * Run `attack` (`stress/attacker/main.ts`) in a process of its own against
 * the relay, while a legit visitor loads the hosted sites, legit hosts
 * connect over libp2p and the relay's RSS and CPU are sampled; all start
 * when the attacker says it started and stop when it reports.
 *
 * @param timeoutMs - how long the attack may take once started (ms)
 * @param also - other visits made meanwhile (sites the relay does not keep)
 */
export async function underAttack<T> (ctx: StressContext, attack: string, init: object, timeoutMs: number, also: AlsoVisited = {}): Promise<UnderAttack<T>> {
  const attacker = spawnTsChild(ATTACKER, [attack, JSON.stringify(init)])
  try {
    await attacker.waitForLine(/^started$/, ATTACKER_START_TIMEOUT_MS)
    await scrapeEventLoopDelay(ctx.relay.httpPort)
    const usage = sampleUsage(ctx.relay.process.pid!)
    const visits = startVisits(ctx.relay.httpPort, ctx.sites, ctx.visitsPerSecond)
    const notKept = also.notKept == null ? undefined : startVisits(ctx.relay.httpPort, also.notKept.sites, also.notKept.perSecond, { once: true })
    const hostDials = startHostDials(ctx.relay.relayAddrs[0]!)
    const reported = await attacker.waitForLine(/^result (.*)$/, timeoutMs).catch((err: unknown) => err as Error)
    const measured = { visits: await visits.stop(), hostDials: await hostDials.stop(), usage: await usage.stop(), ...(notKept == null ? {} : { notKeptVisits: await notKept.stop() }) }
    const eventLoop = await scrapeEventLoopDelay(ctx.relay.httpPort)
    if (reported instanceof Error) {
      throw reported
    }
    return { report: JSON.parse(reported[1]!) as T, ...measured, ...(eventLoop == null ? {} : { eventLoop }) }
  } finally {
    await attacker.stop()
  }
}

const percent = (share: number): string => `${formatNumber(share * 100)} %`
const ms = (n: number | undefined): string => n == null ? '—' : `${formatNumber(n)}`

/** The share of legit visits served during `visits`, and their p50/p99 beside the baseline's. */
export function visitRows (id: string, attack: string, visits: VisitLog, baseline: VisitLog, subject = 'legit visits'): StressResult[] {
  const failures = [...new Set(visits.visits.flatMap(v => v.error == null ? [] : [v.error]))].slice(0, 3)
  return [
    checked({
      id: `${id}-visits-served`,
      attack,
      what: `${subject} served (every file, right bytes, within 10 s)`,
      measured: `${percent(visits.share)} (${visits.served}/${visits.visits.length})`,
      goal: '≥ 99 %',
      values: { served: visits.served, visits: visits.visits.length },
      ...(failures.length === 0 ? {} : { notes: `${attack}: failed visits said ${failures.map(f => `"${f}"`).join(', ')}` })
    }, visits.share >= MIN_SERVED_SHARE),
    figure({
      id: `${id}-visit-time`,
      attack,
      what: `${subject}: time p50 / p99 (no attack, same run)`,
      measured: `${ms(visits.times?.median)} / ${ms(visits.times?.p99)} ms (${ms(baseline.times?.median)} / ${ms(baseline.times?.p99)} ms)`,
      values: { p50: visits.times?.median ?? NaN, p99: visits.times?.p99 ?? NaN, baselineP50: baseline.times?.median ?? NaN, baselineP99: baseline.times?.p99 ?? NaN }
    })
  ]
}

/** The share of legit hosts' libp2p connections that opened, and their time. */
export function hostDialRow (id: string, attack: string, dials: HostDialLog): StressResult {
  const errors = Object.entries(dials.errors).slice(0, 2).map(([reason, n]) => `${n} × ${reason}`)
  const share = (n: number): string => percent(dials.tried === 0 ? 0 : n / dials.tried)
  return figure({
    id: `${id}-host-dials`,
    attack,
    what: 'legit hosts coming online (a new node a second): first dial opened, p50 time; connected within 10 s retrying as the app does, p50 / p99 time',
    measured: `${share(dials.opened)} (${dials.opened}/${dials.tried}), ${ms(dials.times?.median)} ms; ${share(dials.connected)} (${dials.connected}/${dials.tried}), ${ms(dials.connectedTimes?.median)} / ${ms(dials.connectedTimes?.p99)} ms`,
    values: { opened: dials.opened, connected: dials.connected, tried: dials.tried, p50: dials.times?.median ?? NaN, connectedP50: dials.connectedTimes?.median ?? NaN, connectedP99: dials.connectedTimes?.p99 ?? NaN },
    ...(errors.length === 0 ? {} : { notes: `${attack}: failed host dials said ${errors.join('; ')}` })
  })
}

/** The relay's peak RSS against the goal, its CPU use and its event-loop delay. */
export function usageRows (id: string, attack: string, usage: ProcessUsage, eventLoop?: EventLoopDelay): StressResult[] {
  return [
    checked({
      id: `${id}-rss`,
      attack,
      what: 'relay RSS, peak',
      measured: `${formatNumber(usage.peakRss / MIB)} MiB (${formatNumber(usage.peakRssFile / MIB)} MiB of it mapped files)`,
      goal: '≤ 512 MiB',
      values: { peakRssBytes: usage.peakRss, peakRssFileBytes: usage.peakRssFile }
    }, usage.peakRss <= MAX_RELAY_RSS_BYTES),
    figure({
      id: `${id}-cpu`,
      attack,
      what: 'relay CPU, mean (busiest 250 ms)',
      measured: `${percent(usage.cpuShare)} (${percent(usage.peakCpuShare)}) of one core`,
      values: { cpuShare: usage.cpuShare, peakCpuShare: usage.peakCpuShare }
    }),
    ...(eventLoop == null
      ? []
      : [figure({
          id: `${id}-event-loop`,
          attack,
          what: 'relay event-loop delay p99 / max (its /metrics)',
          measured: `${ms(eventLoop.p99 * 1000)} / ${ms(eventLoop.max * 1000)} ms`,
          values: { p99Seconds: eventLoop.p99, maxSeconds: eventLoop.max }
        })])
  ]
}
