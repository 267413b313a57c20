import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { BINARY_BYTES, makeTestSite } from './support/fixtures.js'
import { networkSkipReason, startTestNetwork } from './support/network.js'
import { reverseProxySkipReason, startReverseProxy } from './support/reverse-proxy.js'
import { expectHeadingEventually, expectRelayCopy, hostSite, uniqueLabel, visitSite } from './support/site.js'
import type { TestNetwork } from './support/network.js'
import type { ReverseProxy } from './support/reverse-proxy.js'
import type { RelayProcess } from './support/relay-process.js'
import type { Browser, BrowserContext, Page } from '@playwright/test'

/**
 * A public relay behind a TLS-terminating reverse proxy (README "Behind a
 * reverse proxy"): real nginx, then real Caddy, each running the file
 * `deploy/` ships, take HTTPS and `wss` on 443 of the test network's cloud
 * and pass them to a relay started with `--behind-proxy` on the namespace's
 * loopback; the owner's browser and a phone sit behind their own NATs.
 */

/** The relay's plain HTTP port inside the cloud namespace, where the shipped nginx file points. */
const RELAY_HTTP_PORT = 8080

const skip = networkSkipReason() ?? reverseProxySkipReason()
test.skip(skip != null, `test network unavailable: ${skip}`)
test.describe.configure({ mode: 'serial', retries: 0 })

let net: TestNetwork | undefined
let proxy: ReverseProxy | undefined
let relay: RelayProcess | undefined
let home: Browser
let phone: Browser
let owner: Page
let folder: string
const contexts: BrowserContext[] = []
const label = uniqueLabel('proxied')
const name = `${label}.wia.home`

/** `https://<name>.example.test<path>` */
const siteAt = (path: string): string => `https://${name}.${net!.env.WIA_DOMAIN}${path}`

test.beforeAll(async () => {
  test.setTimeout(180_000)
  // a prefix of its own: network.spec.ts's network may be up in the other worker
  net = await startTestNetwork('wiae2p')
  // debug: the relay logs each peer's connection with the address libp2p sees
  relay = await net.startRelayBehindProxy(RELAY_HTTP_PORT, ['--custom-domains'], { LOG_LEVEL: 'debug' })
  proxy = await startReverseProxy(net, 'nginx', RELAY_HTTP_PORT)
  home = await net.launchBrowser('home')
  phone = await net.launchBrowser('phone')
  folder = await makeTestSite()
})

test.afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {})
  await proxy?.stop().catch(() => {})
  await relay?.stop().catch(() => {})
  await net?.down()
})

test('the owner hosts a site through nginx, libp2p sees the owner\'s own address, and a phone opens the site over HTTPS', async () => {
  test.setTimeout(180_000)
  expect(relay!.appUrl).toBe(`https://${net!.env.WIA_DOMAIN}/`)
  const ownerContext = await home.newContext()
  contexts.push(ownerContext)
  owner = await ownerContext.newPage()
  const href = await hostSite(owner, { app: relay!.appUrl, label, folder })
  expect(href).toBe(siteAt('/'))
  // the relay fetched the site from the owner's tab over libp2p's wss, through nginx
  await expectRelayCopy(owner)

  // the owner's browser reached the relay as its home router's address, not as nginx on loopback
  const connects = relay!.output.flatMap(line => {
    try {
      const entry = JSON.parse(line) as { event?: string, remoteAddr?: string }
      return entry.event === 'peer.connect' && entry.remoteAddr != null ? [entry.remoteAddr] : []
    } catch {
      return []
    }
  })
  expect(connects).toContainEqual(expect.stringMatching(new RegExp(`^/ip4/${net!.env.WIA_HOME_PUBLIC_IP.replaceAll('.', '\\.')}/tcp/0/ws`)))
  expect(connects.filter(addr => addr.startsWith('/ip4/127.'))).toEqual([])

  const visitorContext = await phone.newContext()
  contexts.push(visitorContext)
  const visitor = await visitorContext.newPage()
  const response = await visitSite(visitor, siteAt('/'))
  expect(response.status()).toBe(200)
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('Hello from a WIA site')
  expect(await visitor.evaluate(() => window.isSecureContext && location.protocol)).toBe('https:')
  // the logo came through the worker, verified, over the proxied relay
  await expect.poll(() => visitor.locator('#logo').evaluate(img => (img as HTMLImageElement).naturalWidth)).toBe(192)
})

