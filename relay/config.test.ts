import { describe, expect, it } from 'vitest'
import { readConfig, toBytes } from './config.js'

describe('relay configuration', () => {
  it('reads cache sizes with or without a unit', () => {
    expect(toBytes('1048576', 1, 'cache-size')).toBe(1048576)
    expect(toBytes('500MB', 1, 'cache-size')).toBe(500_000_000)
    expect(toBytes('1 GiB', 1, 'cache-size')).toBe(1024 ** 3)
    expect(toBytes('0', 1, 'cache-size')).toBe(0)
    expect(toBytes(undefined, 7, 'cache-size')).toBe(7)
  })

  it.each(['-1', 'lots', '5 parsecs', '1e9'])('refuses the cache size %s with a message that shows the form', (value) => {
    expect(() => readConfig([`--cache-size=${value}`], {})).toThrow(/--cache-size must be a size in bytes, like 1073741824, 500MB or 1GiB/)
  })

  it('defaults to a 1 GiB cache and 3 hot visits', () => {
    expect(readConfig([], {})).toMatchObject({ cacheSize: 1024 ** 3, hotVisits: 3 })
    expect(readConfig(['--hot-visits', '5'], { CACHE_SIZE: '2MiB' })).toMatchObject({ cacheSize: 2 * 1024 ** 2, hotVisits: 5 })
  })
})

describe('relay configuration, public mode', () => {
  const tls = ['--tls-cert', '/etc/wia/fullchain.pem', '--tls-key', '/etc/wia/privkey.pem']

  it('keeps the local defaults of npm start without --public-domain', () => {
    const config = readConfig([], {})
    expect(config).toMatchObject({ host: '127.0.0.1', httpPort: 8080, relayPort: 9090, gatewaySuffix: 'localhost' })
    expect(config.public).toBeUndefined()
  })

  it('serves HTTPS on 443 and redirects from 80 on every interface, with the domain as the site suffix', () => {
    const config = readConfig(['--public-domain', 'Example.org', ...tls], {})
    expect(config).toMatchObject({ host: '0.0.0.0', httpPort: 443, relayPort: 0, gatewaySuffix: 'example.org' })
    expect(config.public).toMatchObject({
      domain: 'example.org',
      tls: { mode: 'own', certFile: '/etc/wia/fullchain.pem', keyFile: '/etc/wia/privkey.pem', redirectPort: 80 },
      announce: [],
      acmeDirectory: 'https://acme-v02.api.letsencrypt.org/directory',
      customDomains: false
    })
  })

  it('reads the public settings from the environment too', () => {
    const config = readConfig([], {
      PUBLIC_DOMAIN: 'example.org',
      TLS_CERT: 'c.pem',
      TLS_KEY: 'k.pem',
      HTTP_PORT: '8081',
      WIA_ANNOUNCE: '/dns4/relay.example.org/tcp/443/tls/ws, /dns6/relay.example.org/tcp/443/tls/ws',
      ACME_EMAIL: 'ops@example.org',
      CUSTOM_DOMAINS: 'true'
    })
    expect(config.public).toMatchObject({
      tls: { mode: 'own', certFile: 'c.pem', keyFile: 'k.pem', redirectPort: 8081 },
      announce: ['/dns4/relay.example.org/tcp/443/tls/ws', '/dns6/relay.example.org/tcp/443/tls/ws'],
      acmeEmail: 'ops@example.org',
      customDomains: true
    })
  })

  it('refuses public mode without a certificate, naming the flag', () => {
    expect(() => readConfig(['--public-domain', 'example.org'], {})).toThrow(/--tls-cert is required with --public-domain/)
    expect(() => readConfig(['--public-domain', 'example.org', '--tls-cert', 'c.pem'], {})).toThrow(/--tls-key is required/)
  })

  it('behind a reverse proxy: plain HTTP on loopback 8080, no certificate, and X-Forwarded-For believed from loopback only', () => {
    const config = readConfig(['--public-domain', 'example.org', '--behind-proxy'], {})
    expect(config).toMatchObject({ host: '127.0.0.1', httpPort: 8080, relayPort: 0, gatewaySuffix: 'example.org' })
    expect(config.public).toMatchObject({ domain: 'example.org', tls: { mode: 'proxy', trustedProxies: ['loopback'] } })

    const fromEnv = readConfig([], { PUBLIC_DOMAIN: 'example.org', BEHIND_PROXY: '1', WIA_TRUSTED_PROXIES: '10.0.0.2, 192.0.2.0/24', HOST: '10.0.0.3' })
    expect(fromEnv.host).toBe('10.0.0.3')
    expect(fromEnv.public?.tls).toEqual({ mode: 'proxy', trustedProxies: ['10.0.0.2', '192.0.2.0/24'] })
  })

  it('refuses what a relay behind a proxy cannot use, naming the flag', () => {
    expect(() => readConfig(['--behind-proxy'], {})).toThrow(/--behind-proxy needs --public-domain/)
    expect(() => readConfig(['--public-domain', 'example.org', '--behind-proxy', ...tls], {})).toThrow(/--tls-cert does not go with --behind-proxy/)
    expect(() => readConfig(['--public-domain', 'example.org', '--behind-proxy', '--http-port', '80'], {})).toThrow(/--http-port does not go with --behind-proxy/)
    expect(() => readConfig(['--public-domain', 'example.org', '--behind-proxy', '--trusted-proxy', 'proxy.example.org'], {})).toThrow(/--trusted-proxy takes addresses/)
  })

  it.each(['https://example.org', 'example.org:443', 'example.org/app', 'localhost', 'bad-.org'])('refuses the public domain %s', value => {
    expect(() => readConfig([`--public-domain=${value}`, ...tls], {})).toThrow(/--public-domain must be a domain name like example.org/)
  })
})

describe('relay gateways told to site workers', () => {
  it('reads base URLs and ends them in /_wia/', () => {
    expect(readConfig(['--relay-gateway', 'https://relay2.example.org', '--relay-gateway', 'http://localhost:8081/_wia/'], {}).relayGateways)
      .toEqual(['https://relay2.example.org/_wia/', 'http://localhost:8081/_wia/'])
    expect(readConfig([], { WIA_RELAY_GATEWAYS: 'https://a.example.org/_wia' }).relayGateways).toEqual(['https://a.example.org/_wia/'])
  })

  it.each(['relay2.example.org', 'ftp://example.org/'])('refuses %s', value => {
    expect(() => readConfig(['--relay-gateway', value], {})).toThrow(/--relay-gateway must be/)
  })
})

describe('relay configuration, test clock', () => {
  it('takes a simulated clock from the environment in local mode', () => {
    expect(readConfig([], { WIA_TEST_CLOCK_SCALE: '86400', WIA_TEST_CLOCK_EPOCH_MS: '1000' }).testClock).toEqual({ scale: 86_400, epochMs: 1000, offsetMs: 0 })
    expect(readConfig([], {}).testClock).toBeUndefined()
  })

  it('refuses it in public mode', () => {
    expect(() => readConfig(['--public-domain', 'example.org', '--tls-cert', 'c.pem', '--tls-key', 'k.pem'], { WIA_TEST_CLOCK_OFFSET_MS: '86400000' }))
      .toThrow(/a public relay runs on the real clock only/)
  })
})
