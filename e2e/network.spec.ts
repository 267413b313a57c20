import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { siteSaying } from './support/fixtures.js'
import { networkSkipReason, startTestNetwork } from './support/network.js'
import { expectHeadingEventually, expectRelayCopy, fetchDigest, fileDigest, hostSite, openHostForm, publishFolder, uniqueLabel, visitSite } from './support/site.js'
import type { TestNetwork } from './support/network.js'
import type { RelayProcess } from './support/relay-process.js'
import type { Browser, BrowserContext, BrowserContextOptions, Page } from '@playwright/test'

/**
 * wia-home on a real network (e2e/net/): a public relay with TLS and a DNS
 * server in "the cloud", the owner's browser behind one NAT at home, a
 * phone's browser behind another. Names resolve through dnsmasq, browsers
 * trust the test CA and pebble's root through their NSS databases: no
 * certificate, resolver or insecure-origin flags.
 */

/** The reveal.js npm package folder (demo.html, dist/, plugins): real input. */
const REVEAL_DIR = resolve('node_modules/reveal.js')
/** Files of the demo whose bytes the phone must get exactly. */
const REVEAL_FILES = ['demo.html', 'dist/reveal.js', 'dist/reveal.css', 'dist/theme/black.css', 'dist/plugin/highlight.js']
/** A phone: 390×844 CSS pixels, touch. */
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true }

const skip = networkSkipReason()
test.skip(skip != null, `test network unavailable: ${skip}`)
test.describe.configure({ mode: 'serial', retries: 0 })

let net: TestNetwork | undefined
let relay: RelayProcess | undefined
let home: Browser
let phone: Browser
let owner: BrowserContext
let ownerPage: Page
const contexts: BrowserContext[] = []
const label = uniqueLabel('reveal')
const name = `${label}.wia.home`

/** `https://<name>.wia.home.example.test<path>` */
const siteAt = (path: string): string => `https://${name}.${net!.env.WIA_DOMAIN}${path}`

async function phonePage (): Promise<Page> {
  const context = await phone.newContext(PHONE)
  contexts.push(context)
  return await context.newPage()
}

/** The phone opens the demo and checks it rendered with its CSS, fonts and scripts, and that files match the disk. */
async function expectRevealDemo (page: Page, url: string): Promise<void> {
  const response = await visitSite(page, url)
  expect(response.status()).toBe(200)
  await expect.poll(async () => page.evaluate(() => (window as unknown as { Reveal?: { isReady?: () => boolean } }).Reveal?.isReady?.() === true), { timeout: 30_000 }).toBe(true)
  // on a phone reveal.js lays the slides out as a scrolling page (its scroll view under 435 px)
  await expect(page.getByRole('heading', { name: 'The HTML Presentation Framework' })).toBeVisible()
  const styles = await page.evaluate(async () => {
    await document.fonts.ready
    return {
      background: getComputedStyle(document.querySelector('.reveal-viewport') ?? document.body).backgroundColor,
      fonts: [...document.fonts].filter(font => font.status === 'loaded').length
    }
  })
  expect(styles.background).toBe('rgb(25, 25, 25)')
  expect(styles.fonts).toBeGreaterThan(0)
  for (const path of REVEAL_FILES) {
    const served = await fetchDigest(page, `/${path}`)
    expect(served.status, path).toBe(200)
    expect({ length: served.length, sha256: served.sha256 }, path).toEqual(await fileDigest(resolve(REVEAL_DIR, path)))
  }
}

test.beforeAll(async () => {
  test.setTimeout(180_000)
  net = await startTestNetwork()
  relay = await net.startRelay()
  home = await net.launchBrowser('home')
  phone = await net.launchBrowser('phone')
})

test.afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {})
  await relay?.stop().catch(() => {})
  await net?.down()
})