test('plain HTTP clients through nginx: port 80 redirects, and curl gets pages, byte ranges, 304s and the site\'s own 404', async () => {
  const redirect = await net!.curl('phone', `http://${name}.${net!.env.WIA_DOMAIN}/docs/`)
  expect(redirect.status).toBe(301)
  expect(redirect.headers.location).toBe(siteAt('/docs/'))

  const page = await net!.curl('phone', siteAt('/docs/'))
  expect(page.status).toBe(200)
  expect(page.headers['content-type']).toMatch(/^text\/html/)
  expect(page.body.toString()).toBe(await readFile(join(folder, 'docs/index.html'), 'utf8'))

  const blob = await readFile(join(folder, 'data/blob.bin'))
  const start = BINARY_BYTES - 300_000
  const range = await net!.curl('phone', siteAt('/data/blob.bin'), { range: `bytes=${start}-${start + 99_999}` })
  expect(range.status).toBe(206)
  expect(range.headers['content-range']).toBe(`bytes ${start}-${start + 99_999}/${BINARY_BYTES}`)
  expect(range.body.equals(blob.subarray(start, start + 100_000))).toBe(true)

  const whole = await net!.curl('phone', siteAt('/data/blob.bin'))
  expect(whole.status).toBe(200)
  expect(whole.body.equals(blob)).toBe(true)
  const etag = whole.headers.etag
  expect(etag).toBeTruthy()
  const again = await net!.curl('phone', siteAt('/data/blob.bin'), { 'if-none-match': etag! })
  expect(again.status).toBe(304)
  expect(again.body.byteLength).toBe(0)

  const missing = await net!.curl('phone', siteAt('/no/such/page'))
  expect(missing.status).toBe(404)
  expect(missing.body.toString()).toContain('This site has no such page')

  const health = await net!.curl('home', `https://${net!.env.WIA_DOMAIN}/_wia/health`)
  expect(health.status).toBe(200)
  expect(JSON.parse(health.body.toString())).toMatchObject({ mode: 'public' })
})

test('custom domains behind Caddy: it asks the relay before ordering a certificate, and the phone opens the site on a domain whose records check out', async () => {
  test.setTimeout(120_000)
  const ip = net!.env.WIA_CLOUD_IP
  await net!.dns([
    `address=/www.alice.test/${ip}`,
    `txt-record=_wia.www.alice.test,"wia=${name}"`,
    `address=/www.carol.test/${ip}`
  ])
  // the on-demand question, as Caddy asks it from beside the relay: by IP address, which is never taken for a custom domain
  const relayAt = `http://127.0.0.1:${RELAY_HTTP_PORT}`
  expect((await net!.curl('cloud', `${relayAt}/_wia/domain-check?domain=www.alice.test`)).status).toBe(200)
  expect((await net!.curl('cloud', `${relayAt}/_wia/domain-check?domain=www.carol.test`)).status).toBe(404)

  await proxy!.stop()
  proxy = await startReverseProxy(net!, 'caddy', RELAY_HTTP_PORT)
  const context = await phone.newContext()
  contexts.push(context)
  const visitor = await context.newPage()
  // Caddy orders the certificate from the test network's ACME CA during this first handshake
  const response = await visitSite(visitor, 'https://www.alice.test/', { timeout: 60_000 }).catch(async err => {
    throw new Error(`Caddy: ${await proxy!.log()}`, { cause: err })
  })
  expect(response.status()).toBe(200)
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('Hello from a WIA site')
  await expect.poll(() => visitor.locator('#logo').evaluate(img => (img as HTMLImageElement).naturalWidth)).toBe(192)

  // no certificate for a domain the relay said no to: the handshake fails
  await expect(visitor.goto('https://www.carol.test/')).rejects.toThrow(/ERR_/)
  // the relay's own names go through Caddy too, with the shipped certificate
  await expectHeadingEventually(await phone.newPage(), siteAt('/'), 'Hello from a WIA site')
})
