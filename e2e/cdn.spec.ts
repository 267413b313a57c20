import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { TEST_SITE_FILES, makeTestSite, siteSaying } from './support/fixtures.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { expectHeadingEventually, expectRelayCopy, blocksKept, expectSiteFiles, fetchDigest, fileDigest, storedBlockBytes, hostSite, openScreen, publishFolder, siteUrl, uniqueLabel, visitSite } from './support/site.js'
import { NAME_TTL_MS } from '../sw/name-resolver.js'
import { FETCHED_BLOCK_LINGER_MS } from '../relay/gateway/constants.js'
import type { RelayProcess } from './support/relay-process.js'

test('a site stays up while its owner is offline: served from the relay cache, also after the relay restarts', async ({ browser }) => {
  test.setTimeout(240_000)
  const folder = await makeTestSite()
  let relay: RelayProcess = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS)] })
  const owner = await browser.newContext()
  const contexts = [await browser.newContext(), await browser.newContext(), await browser.newContext()]
  try {
    const label = uniqueLabel('cdn')
    const name = `${label}.wia.home`
    const host = await owner.newPage()
    await hostSite(host, { app: relay.appUrl, label, folder })
    await expectRelayCopy(host)

    const url = siteUrl(name, '/', String(relay.httpPort))
    const b = await contexts[0]!.newPage()
    expect((await visitSite(b, url)).status()).toBe(200)
    await expect(b.getByRole('heading', { name: 'Hello from a WIA site' })).toBeVisible()

    // the owner goes offline: closing the context ends its node and connections
    await owner.close()

    const c = await contexts[1]!.newPage()
    expect((await visitSite(c, url)).status()).toBe(200)
    await expectSiteFiles(c, folder, TEST_SITE_FILES)

    // the relay process dies and comes back on the same ports and cache directory
    await relay.stop()
    relay = await relay.startAgain()
    const d = await contexts[2]!.newPage()
    expect((await visitSite(d, url)).status()).toBe(200)
    await expectSiteFiles(d, folder, TEST_SITE_FILES)
  } finally {
    for (const context of [owner, ...contexts]) await context.close()
    await relay.stop()
  }
})

test('after an update, a visitor who had the old version gets the new one within the name TTL, from the relay cache with the owner offline', async ({ browser }) => {
  test.setTimeout(180_000)
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS)] })
  const owner = await browser.newContext()
  const visitor = await browser.newContext()
  try {
    const label = uniqueLabel('update')
    const url = siteUrl(`${label}.wia.home`, '/', String(relay.httpPort))
    const host = await owner.newPage()
    await hostSite(host, { app: relay.appUrl, label, folder: await siteSaying('Version one') })
    await expectRelayCopy(host, 1)
    const page = await visitor.newPage()
    await visitSite(page, url)
    await expect(page.getByRole('heading', { name: 'Version one' })).toBeVisible()

    await publishFolder(host, { label, folder: await siteSaying('Version two') })
    await expectRelayCopy(host, 2)
    await owner.close()

    // the visitor's worker caches the name for 15 s; after that it must show version two
    await expectHeadingEventually(page, url, 'Version two', 30_000)
  } finally {
    await visitor.close()
    await owner.close()
    await relay.stop()
  }
})