test('home publishes the reveal.js demo; a phone behind another NAT opens it over HTTPS by its name', async () => {
  test.setTimeout(180_000)
  owner = await home.newContext()
  contexts.push(owner)
  ownerPage = await owner.newPage()
  const href = await hostSite(ownerPage, { app: relay!.appUrl, label, folder: REVEAL_DIR })
  expect(relay!.appUrl).toBe(`https://${net!.env.WIA_DOMAIN}/`)
  expect(href).toBe(siteAt('/'))
  await expectRelayCopy(ownerPage)

  const visitor = await phonePage()
  await expectRevealDemo(visitor, siteAt('/demo.html'))
  expect(await visitor.evaluate(() => window.isSecureContext && location.protocol)).toBe('https:')
})

test('browsers and curl speak HTTP/2 to the relay: curl gets the demo\'s files, byte ranges, 304s and 404s', async () => {
  // the phone's Chromium: a page of the relay's own origin, loaded from the network
  const page = await phonePage()
  await page.goto(relay!.appUrl)
  expect(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).nextHopProtocol)).toBe('h2')

  const script = await readFile(resolve(REVEAL_DIR, 'dist/reveal.js'))
  const whole = await net!.curl('phone', siteAt('/dist/reveal.js'))
  expect({ protocol: whole.protocol, status: whole.status }).toEqual({ protocol: 'HTTP/2', status: 200 })
  expect(whole.headers['content-type']).toMatch(/^text\/javascript/)
  expect(whole.body.equals(script)).toBe(true)

  const range = await net!.curl('phone', siteAt('/dist/reveal.js'), { range: 'bytes=1000-1999' })
  expect({ protocol: range.protocol, status: range.status }).toEqual({ protocol: 'HTTP/2', status: 206 })
  expect(range.headers['content-range']).toBe(`bytes 1000-1999/${script.byteLength}`)
  expect(range.body.equals(script.subarray(1000, 2000))).toBe(true)

  const again = await net!.curl('phone', siteAt('/dist/reveal.js'), { 'if-none-match': whole.headers.etag! })
  expect({ protocol: again.protocol, status: again.status, bytes: again.body.byteLength }).toEqual({ protocol: 'HTTP/2', status: 304, bytes: 0 })

  const missing = await net!.curl('phone', siteAt('/no/such/page'))
  expect({ protocol: missing.protocol, status: missing.status }).toEqual({ protocol: 'HTTP/2', status: 404 })
})

test('the app installs on the phone and its shell opens offline', async () => {
  const context = await net!.launchPersistent('phone', PHONE)
  contexts.push(context)
  const page = await context.newPage()
  // typed without https://: port 80 redirects
  await page.goto(`http://${net!.env.WIA_DOMAIN}/`)
  expect(page.url()).toBe(relay!.appUrl)
  await expect(page.getByRole('button', { name: 'Host' })).toBeVisible()
  await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL), { timeout: 30_000 })
    .toBe(new URL('/app-shell.js', relay!.appUrl).toString())
  const cdp = await page.context().newCDPSession(page)
  await expect.poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors.map(e => e.errorId), { timeout: 30_000 })
    .toEqual([])

  await page.context().setOffline(true)
  await page.reload()
  await expect(page.getByRole('button', { name: 'Host' })).toBeVisible()
  await page.context().setOffline(false)
})

