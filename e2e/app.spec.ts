import { expect, test } from '@playwright/test'
import { makeTestSite } from './support/fixtures.js'
import { appUrl, hostSite, siteUrl, uniqueLabel, visitSite } from './support/site.js'

test('a site name that breaks the rules is refused before anything is published', async ({ page }) => {
  const folder = await makeTestSite()
  await page.goto(appUrl())
  await page.getByRole('button', { name: 'Host' }).click()
  await page.getByLabel('Site folder').setInputFiles(folder)
  for (const [bad, message] of [
    ['Alice', 'lowercase'],
    ['-alice', 'hyphen'],
    ['a'.repeat(64), '63'],
    ['al_ice', 'lowercase']
  ] as const) {
    await page.getByRole('textbox', { name: 'Site name' }).fill(bad)
    await page.getByRole('button', { name: 'Publish', exact: true }).click()
    await expect(page.getByRole('alert')).toContainText(message)
    await expect(page.getByRole('status').filter({ hasText: 'Your site is live' })).toHaveCount(0)
  }
})

test('Host shows where it stays: a click aimed at it as soon as it shows opens the hosting form', async ({ page }) => {
  await page.goto(appUrl())
  const host = page.getByRole('button', { name: 'Host' })
  await host.waitFor()
  const shown = await host.boundingBox()
  // the node is up: its own list of sites has replaced the one read before it started
  await expect(page.getByText('Online, serving')).toBeVisible({ timeout: 30_000 })
  expect(await host.boundingBox()).toEqual(shown)
  await host.click()
  await expect(page.getByRole('textbox', { name: 'Site name' })).toBeVisible()
})

test('for an owner who never saved the key, the backup prompt is there when Host shows, and Host stays where it shows', async ({ page }) => {
  await hostSite(page, { label: uniqueLabel('prompt'), folder: await makeTestSite() })
  await page.reload()
  const host = page.getByRole('button', { name: 'Host' })
  await host.waitFor()
  const shown = await host.boundingBox()
  await expect(page.getByRole('complementary', { name: 'Back up your key' })).toBeVisible()
  await expect(page.getByText('Online, serving')).toBeVisible({ timeout: 30_000 })
  expect(await host.boundingBox()).toEqual(shown)
})

test('after a reload the site, key and name are still there and the node serves the site again', async ({ browser }) => {
  const folder = await makeTestSite()
  const hostContext = await browser.newContext()
  const visitorContext = await browser.newContext()
  try {
    const host = await hostContext.newPage()
    const label = uniqueLabel('again')
    const name = `${label}.wia.shop`
    await hostSite(host, { label, tld: 'shop', folder })

    // a fresh start of the app: the old node is gone with the old document
    await host.reload()
    const list = host.getByRole('region', { name: 'Your sites' })
    await expect(list.getByRole('link', { name })).toHaveAttribute('href', siteUrl(name))

    // a visitor who never saw the site gets it from the reloaded host
    const visitor = await visitorContext.newPage()
    const response = await visitSite(visitor, siteUrl(name, '/'))
    expect(response.status()).toBe(200)
    await expect(visitor.getByRole('heading', { name: 'Hello from a WIA site' })).toBeVisible()
  } finally {
    await visitorContext.close()
    await hostContext.close()
  }
})

test('the app is an installable PWA whose shell opens offline', async ({ page, context }) => {
  await page.goto(appUrl())
  const manifestHref = await page.locator('link[rel=manifest]').getAttribute('href')
  const manifest = await (await page.request.get(new URL(manifestHref!, appUrl()).toString())).json()
  expect(manifest).toMatchObject({ name: 'wia-home', start_url: '/', display: 'standalone' })
  const sizes = (manifest.icons as Array<{ sizes: string, type: string }>).map(icon => icon.sizes)
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']))
  for (const icon of manifest.icons as Array<{ src: string, type: string }>) {
    const res = await page.request.get(new URL(icon.src, appUrl()).toString())
    expect(res.status(), icon.src).toBe(200)
    expect(res.headers()['content-type'], icon.src).toContain(icon.type)
  }

  // the app-shell service worker takes control and precaches the shell
  await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL), { timeout: 30_000 })
    .toBe(new URL('/app-shell.js', appUrl()).toString())

  await context.setOffline(true)
  await page.reload()
  await expect(page.getByRole('button', { name: 'Host' })).toBeVisible()
  await context.setOffline(false)
})
