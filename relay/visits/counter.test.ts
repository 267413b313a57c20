import all from 'it-all'
import { MemoryDatastore } from 'datastore-core'
import { describe, expect, it } from 'vitest'
import { MAX_SENDERS_PER_DAY, OTHER_PEERS, VISIT_DAYS } from './constants.js'
import { VisitCounter, dayOf, windowDays } from './counter.js'

const DAY_MS = 86_400_000
const START = Date.parse('2026-11-30T12:00:00Z')

/** A counter over `datastore` whose clock the test moves. */
function counter (datastore = new MemoryDatastore(), maxNames?: number): { visits: VisitCounter, clock: { now: number } } {
  const clock = { now: START }
  return { visits: new VisitCounter({ datastore, now: () => clock.now, ...(maxNames == null ? {} : { maxNames }) }), clock }
}

describe('windowDays', () => {
  it('lists the 30 UTC days ending today, oldest first', () => {
    const days = windowDays(START)
    expect(days).toHaveLength(VISIT_DAYS)
    expect(days.at(-1)).toBe('2026-11-30')
    expect(days[0]).toBe('2026-11-01')
    expect(dayOf(Date.parse('2026-11-30T23:59:59.999Z'))).toBe('2026-11-30')
  })
})

describe('VisitCounter', () => {
  it('counts visits and bytes served today, every other day of the window zero', () => {
    const { visits } = counter()
    visits.visit('alice.wia.home')
    visits.visit('alice.wia.home')
    visits.served('alice.wia.home', { from: 'store' }, 100)
    visits.served('alice.wia.home', { from: 'peer', peer: 'host' }, 40)
    visits.served('alice.wia.home', { from: 'peer', peer: 'relay-b' }, 7)
    visits.served('alice.wia.home', { from: 'peer', peer: 'relay-c' }, 3)
    const report = visits.report('alice.wia.home', { hosts: ['host'] })
    expect(report).toHaveLength(VISIT_DAYS)
    expect(report.at(-1)).toEqual({ day: '2026-11-30', visits: 2, served: { host: 40, cache: 100, peers: 10 } })
    expect(report.slice(0, -1).every(day => day.visits === 0 && day.served.cache === 0)).toBe(true)
    // without naming the host, its bytes are other peers'
    expect(visits.report('alice.wia.home').at(-1)?.served).toEqual({ host: 0, cache: 100, peers: 50 })
    expect(visits.report('bob.wia.home').every(day => day.visits === 0)).toBe(true)
  })

  it('starts a new day at UTC midnight and drops days older than the window', async () => {
    const { visits, clock } = counter()
    visits.visit('alice.wia.home')
    clock.now = Date.parse('2026-12-01T00:00:00Z')
    visits.visit('alice.wia.home')
    visits.visit('alice.wia.home')
    expect(visits.report('alice.wia.home').slice(-2).map(day => [day.day, day.visits])).toEqual([['2026-11-30', 1], ['2026-12-01', 2]])
    clock.now += (VISIT_DAYS - 1) * DAY_MS
    // 2026-11-30 left the window, 2026-12-01 is its first day
    expect(visits.report('alice.wia.home')[0]).toMatchObject({ day: '2026-12-01', visits: 2 })
    clock.now += DAY_MS
    await visits.flush()
    expect(visits.size).toBe(0)
  })

  it('counts at most maxNames sites, and a new one again once one aged out', () => {
    const { visits, clock } = counter(new MemoryDatastore(), 2)
    visits.visit('a.wia.home')
    clock.now += 5 * DAY_MS
    visits.visit('b.wia.home')
    expect(() => { visits.visit('c.wia.home') }).toThrow(expect.objectContaining({ name: 'TooManySitesError', siteName: 'c.wia.home', maxNames: 2 }))
    // the sites counted go on being counted
    visits.visit('a.wia.home')
    clock.now = START + VISIT_DAYS * DAY_MS
    // a.wia.home's last visit is still in the window (day 5), so c still waits
    expect(() => { visits.visit('c.wia.home') }).toThrow(expect.objectContaining({ name: 'TooManySitesError' }))
    clock.now = START + (VISIT_DAYS + 6) * DAY_MS
    visits.visit('c.wia.home')
    expect(visits.size).toBe(1)
  })

  it(`tells apart at most ${MAX_SENDERS_PER_DAY} peers a day; bytes of further peers are other peers'`, () => {
    const { visits } = counter()
    for (let i = 0; i <= MAX_SENDERS_PER_DAY; i++) {
      visits.served('alice.wia.home', { from: 'peer', peer: `peer-${i}` }, 10)
    }
    visits.served('alice.wia.home', { from: 'peer', peer: `peer-${MAX_SENDERS_PER_DAY}` }, 5)
    const last = `peer-${MAX_SENDERS_PER_DAY}`
    expect(visits.report('alice.wia.home', { hosts: [last] }).at(-1)?.served).toEqual({ host: 0, cache: 0, peers: 10 * (MAX_SENDERS_PER_DAY + 1) + 5 })
    expect(visits.report('alice.wia.home', { hosts: ['peer-0'] }).at(-1)?.served.host).toBe(10)
    expect(OTHER_PEERS).toBe('')
  })

  it('keeps its counts across a restart (written on stop, read on start)', async () => {
    const datastore = new MemoryDatastore()
    const first = counter(datastore)
    await first.visits.start()
    first.visits.visit('alice.wia.home')
    first.visits.served('alice.wia.home', { from: 'peer', peer: 'host' }, 64)
    await first.visits.stop()

    const second = counter(datastore)
    await second.visits.start()
    expect(second.visits.report('alice.wia.home', { hosts: ['host'] }).at(-1)).toEqual({ day: '2026-11-30', visits: 1, served: { host: 64, cache: 0, peers: 0 } })
    await second.visits.stop()

    // counts that aged out are gone from the datastore too
    const later = counter(datastore)
    later.clock.now += VISIT_DAYS * DAY_MS
    await later.visits.start()
    await later.visits.stop()
    expect(await all(datastore.queryKeys({}))).toEqual([])
  })
})
