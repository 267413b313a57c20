import { describe, expect, it, vi } from 'vitest'
import { MAX_TXT_TTL_MS, MIN_TXT_TTL_MS, NEGATIVE_TXT_TTL_MS } from './constants.js'
import { createCustomDomains, dnsTxtResolver } from './txt-check.js'
import type { ResolveTxt, TxtRecord } from './txt-check.js'
import type { DNS } from '@multiformats/dns'

/** A stub DNS: TXT records by name, a clock, and a count of queries. */
function stubDns (zone: Record<string, TxtRecord[]>): { resolveTxt: ResolveTxt & { mock: { calls: unknown[][] } }, clock: { now: number } } {
  const clock = { now: 1_000_000 }
  const resolveTxt = vi.fn<ResolveTxt>(async (fqdn) => zone[fqdn] ?? [])
  return { resolveTxt, clock }
}

describe('CustomDomains TXT check', () => {
  it('maps a host to the site its _wia TXT record names', async () => {
    const { resolveTxt, clock } = stubDns({ '_wia.www.alice.example': [{ data: 'wia=alice.wia.home', ttl: 300 }] })
    const domains = createCustomDomains({}, { resolveTxt, now: () => clock.now })

    const result = await domains.lookup('WWW.Alice.Example:443')
    expect(result).toEqual({ ok: true, host: 'www.alice.example', txtName: '_wia.www.alice.example', siteName: 'alice.wia.home', expires: clock.now + 300_000 })
    expect(await domains.siteFor('www.alice.example')).toBe('alice.wia.home')
    expect(resolveTxt).toHaveBeenCalledTimes(1)
    expect(resolveTxt.mock.calls[0]?.[0]).toBe('_wia.www.alice.example')
  })

  it('ignores unrelated TXT records and repeats of the same value', async () => {
    const { resolveTxt } = stubDns({
      '_wia.alice.example': [
        { data: 'v=spf1 -all', ttl: 60 },
        { data: 'wia=alice.wia.home', ttl: 600 },
        { data: ' wia=alice.wia.home ', ttl: 120 }
      ]
    })
    const domains = createCustomDomains({}, { resolveTxt })
    const result = await domains.lookup('alice.example')
    expect(result.ok && result.siteName).toBe('alice.wia.home')
  })

  it('refuses a host with no record', async () => {
    const { resolveTxt, clock } = stubDns({ '_wia.www.alice.example': [{ data: 'something else', ttl: 300 }] })
    const domains = createCustomDomains({}, { resolveTxt, now: () => clock.now })

    expect(await domains.lookup('www.alice.example')).toEqual({
      ok: false, host: 'www.alice.example', txtName: '_wia.www.alice.example', reason: 'no-record', found: [], expires: clock.now + NEGATIVE_TXT_TTL_MS
    })
    await expect(domains.siteFor('www.alice.example')).rejects.toMatchObject({
      name: 'CustomDomainRefusedError', host: 'www.alice.example', txtName: '_wia.www.alice.example', reason: 'no-record', found: []
    })
  })

  it('refuses a record that names another site than the one asked about', async () => {
    const { resolveTxt } = stubDns({ '_wia.www.alice.example': [{ data: 'wia=bob.wia.home', ttl: 300 }] })
    const domains = createCustomDomains({}, { resolveTxt })

    expect(await domains.check('www.alice.example', 'alice.wia.home')).toMatchObject({ ok: false, reason: 'other-site', found: ['bob.wia.home'] })
    expect(await domains.check('www.alice.example', 'bob.wia.home')).toMatchObject({ ok: true, siteName: 'bob.wia.home' })
  })

  it('refuses a malformed site name', async () => {
    for (const value of ['wia=Alice.wia.home', 'wia=alice.example', 'wia=', 'wia=alice.wia.nope', 'wia=-alice.wia.home']) {
      const { resolveTxt } = stubDns({ '_wia.a.example': [{ data: value, ttl: 300 }] })
      const domains = createCustomDomains({}, { resolveTxt })
      expect(await domains.lookup('a.example'), value).toMatchObject({ ok: false, reason: 'malformed', found: [value.slice(4)] })
    }
  })

  it('refuses conflicting wia= records', async () => {
    const { resolveTxt } = stubDns({
      '_wia.a.example': [{ data: 'wia=alice.wia.home', ttl: 300 }, { data: 'wia=bob.wia.home', ttl: 300 }]
    })
    const domains = createCustomDomains({}, { resolveTxt })
    const result = await domains.lookup('a.example')
    expect(result).toMatchObject({ ok: false, reason: 'conflicting' })
    expect(!result.ok && [...result.found].sort()).toEqual(['alice.wia.home', 'bob.wia.home'])
  })

  it('refuses the relay\'s own domains, WIA site hosts and non-host names without asking DNS', async () => {
    const { resolveTxt } = stubDns({})
    const domains = createCustomDomains({ relayDomains: ['Relay.Example.org'] }, { resolveTxt })

    for (const host of ['relay.example.org', 'alice.wia.home.relay.example.org', 'x.relay.example.org:8443', 'alice.wia.home']) {
      expect(await domains.lookup(host), host).toMatchObject({ ok: false, reason: 'relay-domain' })
    }
    for (const host of ['127.0.0.1', '[::1]:443', 'localhost', 'bad_host.example', '-a.example', '']) {
      expect(await domains.lookup(host), host).toMatchObject({ ok: false, reason: 'invalid-host' })
    }
    // a lookalike that only ends with the same letters is not under the relay's domain
    await domains.lookup('notrelay.example.org')
    expect(resolveTxt).toHaveBeenCalledTimes(1)
    expect(resolveTxt.mock.calls[0]?.[0]).toBe('_wia.notrelay.example.org')
  })

  it('reuses an answer for its TTL, then asks DNS again', async () => {
    const zone: Record<string, TxtRecord[]> = { '_wia.a.example': [{ data: 'wia=alice.wia.home', ttl: 120 }] }
    const { resolveTxt, clock } = stubDns(zone)
    const domains = createCustomDomains({}, { resolveTxt, now: () => clock.now })

    await domains.lookup('a.example')
    clock.now += 119_000
    expect(await domains.siteFor('a.example')).toBe('alice.wia.home')
    expect(resolveTxt).toHaveBeenCalledTimes(1)

    // the owner moves the name to another site; seen once the TTL is over
    zone['_wia.a.example'] = [{ data: 'wia=bob.wia.home', ttl: 120 }]
    clock.now += 1_000
    expect(await domains.siteFor('a.example')).toBe('bob.wia.home')
    expect(resolveTxt).toHaveBeenCalledTimes(2)
  })

  it('clamps the TTL between its least and most', async () => {
    const zone: Record<string, TxtRecord[]> = {
      '_wia.short.example': [{ data: 'wia=alice.wia.home', ttl: 1 }],
      '_wia.long.example': [{ data: 'wia=alice.wia.home', ttl: 86_400 }]
    }
    const { resolveTxt, clock } = stubDns(zone)
    const domains = createCustomDomains({}, { resolveTxt, now: () => clock.now })

    expect((await domains.lookup('short.example')).expires).toBe(clock.now + MIN_TXT_TTL_MS)
    expect((await domains.lookup('long.example')).expires).toBe(clock.now + MAX_TXT_TTL_MS)
  })

  it('keeps a refusal briefly, then sees a record created since', async () => {
    vi.useFakeTimers({ now: 5_000_000 })
    try {
      const zone: Record<string, TxtRecord[]> = {}
      const { resolveTxt } = stubDns(zone)
      const domains = createCustomDomains({}, { resolveTxt })

      expect(await domains.lookup('a.example')).toMatchObject({ ok: false, reason: 'no-record' })
      zone['_wia.a.example'] = [{ data: 'wia=alice.wia.home', ttl: 300 }]

      vi.advanceTimersByTime(NEGATIVE_TXT_TTL_MS - 1)
      expect(await domains.lookup('a.example')).toMatchObject({ ok: false, reason: 'no-record' })
      expect(resolveTxt).toHaveBeenCalledTimes(1)

      vi.advanceTimersByTime(1)
      expect(await domains.lookup('a.example')).toMatchObject({ ok: true, siteName: 'alice.wia.home' })
      expect(resolveTxt).toHaveBeenCalledTimes(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('forget() drops a cached answer', async () => {
    const zone: Record<string, TxtRecord[]> = {}
    const { resolveTxt } = stubDns(zone)
    const domains = createCustomDomains({}, { resolveTxt })
    await domains.lookup('a.example')
    zone['_wia.a.example'] = [{ data: 'wia=alice.wia.home', ttl: 300 }]
    domains.forget('A.example')
    expect(await domains.lookup('a.example')).toMatchObject({ ok: true })
  })

  it('shares one DNS query among concurrent lookups of one host', async () => {
    let answer!: (records: TxtRecord[]) => void
    const resolveTxt = vi.fn<ResolveTxt>(async () => new Promise(resolve => { answer = resolve }))
    const domains = createCustomDomains({}, { resolveTxt })

    const lookups = [domains.lookup('a.example'), domains.lookup('A.EXAMPLE'), domains.siteFor('a.example:443')]
    await Promise.resolve()
    expect(resolveTxt).toHaveBeenCalledTimes(1)
    answer([{ data: 'wia=alice.wia.home', ttl: 300 }])

    const [first, second, site] = await Promise.all(lookups)
    expect(first).toMatchObject({ ok: true, siteName: 'alice.wia.home' })
    expect(second).toBe(first)
    expect(site).toBe('alice.wia.home')
    expect(resolveTxt).toHaveBeenCalledTimes(1)
  })

  it('lets one caller stop waiting without failing the shared query', async () => {
    let answer!: (records: TxtRecord[]) => void
    const resolveTxt = vi.fn<ResolveTxt>(async () => new Promise(resolve => { answer = resolve }))
    const domains = createCustomDomains({}, { resolveTxt })
    const controller = new AbortController()

    const impatient = domains.lookup('a.example', { signal: controller.signal })
    const patient = domains.lookup('a.example')
    controller.abort(new Error('gave up'))
    await expect(impatient).rejects.toThrow('gave up')

    answer([{ data: 'wia=alice.wia.home', ttl: 300 }])
    expect(await patient).toMatchObject({ ok: true })
  })

  it('reports a failed DNS lookup without caching it', async () => {
    const resolveTxt = vi.fn<ResolveTxt>()
      .mockRejectedValueOnce(new Error('SERVFAIL'))
      .mockResolvedValueOnce([{ data: 'wia=alice.wia.home', ttl: 300 }])
    const domains = createCustomDomains({}, { resolveTxt })

    await expect(domains.lookup('a.example')).rejects.toMatchObject({ name: 'TxtLookupFailedError', host: 'a.example', txtName: '_wia.a.example' })
    expect(await domains.lookup('a.example')).toMatchObject({ ok: true })
  })

  it('drops the oldest answers beyond maxCachedHosts', async () => {
    const { resolveTxt } = stubDns({})
    const domains = createCustomDomains({ maxCachedHosts: 2 }, { resolveTxt })
    await domains.lookup('a.example')
    await domains.lookup('b.example')
    await domains.lookup('c.example')
    await domains.lookup('b.example') // still cached
    expect(resolveTxt).toHaveBeenCalledTimes(3)
    await domains.lookup('a.example') // dropped, asked again
    expect(resolveTxt).toHaveBeenCalledTimes(4)
  })
})

describe('dnsTxtResolver', () => {
  it('reads TXT answers with their TTL, unquoting DNS-JSON strings', async () => {
    const resolver = {
      query: vi.fn(async () => ({
        Status: 0, TC: false, RD: true, RA: true, AD: false, CD: false, Question: [],
        Answer: [
          { name: '_wia.a.example', type: 5, TTL: 10, data: 'elsewhere.example' },
          { name: '_wia.a.example', type: 16, TTL: 42, data: 'wia=alice.wia.home' },
          { name: '_wia.a.example', type: 16, TTL: 43, data: '"wia=alice." "wia.home"' }
        ]
      }))
    } satisfies DNS
    const resolveTxt = dnsTxtResolver(resolver)
    expect(await resolveTxt('_wia.a.example', {})).toEqual([{ data: 'wia=alice.wia.home', ttl: 42 }, { data: 'wia=alice.wia.home', ttl: 43 }])
    expect(resolver.query).toHaveBeenCalledWith('_wia.a.example', expect.objectContaining({ types: 16, cached: false }))
  })

  it('turns @multiformats/dns "no answers" into no records, and passes other failures on', async () => {
    const empty = Object.assign(new AggregateError([Object.assign(new AggregateError([], 'none'), { name: 'EmptyDNSAnswerError' })], 'failed'), { name: 'DNSQueryFailedError' })
    expect(await dnsTxtResolver({ query: async () => { throw empty } })('x', {})).toEqual([])

    const failed = Object.assign(new AggregateError([new Error('timeout')], 'failed'), { name: 'DNSQueryFailedError' })
    await expect(dnsTxtResolver({ query: async () => { throw failed } })('x', {})).rejects.toBe(failed)
  })
})
