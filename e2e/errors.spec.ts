import { expect, test } from '@playwright/test'
import { makeTestSite } from './support/fixtures.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { hostSite, siteUrl, uniqueLabel, visitSite } from './support/site.js'

test('an unknown name gives a 404 page that says no site is registered under it', async ({ page }) => {
  const name = `${uniqueLabel('nobody')}.wia.home`
  const response = await visitSite(page, siteUrl(name, '/'))
  expect(response.status()).toBe(404)
  await expect(page.getByText(`No site is registered under ${name}`)).toBeVisible()
})

test('a site whose host is gone and whose blocks no peer holds gives a 504 page within 30 s', async ({ browser }) => {
  const folder = await makeTestSite()
  // a relay without a cache, so no copy outlives the host
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--cache-size', '0'] })
  const hostContext = await browser.newContext()
  const label = uniqueLabel('gone')
  const name = `${label}.wia.page`
  const host = await hostContext.newPage()
  await hostSite(host, { app: relay.appUrl, label, tld: 'page', folder })
  await expect(host.getByText('No relay keeps a copy')).toBeVisible()
  // the host publishes, then closes before anyone fetched anything
  await hostContext.close()

  const visitorContext = await browser.newContext()
  try {
    const visitor = await visitorContext.newPage()
    const started = Date.now()
    const response = await visitSite(visitor, siteUrl(name, '/', String(relay.httpPort)), { timeout: 40_000 })
    const elapsed = Date.now() - started
    expect(response.status()).toBe(504)
    expect(elapsed).toBeLessThan(30_000)
    await expect(visitor.getByText(`${name} could not be fetched`)).toBeVisible()
  } finally {
    await visitorContext.close()
    await relay.stop()
  }
})