test('the relay is killed and started again: the host takes its reservation again and visitors get its sites', async () => {
  test.setTimeout(240_000)
  const status = ownerPage.locator('header')
  await expect(status).toContainText('Online')
  relay!.process.kill('SIGKILL')
  await expect(status).toContainText('visitors cannot reach this device', { timeout: 60_000 })

  const restartedAt = Date.now()
  relay = await relay!.startAgain()
  const relayUpMs = Date.now() - restartedAt
  const visitor = await phonePage()
  let servedMs: number | undefined
  visitor.on('response', res => {
    if (servedMs == null && res.request().isNavigationRequest() && res.fromServiceWorker() && res.status() === 200) {
      servedMs = Date.now() - restartedAt
    }
  })
  await expect.poll(async () => {
    try {
      return (await visitSite(visitor, siteAt('/demo.html'), { timeout: 10_000 })).status()
    } catch {
      return 0
    }
  }, { timeout: 60_000, intervals: [250] }).toBe(200)
  // measurements for the record (closing notes), not pass conditions: the
  // relay printing its addresses, the worker answering the navigation, the
  // page loaded (its four external images fail on this network first)
  const figures = `relay up ${relayUpMs} ms, page served ${servedMs} ms, page loaded ${Date.now() - restartedAt} ms after the restart`
  test.info().annotations.push({ type: 'relay restart to first served visit', description: figures })
  console.log(`relay restart to first served visit: ${figures}`)
  await expect(status).toContainText('Online', { timeout: 60_000 })
  // the app's own origin asks the relay (Playwright's request API runs outside the namespaces)
  const health = await ownerPage.evaluate(async () => await (await fetch('/_wia/health')).json() as { mode: string, reservations: number })
  expect(health).toMatchObject({ mode: 'public' })
  expect(health.reservations).toBeGreaterThanOrEqual(1)

  // only the host has a new version: the restarted relay reaches it through the re-taken reservation
  const update = uniqueLabel('update')
  const folder = await siteSaying(`Version from home ${update}`)
  await openHostForm(ownerPage)
  const updated = await publishFolder(ownerPage, { label: `${label}-b`, folder })
  await expectHeadingEventually(await phonePage(), updated, `Version from home ${update}`)
})

test('a custom domain: the app shows the records to create, then the same site opens on it over a certificate from the ACME CA; domains that do not check out are refused', async () => {
  test.setTimeout(180_000)
  // the owner asks the app before creating any record: it lists them and says the TXT record is missing
  const panel = ownerPage.getByRole('region', { name: 'Custom domain' })
  await panel.getByRole('combobox', { name: 'Site' }).selectOption(name)
  await panel.getByRole('textbox', { name: 'Custom domain' }).fill('www.alice.test')
  await panel.getByRole('button', { name: 'Check domain' }).click()
  await expect(panel.getByRole('status')).toContainText('The TXT record _wia.www.alice.test is missing')
  const records = panel.getByRole('table', { name: 'DNS records for www.alice.test' })
  await expect(records.getByRole('row', { name: `TXT _wia.www.alice.test wia=${name}` })).toBeVisible()
  await expect(records.getByRole('row', { name: `CNAME www.alice.test ${net!.env.WIA_DOMAIN}` })).toBeVisible()

  const ip = net!.env.WIA_CLOUD_IP
  await net!.dns([
    `address=/www.alice.test/${ip}`,
    `txt-record=_wia.www.alice.test,"wia=${name}"`,
    `address=/www.bob.test/${ip}`,
    `txt-record=_wia.www.bob.test,"wia=nobody-${label}.wia.home"`,
    `address=/www.carol.test/${ip}`
  ])
  await panel.getByRole('button', { name: 'Check domain' }).click()
  await expect(panel.getByRole('status')).toContainText(`www.alice.test checks out: it serves ${name}`)

  const visitor = await phonePage()
  await expectRevealDemo(visitor, 'https://www.alice.test/demo.html')
  const issuer = await visitor.evaluate(async () => {
    const res = await fetch('/_wia/config.json')
    return (await res.json() as { site?: string }).site
  })
  expect(issuer).toBe(name)

  // refused: plain HTTP shows which record is missing or wrong; no certificate is issued for them
  const refused = await phonePage()
  const carol = await refused.goto('http://www.carol.test/')
  expect(carol?.status()).toBe(404)
  await expect(refused.getByText('_wia.www.carol.test (TXT) is missing')).toBeVisible()
  const bob = await refused.goto('http://www.bob.test/')
  expect(bob?.status()).toBe(404)
  await expect(refused.getByText(`names nobody-${label}.wia.home, but no one has registered that name`)).toBeVisible()
  await expect(refused.goto('https://www.carol.test/')).rejects.toThrow(/ERR_/)
})

test('with the owner\'s browser closed, a fresh phone still gets the whole site from the relay cache', async () => {
  await home.close()
  const visitor = await phonePage()
  await expectRevealDemo(visitor, siteAt('/demo.html'))
})
