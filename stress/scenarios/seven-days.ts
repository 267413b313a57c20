import { multiaddr } from '@multiformats/multiaddr'
import { equals } from 'uint8arrays'
import { formatNumber } from '../../bench/format.js'
import { startNodePeer } from '../../e2e/support/node-peer.js'
import { TEST_POW_BITS, startRelay } from '../../e2e/support/relay-process.js'
import { uniqueLabel } from '../../e2e/support/site.js'
import { DAY_MS, TEST_CLOCK_EPOCH_ENV, TEST_CLOCK_OFFSET_ENV, TEST_CLOCK_SCALE_ENV, createTestClock } from '../../relay/clock.js'
import { RECORD_REFRESH_INTERVAL_MS } from '../../relay/record-keeper.js'
import { RECORD_VALIDITY_MS } from '../../src/naming/index.js'
import { createWireNode, getRecordOverWire } from '../attacker/kad-wire.js'
import { asSiteFiles, siteFiles } from '../legit-host.js'
import { checkNames } from '../name-check.js'
import { checked, figure, kept } from '../report.js'
import { visitSite } from '../visitor.js'
import type { RelayClock } from '../../relay/clock.js'
import type { RelayProcess, StartRelayInit } from '../../e2e/support/relay-process.js'
import type { LegitSite } from '../legit-host.js'
import type { StressResult } from '../report.js'
import type { StressContext } from '../under-attack.js'
import type { Libp2p } from '@libp2p/interface'

const FAULT = 'owner offline for 7 simulated days, every relay restarted each day'
/** Days the owner stays offline: issue 14. */
const DAYS = 7
/** Real seconds a simulated day lasts (quick / full): the relays' clock runs `DAY_MS / that` times as fast. */
const DAY_SECONDS = { quick: 6, full: 15 }
/** Relays (quick / full). */
const RELAYS = { quick: 2, full: 3 }
/**
 * The day the last relay is replaced by a new one (empty data directory, new
 * PeerId, same ports): it can only learn the record from the other relays'
 * re-puts, and serve the site from their caches.
 */
const REPLACED_ON_DAY = 4
/** Re-put rounds a relay's DHT store may wait for the record after the restarts (each {@link RECORD_REFRESH_INTERVAL_MS} of the relays' clock). */
const REPUT_ROUNDS = 2
/** Slack on the wait for re-puts (real ms): restarts and queries on a busy machine. */
const REPUT_SLACK_MS = 3_000
/** How often the DHT stores are asked while waiting (ms). */
const POLL_MS = 250
/** How long one `GET_VALUE` may take (ms). */
const WIRE_TIMEOUT_MS = 5_000
/** The simulated day on which the expiry variant restarts the relays: past the record's 30 days, within the 7-day grace period. */
const PAST_EXPIRY_DAY = RECORD_VALIDITY_MS / DAY_MS + 3

/** What one day's checks found, on each relay. */
export interface DayCheck {
  day: number
  /** Simulated days since the publication when the checks ended. */
  simulatedDays: number
  relays: number
  /** Relays whose own DHT store answered `GET_VALUE` with the current record. */
  inDht: number
  /** Relays that answered `/_wia/name/<name>` with the current record. */
  resolvable: number
  /** Relays that served the site whole over plain HTTP (every file, right bytes). */
  loadable: number
  /** Real seconds from stopping the relays to the end of the checks. */
  seconds: number
  /** Of those, restarting every relay. */
  restartSeconds: number
  /** Real seconds from the restart until the last relay's DHT store held the record. */
  dhtSeconds: number
  /** A relay replaced by a new one that day. */
  replaced: boolean
  failures: string[]
}

/** The relays of the test, all on one simulated clock. */
interface Relays {
  list: RelayProcess[]
  /** Start options of the relays that join the first one. */
  joinInit: StartRelayInit
  clock: RelayClock
  /** Real time at which the relays' clock read real time: the publication, day 0. */
  epochMs: number
}

