import { expect, test } from '@playwright/test'
import { encodeNameRecord } from '../src/naming/index.js'
import { NAME_TTL_MS } from '../sw/name-resolver.js'
import { makeTestRecord } from '../test/fixtures/records.js'
import { TEST_SITE_FILES, makeTestSite } from './support/fixtures.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { expectRelayCopy, expectSiteFiles, hostSite, siteUrl, uniqueLabel, visitSite } from './support/site.js'
import { startTamperingProxy } from './support/tampering-proxy.js'
import type { RelayProcess } from './support/relay-process.js'
import type { TamperingProxy } from './support/tampering-proxy.js'

test('a relay that alters blocks or serves another key\'s record is caught: visitors get the right bytes from the other relay', async ({ browser }) => {
  test.setTimeout(180_000)
  const folder = await makeTestSite()
  const honest: RelayProcess = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS)] })
  const other = honest.relayAddrs[0]!
  // the visitors' own relay: one DHT with the honest one, which its config names to site workers
  const own: RelayProcess = await startRelay({
    extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--bootstrap', other, '--relay', other, '--relay-gateway', `http://localhost:${honest.httpPort}/_wia/`]
  })
  let proxy: TamperingProxy | undefined
  const owner = await browser.newContext()
  const visitors = [await browser.newContext(), await browser.newContext()]
  try {
    const label = uniqueLabel('tamper')
    const name = `${label}.wia.home`
    const host = await owner.newPage()
    await hostSite(host, { app: own.appUrl, label, folder })
    await expectRelayCopy(host, 1, 2)

    // the visitors' origin is served by the bad relay: it passes everything on but alters blocks and CARs
    proxy = await startTamperingProxy(own.httpPort, { blocks: true })
    const url = siteUrl(name, '/', String(proxy.port))
    const first = await visitors[0]!.newPage()
    expect((await visitSite(first, url)).status()).toBe(200)
    await expectSiteFiles(first, folder, TEST_SITE_FILES)
    expect(proxy.tampered()).toBeGreaterThan(0)

    // a visitor who knows the site (its owner key is pinned) is handed a record signed by another key
    proxy.set({})
    const second = await visitors[1]!.newPage()
    expect((await visitSite(second, url)).status()).toBe(200)
    await expect(second.getByRole('heading', { name: 'Hello from a WIA site' })).toBeVisible()
    const impostor = await makeTestRecord({ name, seq: 99, bits: TEST_POW_BITS })
    proxy.set({ record: encodeNameRecord(impostor) })
    const before = proxy.tampered()
    await second.waitForTimeout(NAME_TTL_MS + 1_000)
    expect((await visitSite(second, url)).status()).toBe(200)
    await expect(second.getByRole('heading', { name: 'Hello from a WIA site' })).toBeVisible()
    expect(proxy.tampered()).toBeGreaterThan(before)
    await expectSiteFiles(second, folder, ['index.html', 'css/site.css'])
  } finally {
    for (const context of [owner, ...visitors]) await context.close()
    await proxy?.close()
    await own.stop()
    await honest.stop()
  }
})
