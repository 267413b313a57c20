import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { siteSaying } from './support/fixtures.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { hostSite, siteUrl, uniqueLabel, visitSite } from './support/site.js'
import type { RelayProcess } from './support/relay-process.js'

test('a visitor who pinned a name\'s owner gets a warning page, not the content, when a relay serves the name under another key', async ({ browser }) => {
  test.setTimeout(180_000)
  const pow = ['--pow-bits', String(TEST_POW_BITS)]
  let relay: RelayProcess = await startRelay({ extraArgs: pow })
  const owner = await browser.newContext()
  const impostor = await browser.newContext()
  const visitor = await browser.newContext()
  try {
    const label = uniqueLabel('pinned')
    const name = `${label}.wia.home`
    const url = siteUrl(name, '/', String(relay.httpPort))
    await hostSite(await owner.newPage(), { app: relay.appUrl, label, folder: await siteSaying('The real site') })
    const page = await visitor.newPage()
    await visitSite(page, url)
    await expect(page.getByRole('heading', { name: 'The real site' })).toBeVisible()
    await owner.close()

    // the relay comes back on the same ports with no memory of the name (a
    // wiped or malicious relay), and an impostor registers the name there under its own key
    await relay.stop()
    relay = await startRelay({ dataDir: await mkdtemp(join(tmpdir(), 'wia-rogue-')), httpPort: relay.httpPort, relayPort: relay.relayPort, extraArgs: pow })
    await hostSite(await impostor.newPage(), { app: relay.appUrl, label, folder: await siteSaying('The impostor') })

    // the visitor's worker starts afresh (as after the browser stopped it) and looks the name up again
    const cdp = await visitor.newCDPSession(page)
    await cdp.send('ServiceWorker.enable')
    await cdp.send('ServiceWorker.stopAllWorkers')
    await expect.poll(async () => (await visitSite(page, url)).status(), { timeout: 60_000, intervals: [2_000] }).toBe(409)
    await expect(page.getByRole('heading', { name: 'Warning: this site changed owner' })).toBeVisible()
    await expect(page.getByText('The impostor')).toHaveCount(0)
  } finally {
    for (const context of [visitor, impostor, owner]) await context.close()
    await relay.stop()
  }
})
