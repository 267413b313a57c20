import { expect, test } from '@playwright/test'
import { TEST_SITE_FILES, makeTestSite } from './support/fixtures.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { expectSiteFiles, hostSite, siteUrl, uniqueLabel, visitSite } from './support/site.js'
import { startNodePeer } from './support/node-peer.js'
import type { NodePeer } from './support/node-peer.js'

test('a provider that serves altered blocks is never believed: the visitor gets every byte right from another provider', async ({ browser }) => {
  test.setTimeout(180_000)
  const folder = await makeTestSite()
  // no relay cache: the only providers are the owner (through the relay) and the tamperer (direct)
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--cache-size', '0'] })
  const owner = await browser.newContext()
  const visitor = await browser.newContext()
  let tamperer: NodePeer | undefined
  try {
    const label = uniqueLabel('tamper')
    const name = `${label}.wia.home`
    await hostSite(await owner.newPage(), { app: relay.appUrl, label, folder })

    tamperer = await startNodePeer(relay.relayAddrs[0]!)
    const root = await tamperer.copySite(name)
    await tamperer.startTampering(root)

    const page = await visitor.newPage()
    expect((await visitSite(page, siteUrl(name, '/', String(relay.httpPort)))).status()).toBe(200)
    await expect(page.getByRole('heading', { name: 'Hello from a WIA site' })).toBeVisible()
    await expectSiteFiles(page, folder, TEST_SITE_FILES)
    // the tamperer was asked and answered with altered blocks, which the visitor refused
    expect(tamperer.tamperedServed()).toBeGreaterThan(0)
  } finally {
    await tamperer?.stop()
    await visitor.close()
    await owner.close()
    await relay.stop()
  }
})
