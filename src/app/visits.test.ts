import { describe, expect, it } from 'vitest'
import { fakeRelayFetch as relays } from '../../test/fixtures/relay-fetch.js'
import { fetchVisits, relayBases } from './visits.js'

/** A relay's answer: `visits` and `served` on each of the given days. */
function report (days: Array<[string, number, number, number, number]>): unknown {
  return { name: 'alice.wia.home', days: days.map(([day, visits, host, cache, peers]) => ({ day, visits, served: { host, cache, peers } })) }
}

describe('fetchVisits', () => {
  it('adds up every relay\'s counts by day, naming this device as the host', async () => {
    const { fetch, asked } = relays({
      'http://a.test/_wia/': report([['2026-11-29', 1, 0, 10, 0], ['2026-11-30', 2, 100, 20, 0]]),
      'http://b.test/_wia/': report([['2026-11-29', 0, 0, 0, 0], ['2026-11-30', 1, 0, 5, 7]])
    })
    const summary = await fetchVisits('alice.wia.home', { bases: ['http://a.test/_wia/', 'http://b.test/_wia/'], hosts: ['12D3KooWMe'], fetch })
    expect(asked).toEqual(['http://a.test/_wia/visits/alice.wia.home?host=12D3KooWMe', 'http://b.test/_wia/visits/alice.wia.home?host=12D3KooWMe'])
    expect(summary.days).toEqual([
      { day: '2026-11-29', visits: 1, served: { host: 0, cache: 10, peers: 0 } },
      { day: '2026-11-30', visits: 3, served: { host: 100, cache: 25, peers: 7 } }
    ])
    expect(summary.total).toBe(4)
    expect(summary.served).toEqual({ host: 100, cache: 35, peers: 7 })
    expect(summary.relays).toEqual({ answered: 2, asked: 2 })
  })

  it('leaves out a relay that fails or answers nonsense, and fails only when none answered', async () => {
    const { fetch } = relays({ 'http://a.test/_wia/': report([['2026-11-30', 2, 0, 0, 0]]), 'http://c.test/_wia/': { days: [{ day: 'today', visits: -1 }] } })
    const summary = await fetchVisits('alice.wia.home', { bases: ['http://a.test/_wia/', 'http://b.test/_wia/', 'http://c.test/_wia/'], hosts: [], fetch })
    expect(summary.total).toBe(2)
    expect(summary.relays).toEqual({ answered: 1, asked: 3 })
    await expect(fetchVisits('alice.wia.home', { bases: ['http://b.test/_wia/'], hosts: [], fetch })).rejects.toMatchObject({ name: 'VisitsUnavailableError', siteName: 'alice.wia.home' })
  })
})

describe('relayBases', () => {
  it('asks the app origin\'s relay first, then the other relays, each once', () => {
    expect(relayBases('http://localhost:8080', { gateways: ['http://b.test/_wia/', 'http://localhost:8080/_wia/'] })).toEqual(['http://localhost:8080/_wia/', 'http://b.test/_wia/'])
  })
})
