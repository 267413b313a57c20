import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { CustomDomainService } from './custom-domain-service.js'
import type { CustomDomainLookup } from './domains/index.js'

const log = pino({ level: 'silent' })

function service (lookup: (host: string) => CustomDomainLookup | Error, registered: string[], issued: string[] = []): CustomDomainService {
  return new CustomDomainService({
    domains: {
      lookup: async host => {
        const answer = lookup(host)
        if (answer instanceof Error) throw answer
        return answer
      },
      forget: () => {}
    },
    relayHost: 'example.test',
    certificates: {
      certificateFor: async host => {
        issued.push(host)
        throw new Error('no CA in this test')
      },
      challengeResponse: (host, token) => `${host}:${token}`
    },
    isRegistered: async name => registered.includes(name),
    log
  })
}

const mapped = (host: string, siteName: string): CustomDomainLookup => ({ ok: true, host, txtName: `_wia.${host}`, expires: Date.now() + 60_000, siteName })

describe('CustomDomainService', () => {
  it('serves a domain whose TXT record names a registered site', async () => {
    const domains = service(host => mapped(host, 'alice.wia.home'), ['alice.wia.home'])
    expect(await domains.siteFor('www.alice.test')).toEqual({ ok: true, host: 'www.alice.test', txtName: '_wia.www.alice.test', site: 'alice.wia.home' })
    expect(await domains.plainHttp('www.alice.test')).toEqual({ redirect: true })
  })

  it('refuses a domain without a TXT record with a page naming the record to create, and orders no certificate', async () => {
    const issued: string[] = []
    const domains = service(host => ({ ok: false, host, txtName: `_wia.${host}`, expires: 0, reason: 'no-record', found: [] }), [], issued)
    const answer = await domains.plainHttp('www.carol.test')
    expect(answer).toMatchObject({ redirect: false, status: 404 })
    expect(answer.redirect ? '' : answer.html).toContain('_wia.www.carol.test (TXT) is missing')
    expect(await domains.secureContext('www.carol.test')).toBeUndefined()
    expect(issued).toEqual([])
  })

  it('refuses a domain whose record names a site no one registered', async () => {
    const issued: string[] = []
    const domains = service(host => mapped(host, 'nobody.wia.home'), ['alice.wia.home'], issued)
    const site = await domains.siteFor('www.bob.test')
    expect(site).toMatchObject({ ok: false, reason: 'not-registered', found: ['nobody.wia.home'] })
    const answer = await domains.plainHttp('www.bob.test')
    expect(answer.redirect ? '' : answer.html).toContain('names nobody.wia.home, but no one has registered that name')
    expect(await domains.secureContext('www.bob.test')).toBeUndefined()
    expect(issued).toEqual([])
  })

  it('says DNS failed (502) rather than that the record is missing when the lookup throws', async () => {
    const domains = service(() => new Error('SERVFAIL'), [])
    expect(await domains.plainHttp('www.dave.test')).toMatchObject({ redirect: false, status: 502 })
  })

  it('tells an owner the records to create and whether they name their site', async () => {
    const domains = service(host => mapped(host, 'bob.wia.home'), ['alice.wia.home', 'bob.wia.home'])
    const check = await domains.check('www.alice.test', 'alice.wia.home')
    expect(check.records.map(r => r.zoneLine)).toEqual([
      '_wia.www.alice.test. 3600 IN TXT "wia=alice.wia.home"',
      'www.alice.test. 3600 IN CNAME example.test.'
    ])
    expect(check.status).toMatchObject({ ok: false, reason: 'other-site', found: ['bob.wia.home'] })
    expect((await domains.check('www.alice.test', 'bob.wia.home')).status).toMatchObject({ ok: true, site: 'bob.wia.home' })
  })

  it('asks for a certificate only for a domain that checks out, and answers ACME challenges', async () => {
    const issued: string[] = []
    const domains = service(host => mapped(host, 'alice.wia.home'), ['alice.wia.home'], issued)
    expect(await domains.secureContext('www.alice.test')).toBeUndefined() // the test CA refuses
    expect(issued).toEqual(['www.alice.test'])
    expect(domains.challengeResponse('www.alice.test', 'tok')).toBe('www.alice.test:tok')
  })

  it('behind a reverse proxy (no certificates of its own): serves the domains that check out, orders nothing, answers no challenge', async () => {
    const domains = new CustomDomainService({
      domains: { lookup: async host => mapped(host, 'alice.wia.home'), forget: () => {} },
      relayHost: 'example.test',
      isRegistered: async name => name === 'alice.wia.home',
      log
    })
    expect(await domains.siteFor('www.alice.test')).toMatchObject({ ok: true, site: 'alice.wia.home' })
    expect(await domains.secureContext('www.alice.test')).toBeUndefined()
    expect(domains.challengeResponse('www.alice.test', 'tok')).toBeUndefined()
  })
})
