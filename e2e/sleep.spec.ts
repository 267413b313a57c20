import { expect, test } from '@playwright/test'
import { makeTestSite, siteSaying } from './support/fixtures.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { expectHeadingEventually, hostSite, publishFolder, siteUrl, uniqueLabel, visitSite } from './support/site.js'

/** The idle time before the hosting tab sleeps, shortened for the test (ms). */
const IDLE_MS = 3_000

test('the hosting tab sleeps without visitors and wakes to serve the next one', async ({ browser }) => {
  test.setTimeout(150_000)
  // no relay cache: a visitor has to wake the host to get the site
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--cache-size', '0', '--host-idle-ms', String(IDLE_MS)] })
  const owner = await browser.newContext()
  const visitor = await browser.newContext()
  try {
    const label = uniqueLabel('sleepy')
    const host = await owner.newPage()
    await hostSite(host, { app: relay.appUrl, label, folder: await makeTestSite() })
    const status = host.locator('header')
    await expect(status).toContainText('sleeping', { timeout: 30_000 })

    const page = await visitor.newPage()
    expect((await visitSite(page, siteUrl(`${label}.wia.home`, '/', String(relay.httpPort)))).status()).toBe(200)
    await expect(page.getByRole('heading', { name: 'Hello from a WIA site' })).toBeVisible()
    await expect(status).toContainText('serving')
    // and once the visitor is done, it sleeps again
    await expect(status).toContainText('sleeping', { timeout: 30_000 })

    // publishing from a sleeping tab wakes it, DHT included: the update goes out
    await publishFolder(host, { label, folder: await siteSaying('Woken up') })
    await expectHeadingEventually(page, siteUrl(`${label}.wia.home`, '/', String(relay.httpPort)), 'Woken up')
  } finally {
    await visitor.close()
    await owner.close()
    await relay.stop()
  }
})