/**
 * Scenario: seven days with the owner offline, on a scaled clock. Two or
 * three real relay processes share one simulated timeline (`relay/clock.ts`:
 * a day lasts {@link DAY_SECONDS} real seconds, so their record re-put runs
 * every 12 h of it and kad-dht drops what it stored 48 h ago). A host
 * publishes a site once, asks every relay to keep it and goes offline for
 * good. Each day every relay is stopped and started again on its data
 * directory (on day {@link REPLACED_ON_DAY} the last one is replaced by an
 * empty relay); then, on every relay: its own DHT store must hold the record
 * (`GET_VALUE` over the wire, which kad-dht answers from records it received
 * in the last 48 h only: a week later that is the re-puts'), the name must
 * resolve over HTTP, and the site must load whole over plain HTTP. In the
 * full run the relays are then started past the record's expiry.
 */
export async function sevenDaysScenario (ctx: StressContext): Promise<{ results: StressResult[], details: unknown }> {
  const mode = ctx.quick ? 'quick' : 'full'
  const scale = DAY_MS / (DAY_SECONDS[mode] * 1000)
  const epochMs = Date.now()
  const clock = createTestClock({ scale, epochMs, offsetMs: 0 })
  const env = { [TEST_CLOCK_SCALE_ENV]: String(scale), [TEST_CLOCK_EPOCH_ENV]: String(epochMs) }
  const wire = await createWireNode()
  const relays: Relays = { list: [], joinInit: {}, clock, epochMs }
  try {
    const first = await startRelay({ env, extraArgs: ['--pow-bits', String(TEST_POW_BITS)] })
    relays.list.push(first)
    relays.joinInit = { env, extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--bootstrap', first.relayAddrs[0]!] }
    relays.list.push(...await Promise.all(Array.from({ length: RELAYS[mode] - 1 }, async () => startRelay(relays.joinInit))))
    const site = await publishOnceAndLeave(relays.list)

    const days: DayCheck[] = []
    for (let day = 1; day <= DAYS; day++) {
      // the relays' clock reaches the day; a day whose checks ran long starts late, and says so in simulatedDays
      await sleep(epochMs + day * DAY_SECONDS[mode] * 1000 - Date.now())
      days.push(await liveDay(relays, wire, site, day))
    }
    const expired = ctx.quick ? undefined : await pastExpiry(relays, wire, site)
    return { results: rows(days, expired, relays.list.length, scale), details: { scale, daySeconds: DAY_SECONDS[mode], days, expired } }
  } finally {
    await Promise.all(relays.list.map(async relay => relay.stop()))
    await wire.stop()
  }
}

/** A host publishes one site, asks every relay to keep it, and goes offline for good. */
async function publishOnceAndLeave (relays: RelayProcess[]): Promise<LegitSite> {
  const host = await startNodePeer(relays[0]!.relayAddrs[0]!)
  try {
    const label = uniqueLabel('week')
    const files = siteFiles(`${label}.wia.home`, 1)
    const published = await host.publishSite(label, asSiteFiles(files))
    for (const relay of relays) {
      await host.askRelayToKeep(published.name, relay.relayAddrs[0]!)
    }
    return { name: published.name, files, current: published.record, previous: published.record }
  } finally {
    await host.stop()
  }
}

/**
 * Stop every relay, start them again (the first, then those that join it;
 * on {@link REPLACED_ON_DAY} the last one as a new, empty relay), then check
 * each one's DHT store, name and site.
 */
async function liveDay (relays: Relays, wire: Libp2p, site: LegitSite, day: number): Promise<DayCheck> {
  const start = performance.now()
  const replaced = day === REPLACED_ON_DAY
  await restartAll(relays, {}, replaced)
  const restartSeconds = (performance.now() - start) / 1000
  const failures: string[] = []
  // the DHT stores first: an HTTP lookup could fetch the record into a relay that did not hold it
  const dhtDeadline = performance.now() + REPUT_ROUNDS * relays.clock.realMs(RECORD_REFRESH_INTERVAL_MS) + REPUT_SLACK_MS
  const inDht = await recordsInDht(relays.list, wire, site, dhtDeadline)
  const dhtSeconds = (performance.now() - start) / 1000
  const { resolvable, loadable } = await nameAndSite(relays.list, site, failures)
  if (inDht < relays.list.length) {
    failures.push(`${relays.list.length - inDht} relays' DHT stores lacked the record ${REPUT_ROUNDS} re-put rounds after the restart`)
  }
  return {
    day,
    simulatedDays: (relays.clock.now() - relays.epochMs) / DAY_MS,
    relays: relays.list.length,
    inDht,
    resolvable,
    loadable,
    seconds: (performance.now() - start) / 1000,
    restartSeconds,
    dhtSeconds,
    replaced,
    failures
  }
}

/** Stop every relay, then start the first and, once it is up, the others (which join it); `replaceLast` starts the last one empty. */
async function restartAll (relays: Relays, env: Record<string, string>, replaceLast = false): Promise<void> {
  await Promise.all(relays.list.map(async relay => relay.stop()))
  const [first, ...others] = relays.list
  const restarted = [await first!.startAgain(env)]
  restarted.push(...await Promise.all(others.map(async (relay, i) => i === others.length - 1 && replaceLast
    ? startRelay({ ...relays.joinInit, env: { ...relays.joinInit.env, ...env }, httpPort: relay.httpPort, relayPort: relay.relayPort })
    : relay.startAgain(env))))
  relays.list = restarted
}

/** How many relays' own DHT stores hand out the current record, asking again until they all do or `deadline` (performance.now() ms). */
async function recordsInDht (relays: RelayProcess[], wire: Libp2p, site: LegitSite, deadline: number): Promise<number> {
  const holding = new Set<number>()
  do {
    await Promise.all(relays.map(async (relay, i) => {
      if (holding.has(i)) return
      const { value } = await getRecordOverWire(wire, multiaddr(relay.relayAddrs[0]!), site.name, WIRE_TIMEOUT_MS)
      if (value != null && equals(value, site.current)) holding.add(i)
    }))
    if (holding.size === relays.length) break
    await sleep(POLL_MS)
  } while (performance.now() < deadline)
  return holding.size
}

/** How many relays resolve the name to its current record over HTTP, and serve the site whole; why the others did not. */
async function nameAndSite (relays: RelayProcess[], site: LegitSite, failures: string[]): Promise<{ resolvable: number, loadable: number }> {
  let resolvable = 0
  let loadable = 0
  for (const [i, relay] of relays.entries()) {
    const state = (await checkNames(relay.httpPort, [site]))[site.name]
    if (state === 'current') resolvable++
    else failures.push(`relay ${i + 1}: name ${state ?? 'missing'}`)
    const visit = await visitSite(relay.httpPort, site)
    if (visit.ok) loadable++
    else failures.push(`relay ${i + 1}: site not served - ${visit.error ?? ''}`)
  }
  return { resolvable, loadable }
}

/** What relays on the same data, restarted past the record's expiry with the owner still offline, hand out. */
interface PastExpiry {
  simulatedDays: number
  inDht: number
  resolvable: number
  loadable: number
  failures: string[]
}

/** Restart the relays with their clock moved on to {@link PAST_EXPIRY_DAY} and check what they still serve. */
async function pastExpiry (relays: Relays, wire: Libp2p, site: LegitSite): Promise<PastExpiry> {
  const offsetMs = relays.epochMs + PAST_EXPIRY_DAY * DAY_MS - relays.clock.now()
  await restartAll(relays, { [TEST_CLOCK_OFFSET_ENV]: String(Math.round(offsetMs)) })
  const failures: string[] = []
  const inDht = await recordsInDht(relays.list, wire, site, performance.now())
  const { resolvable, loadable } = await nameAndSite(relays.list, site, failures)
  return { simulatedDays: (relays.clock.now() + offsetMs - relays.epochMs) / DAY_MS, inDht, resolvable, loadable, failures }
}

function rows (days: DayCheck[], expired: PastExpiry | undefined, relayCount: number, scale: number): StressResult[] {
  const last = days.at(-1)
  const all = (pick: (day: DayCheck) => number): boolean => days.every(day => pick(day) === day.relays)
  const perDay = (pick: (day: DayCheck) => number): string => days.map(pick).join(' ')
  const seconds = days.map(day => day.seconds)
  const replacedDay = days.find(day => day.replaced)
  const results: StressResult[] = [
    kept({
      id: 'days-day7',
      attack: FAULT,
      what: `day ${DAYS}: name resolvable on every relay (HTTP /_wia/name) and site loaded whole from every relay (plain HTTP), from relay caches alone`,
      measured: last == null ? 'not reached' : `${last.resolvable} / ${last.relays} resolve, ${last.loadable} / ${last.relays} load (at day ${formatNumber(last.simulatedDays)})`,
      goal: 'all',
      values: { resolvable: last?.resolvable ?? 0, loadable: last?.loadable ?? 0, relays: relayCount, simulatedDays: last?.simulatedDays ?? NaN }
    }, last != null && last.day === DAYS && last.resolvable === last.relays && last.loadable === last.relays),
    kept({
      id: 'days-dht',
      attack: FAULT,
      what: `every relay's own DHT store holds the record each day (GET_VALUE; kad-dht drops a record 48 h after receipt, so only re-puts keep it; relay ${relayCount} replaced by an empty one on day ${REPLACED_ON_DAY})`,
      measured: `per day ${perDay(day => day.inDht)} of ${relayCount}; ${replacedDay == null ? 'no relay replaced' : replacedDay.inDht === replacedDay.relays ? `all had it ${formatNumber(replacedDay.dhtSeconds - replacedDay.restartSeconds)} s after the day-${REPLACED_ON_DAY} restarts` : `not all within ${formatNumber(replacedDay.dhtSeconds - replacedDay.restartSeconds)} s of the day-${REPLACED_ON_DAY} restarts`}`,
      goal: `all, days 1–${DAYS}`,
      values: Object.fromEntries(days.map(day => [`day${day.day}`, day.inDht]))
    }, days.length === DAYS && all(day => day.inDht)),
    checked({
      id: 'days-per-day',
      attack: FAULT,
      what: `per day 1–${DAYS}: relays resolving / loading the site; real seconds per day (restarts included)`,
      measured: `${perDay(day => day.resolvable)} / ${perDay(day => day.loadable)} of ${relayCount}; ${seconds.map(s => formatNumber(s)).join(' ')} s`,
      goal: 'all, every day',
      values: { maxSeconds: Math.max(...seconds), maxRestartSeconds: Math.max(...days.map(day => day.restartSeconds)) },
      ...(days.some(day => day.failures.length > 0) ? { notes: `${FAULT}: ${days.flatMap(day => day.failures.map(f => `day ${day.day} ${f}`)).slice(0, 3).join('; ')}` } : {})
    }, days.length === DAYS && all(day => day.resolvable) && all(day => day.loadable)),
    figure({
      id: 'days-clock',
      attack: FAULT,
      what: 'the relays\' simulated clock (relay/clock.ts): one day in real seconds; record re-put every 12 h of it',
      measured: `${formatNumber(DAY_MS / scale / 1000)} s (scale ${formatNumber(scale)}); re-put every ${formatNumber(RECORD_REFRESH_INTERVAL_MS / scale / 1000)} s`,
      values: { scale }
    })
  ]
  if (expired != null) {
    results.push(checked({
      id: 'days-past-expiry',
      attack: 'owner offline past the record\'s 30 days (relays restarted on that day)',
      what: 'relays whose DHT store / HTTP gateway still hands out the expired record, relays serving the site',
      measured: `${expired.inDht} / ${expired.resolvable} / ${expired.loadable} of ${relayCount} (at day ${formatNumber(expired.simulatedDays)})`,
      goal: 'none: a site lives as long as its last record; the owner renews it',
      values: { inDht: expired.inDht, resolvable: expired.resolvable, loadable: expired.loadable, simulatedDays: expired.simulatedDays }
    }, expired.inDht === 0 && expired.resolvable === 0 && expired.loadable === 0))
  }
  return results
}

async function sleep (ms: number): Promise<void> {
  if (ms > 0) await new Promise(resolve => setTimeout(resolve, ms))
}
