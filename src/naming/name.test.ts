import { describe, it, expect } from 'vitest'
import { TLDS, formatName, hostnameOf, isTld, nameFromHost, parseName, siteOrigin, validateLabel } from './name.js'

describe('validateLabel', () => {
  it.each(['a', 'alice', 'my-site-2', '0', '2024', 'a'.repeat(63)])('accepts %j', (label) => {
    expect(() => { validateLabel(label) }).not.toThrow()
  })

  it.each([
    ['', 'empty', 'empty'],
    ['a'.repeat(64), 'length', 'more than 63'],
    ['Alice', 'characters', '"A"'],
    ['-a', 'hyphen', 'hyphen'],
    ['a-', 'hyphen', 'hyphen'],
    ['al_ice', 'characters', '"_"'],
    ['al.ice', 'characters', '"."'],
    ['\u0430lice', 'characters', '"\u0430"'],
    ['al ice', 'characters', '" "'],
    ['alicé', 'characters', 'outside a–z'],
    ['xn--80ak6aa92e', 'reserved', 'third and fourth']
  ])('rejects %j (rule %s)', (label, rule, message) => {
    expect(() => { validateLabel(label) }).toThrow(expect.objectContaining({
      name: 'InvalidNameError',
      rule,
      message: expect.stringContaining(message)
    }))
  })
})

describe('isTld', () => {
  it('accepts exactly the four WIA TLDs', () => {
    expect(TLDS.filter(isTld)).toEqual(['home', 'shop', 'blog', 'page'])
    expect(isTld('com')).toBe(false)
    expect(isTld('HOME')).toBe(false)
    expect(isTld('wia')).toBe(false)
  })
})

describe('formatName and parseName', () => {
  it.each(TLDS)('round-trips a name under .wia.%s', (tld) => {
    const name = formatName('my-site-2', tld)
    expect(name).toBe(`my-site-2.wia.${tld}`)
    expect(parseName(name)).toEqual({ label: 'my-site-2', tld })
  })

  it('formatName validates the label', () => {
    expect(() => formatName('Alice', 'home')).toThrow(expect.objectContaining({ name: 'InvalidNameError' }))
  })

  it.each([
    'alice.wia.com',
    'alice.home',
    'a.b.wia.home',
    'alice.wib.home',
    'Alice.wia.home',
    'alice.WIA.home',
    'alice.wia.HOME',
    'alice.wia.home.',
    '.wia.home',
    'alice',
    ''
  ])('parseName rejects %j', (name) => {
    expect(() => parseName(name)).toThrow(expect.objectContaining({ name: 'InvalidNameError' }))
  })
})

describe('hostnameOf', () => {
  it('lowercases a Host header and drops its port and IPv6 brackets', () => {
    expect(hostnameOf('Alice.wia.home.localhost:8080')).toBe('alice.wia.home.localhost')
    expect(hostnameOf('[::1]:443')).toBe('::1')
    expect(hostnameOf(undefined)).toBe('')
  })
})

describe('nameFromHost', () => {
  it.each([
    ['alice.wia.home.localhost:8080', 'localhost', 'alice.wia.home'],
    ['alice.wia.shop.localhost', 'localhost', 'alice.wia.shop'],
    ['ALICE.WIA.Blog.LocalHost:8080', 'localhost', 'alice.wia.blog'],
    ['alice.wia.page.example.org', 'example.org', 'alice.wia.page'],
    ['alice.wia.page.example.org', '.example.org', 'alice.wia.page'],
    ['alice.wia.home:8080', 'localhost', 'alice.wia.home'],
    ['alice.wia.home', 'localhost', 'alice.wia.home']
  ])('finds the name in %j (suffix %j)', (host, suffix, name) => {
    expect(nameFromHost(host, suffix)).toBe(name)
  })

  it.each([
    ['alice.wia.home.example.org', 'localhost'],
    ['alice.wia.home.localhost:8080', 'example.org'],
    ['localhost:8080', 'localhost'],
    ['localhost', 'localhost'],
    ['wia.home.localhost', 'localhost'],
    ['alice.wia.com.localhost', 'localhost'],
    ['a.b.wia.home.localhost', 'localhost'],
    ['-a.wia.home.localhost', 'localhost'],
    ['alice.wia.home.evil.localhost', 'localhost'],
    ['alice.wia.home.notlocalhost', 'localhost'],
    ['[::1]:8080', 'localhost'],
    ['127.0.0.1:8080', 'localhost']
  ])('returns null for %j (suffix %j)', (host, suffix) => {
    expect(nameFromHost(host, suffix)).toBeNull()
  })
})

describe('siteOrigin', () => {
  it('joins name, suffix and port', () => {
    expect(siteOrigin('alice.wia.home', { protocol: 'http:', suffix: 'localhost', port: '8080' })).toBe('http://alice.wia.home.localhost:8080')
  })

  it('accepts a protocol without the colon and omits an empty or missing port', () => {
    expect(siteOrigin('alice.wia.shop', { protocol: 'https', suffix: 'example.org' })).toBe('https://alice.wia.shop.example.org')
    expect(siteOrigin('alice.wia.shop', { protocol: 'https:', suffix: 'example.org', port: '' })).toBe('https://alice.wia.shop.example.org')
  })

  it('omits the default port of the protocol', () => {
    expect(siteOrigin('alice.wia.home', { protocol: 'https:', suffix: 'example.org', port: '443' })).toBe('https://alice.wia.home.example.org')
  })

  it('gives a bare host for an empty suffix', () => {
    expect(siteOrigin('alice.wia.home', { protocol: 'http:', suffix: '', port: '8080' })).toBe('http://alice.wia.home:8080')
  })

  it('round-trips with nameFromHost', () => {
    const origin = siteOrigin('bob.wia.blog', { protocol: 'http:', suffix: 'localhost', port: '5173' })
    expect(nameFromHost(new URL(origin).host, 'localhost')).toBe('bob.wia.blog')
  })

  it('rejects an invalid name', () => {
    expect(() => siteOrigin('evil.com/x', { protocol: 'http:', suffix: 'localhost' })).toThrow(expect.objectContaining({ name: 'InvalidNameError' }))
  })
})
