import { expect, test } from '@playwright/test'
import { TEST_SITE_FILES, makeTestSite } from './support/fixtures.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { expectSiteFiles, hostSite, siteUrl, uniqueLabel, visitSite } from './support/site.js'
import type { RelayProcess } from './support/relay-process.js'

test('a host takes its relay reservation again after the relay restarts, and visitors reach it', async ({ browser }) => {
  test.setTimeout(180_000)
  const folder = await makeTestSite()
  // no relay cache: only the host has the site's blocks
  let relay: RelayProcess = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--cache-size', '0'] })
  const owner = await browser.newContext()
  const visitors = [await browser.newContext(), await browser.newContext()]
  try {
    const label = uniqueLabel('comeback')
    const url = siteUrl(`${label}.wia.home`, '/', String(relay.httpPort))
    const host = await owner.newPage()
    await hostSite(host, { app: relay.appUrl, label, folder })
    const status = host.locator('header')
    await expect(status).toContainText('Online')
    const before = await visitors[0]!.newPage()
    expect((await visitSite(before, url)).status()).toBe(200)

    // the relay process dies: the host says it cannot be reached
    await relay.stop()
    await expect(status).toContainText('visitors cannot reach this device', { timeout: 30_000 })

    // it comes back (same identity, ports and data dir, but no memory of the reservation)
    relay = await relay.startAgain()
    await expect(status).toContainText('Online', { timeout: 60_000 })

    // a fresh visitor gets every file, and only the host can have served them
    const after = await visitors[1]!.newPage()
    expect((await visitSite(after, url)).status()).toBe(200)
    await expectSiteFiles(after, folder, TEST_SITE_FILES)
  } finally {
    for (const context of [owner, ...visitors]) await context.close()
    await relay.stop()
  }
})