test('a visitor keeps what it fetched: with the owner and the relay gone, the visited site opens again from its own cache, byte for byte', async ({ browser }) => {
  test.setTimeout(180_000)
  const folder = await makeTestSite()
  // a relay without a cache: after it stops, only the visitor's own copy is left
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--cache-size', '0'] })
  const owner = await browser.newContext()
  const visitor = await browser.newContext()
  try {
    const label = uniqueLabel('offline')
    const url = siteUrl(`${label}.wia.home`, '/', String(relay.httpPort))
    await hostSite(await owner.newPage(), { app: relay.appUrl, label, folder })
    // every file but one is fetched on the first visit
    const unfetched = 'docs/guide/deep/notes.txt'
    const fetched = TEST_SITE_FILES.filter(path => path !== unfetched)
    const first = await visitor.newPage()
    expect((await visitSite(first, url)).status()).toBe(200)
    await expectSiteFiles(first, folder, fetched)
    // the worker writes what it fetched to IndexedDB once the visit is quiet
    await blocksKept(first, fetched.length)
    // and that takes about the size of what it fetched (file bytes plus the site's directory blocks), no more
    let fetchedBytes = 0
    for (const path of fetched) fetchedBytes += (await fileDigest(join(folder, path))).length
    const stored = await storedBlockBytes(first)
    expect(stored).toBeGreaterThanOrEqual(fetchedBytes)
    expect(stored).toBeLessThan(fetchedBytes * 1.01)

    await owner.close()
    await relay.stop()
    // the worker is stopped too (as browsers do when idle): nothing survives in memory
    const cdp = await visitor.newCDPSession(first)
    await cdp.send('ServiceWorker.enable')
    await cdp.send('ServiceWorker.stopAllWorkers')
    await first.close()
    // past the name TTL, so the worker must find the network gone and use its stored record
    await new Promise(resolve => setTimeout(resolve, NAME_TTL_MS + 1_000))

    const again = await visitor.newPage()
    expect((await visitSite(again, url)).status()).toBe(200)
    await expect(again.getByRole('heading', { name: 'Hello from a WIA site' })).toBeVisible()
    await expectSiteFiles(again, folder, fetched)
    // what it never fetched is unavailable (504), not "no such page" (404)
    expect((await fetchDigest(again, `/${unfetched}`)).status).toBe(504)
  } finally {
    await visitor.close()
    await owner.close()
    await relay.stop()
  }
})

test('an app tab keeps someone else\'s site online: with the owner offline and no relay cache, visitors get it from that tab', async ({ browser }) => {
  test.setTimeout(180_000)
  const folder = await makeTestSite()
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--cache-size', '0'] })
  const owner = await browser.newContext()
  const keeperContext = await browser.newContext()
  const visitor = await browser.newContext()
  try {
    const label = uniqueLabel('seed')
    const name = `${label}.wia.home`
    await hostSite(await owner.newPage(), { app: relay.appUrl, label, folder })

    // the keeper hosts a site of its own, which dropping a kept site must not touch
    const keeper = await keeperContext.newPage()
    const ownLabel = uniqueLabel('own')
    const ownFolder = await makeTestSite()
    await hostSite(keeper, { app: relay.appUrl, label: ownLabel, folder: ownFolder })
    await openScreen(keeper, 'Keep online')
    const panel = keeper.getByRole('region', { name: 'Sites you keep online' })
    await panel.getByRole('textbox', { name: 'Site to keep online' }).fill(name)
    await panel.getByRole('button', { name: 'Keep this site online' }).click()
    await expect(panel.getByRole('status')).toContainText(`${name} is kept online by this device`, { timeout: 60_000 })
    const kept = panel.getByRole('list', { name: 'Sites kept online' }).getByRole('listitem')
    await expect(kept).toHaveCount(1)
    await expect(kept).toContainText(name)
    await expect(kept).toContainText('5.0 MB')

    await owner.close()
    const page = await visitor.newPage()
    expect((await visitSite(page, siteUrl(name, '/', String(relay.httpPort)))).status()).toBe(200)
    await expectSiteFiles(page, folder, TEST_SITE_FILES)

    await panel.getByRole('button', { name: `Drop ${name}` }).click()
    await expect(panel.getByRole('status')).toContainText(`${name} is no longer kept`)
    await expect(kept).toHaveCount(0)
    // past the time the relay (no cache) keeps blocks it fetched for the first visitor: every block of
    // the keeper's own site, those it shares with the dropped one included, must come from the keeper
    await new Promise(resolve => setTimeout(resolve, FETCHED_BLOCK_LINGER_MS + 500))
    const ownVisitor = await browser.newContext()
    try {
      const own = await ownVisitor.newPage()
      expect((await visitSite(own, siteUrl(`${ownLabel}.wia.home`, '/', String(relay.httpPort)))).status()).toBe(200)
      await expectSiteFiles(own, ownFolder, TEST_SITE_FILES)
    } finally {
      await ownVisitor.close()
    }
  } finally {
    for (const context of [visitor, keeperContext, owner]) await context.close()
    await relay.stop()
  }
})
