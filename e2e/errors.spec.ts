import { expect, test } from '@playwright/test'
import { makeTestSite } from './support/fixtures.js'
import { hostSite, siteUrl, uniqueLabel, visitSite } from './support/site.js'

test('an unknown name gives a 404 page that says no site is registered under it', async ({ page }) => {
  const name = `${uniqueLabel('nobody')}.wia.home`
  const response = await visitSite(page, siteUrl(name, '/'))
  expect(response.status()).toBe(404)
  await expect(page.getByText(`No site is registered under ${name}`)).toBeVisible()
})

test('a site whose host is gone and whose blocks no peer holds gives a 504 page within 30 s', async ({ browser }) => {
  const folder = await makeTestSite()
  const hostContext = await browser.newContext()
  const label = uniqueLabel('gone')
  const name = `${label}.wia.page`
  await hostSite(await hostContext.newPage(), { label, tld: 'page', folder })
  // the host publishes, then closes before anyone fetched anything
  await hostContext.close()

  const visitorContext = await browser.newContext()
  try {
    const visitor = await visitorContext.newPage()
    const started = Date.now()
    const response = await visitSite(visitor, siteUrl(name, '/'), { timeout: 40_000 })
    const elapsed = Date.now() - started
    expect(response.status()).toBe(504)
    expect(elapsed).toBeLessThan(30_000)
    await expect(visitor.getByText(`${name} could not be fetched`)).toBeVisible()
  } finally {
    await visitorContext.close()
  }
})
