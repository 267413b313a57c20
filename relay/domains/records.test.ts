import { describe, expect, it } from 'vitest'
import { isAtOrUnder, normalizeHost } from './host.js'
import { customDomainRecords } from './records.js'

describe('customDomainRecords', () => {
  it('asks for the TXT record and a CNAME to the relay for a subdomain', () => {
    expect(customDomainRecords('WWW.alice.example', 'alice.wia.home', 'relay.example.org')).toEqual([
      { type: 'TXT', name: '_wia.www.alice.example', value: 'wia=alice.wia.home', ttl: 3600, zoneLine: '_wia.www.alice.example. 3600 IN TXT "wia=alice.wia.home"' },
      { type: 'CNAME', name: 'www.alice.example', value: 'relay.example.org', ttl: 3600, zoneLine: 'www.alice.example. 3600 IN CNAME relay.example.org.' }
    ])
  })

  it('asks for A/AAAA records at an apex when the relay\'s addresses are known, else an ALIAS', () => {
    const withAddresses = customDomainRecords('alice.example', 'alice.wia.home', 'relay.example.org', { relayAddresses: ['203.0.113.7', '2001:db8::7'] })
    expect(withAddresses.map(r => [r.type, r.name, r.value])).toEqual([
      ['TXT', '_wia.alice.example', 'wia=alice.wia.home'],
      ['A', 'alice.example', '203.0.113.7'],
      ['AAAA', 'alice.example', '2001:db8::7']
    ])
    expect(customDomainRecords('alice.example', 'alice.wia.home', 'relay.example.org')[1]).toMatchObject({ type: 'ALIAS', value: 'relay.example.org' })
    expect(customDomainRecords('alice.co.uk', 'alice.wia.home', 'relay.example.org', { apex: true })[1]).toMatchObject({ type: 'ALIAS' })
    expect(customDomainRecords('alice.example', 'alice.wia.home', 'relay.example.org', { apex: false })[1]).toMatchObject({ type: 'CNAME' })
  })

  it('rejects a bad host or site name', () => {
    expect(() => customDomainRecords('127.0.0.1', 'alice.wia.home', 'relay.example.org')).toThrow(expect.objectContaining({ name: 'InvalidHostError' }))
    expect(() => customDomainRecords('www.alice.example', 'alice.wia.home', 'localhost')).toThrow(expect.objectContaining({ name: 'InvalidHostError' }))
    expect(() => customDomainRecords('www.alice.example', 'alice.example', 'relay.example.org')).toThrow(expect.objectContaining({ name: 'InvalidNameError' }))
  })
})

describe('normalizeHost', () => {
  it('lowercases and drops the port and trailing dot', () => {
    expect(normalizeHost('WWW.Alice.Example.:8443')).toBe('www.alice.example')
    expect(normalizeHost('xn--bcher-kva.example')).toBe('xn--bcher-kva.example')
  })

  it('rejects addresses and names that are not DNS host names', () => {
    for (const host of ['', 'localhost', '10.0.0.1', '10.0.0.1:80', '[::1]', '::1', 'a..example', 'a_b.example', 'ä.example', `${'a'.repeat(64)}.example`, `${'a.'.repeat(127)}example`]) {
      expect(normalizeHost(host), host).toBeNull()
    }
  })

  it('tells names under a domain from lookalikes', () => {
    expect(isAtOrUnder('a.relay.example', 'relay.example')).toBe(true)
    expect(isAtOrUnder('relay.example', 'relay.example')).toBe(true)
    expect(isAtOrUnder('notrelay.example', 'relay.example')).toBe(false)
  })
})
