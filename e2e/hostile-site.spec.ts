import { expect, test } from '@playwright/test'
import { VISITOR_BLOCKS_DB } from '../sw/block-cache.js'
import { TEST_SITE_FILES } from './support/fixtures.js'
import { HOSTILE_CONFIG_SITE, HOSTILE_WORKER, makeHostileSite } from './support/hostile-site.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { blocksKept, expectSiteFiles, hostSite, siteUrl, uniqueLabel, visitSite } from './support/site.js'
import type { Page } from '@playwright/test'

/** Run `script` as the site's own pages can: in a page of the site origin, in the page's world. */
async function asTheSite<T> (page: Page, script: () => Promise<T>): Promise<T> {
  return page.evaluate(script)
}

test('a hosted site cannot take its origin over, reach the app, or poison what visitors keep', async ({ browser }) => {
  test.setTimeout(180_000)
  const folder = await makeHostileSite()
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS)] })
  const owner = await browser.newContext()
  const visitor = await browser.newContext()
  try {
    const label = uniqueLabel('hostile')
    const host = await owner.newPage()
    await hostSite(host, { app: relay.appUrl, label, folder })
    const appDatabases = await host.evaluate(async () => (await indexedDB.databases()).map(db => db.name ?? ''))
    expect(appDatabases.length).toBeGreaterThan(0)

    const page = await visitor.newPage()
    const url = siteUrl(`${label}.wia.home`, '/', String(relay.httpPort))
    expect((await visitSite(page, url)).status()).toBe(200)
    await expectSiteFiles(page, folder, TEST_SITE_FILES)
    // the worker writes what it fetched to IndexedDB once the visit is quiet
    await blocksKept(page, TEST_SITE_FILES.length)

    // its own service worker, at the root or under /_wia/: the relay refuses the script
    const registrations = await asTheSite(page, async () => {
      const attempt = async (script: string, scope: string): Promise<string> => {
        try {
          await navigator.serviceWorker.register(script, { scope })
          return 'registered'
        } catch (err) {
          return (err as Error).message
        }
      }
      return [await attempt('/evil-sw.js', '/'), await attempt('/_wia/evil-sw.js', '/_wia/')]
    })
    // Chromium: "A bad HTTP response code (403) was received when fetching the script."
    expect(registrations[0]).toContain('(403)')
    expect(registrations[1]).toMatch(/\((403|404)\)/)
    const controller = await asTheSite(page, async () => {
      const registration = await navigator.serviceWorker.getRegistration('/')
      return registration?.active?.scriptURL ?? ''
    })
    expect(new URL(controller).pathname).toBe('/_wia/sw.js')

    // files of the same path as wia-home's own do not shadow them
    const own = await asTheSite(page, async () => ({
      worker: await (await fetch('/_wia/sw.js')).text(),
      config: await (await fetch('/_wia/config.json')).json() as { site?: string }
    }))
    expect(own.worker).not.toBe(HOSTILE_WORKER)
    expect(own.config.site).not.toBe(HOSTILE_CONFIG_SITE)

    // the app's databases (the owner key among them) live on another origin: the site sees none of them
    const siteDatabases = await asTheSite(page, async () => (await indexedDB.databases()).map(db => db.name ?? ''))
    expect(siteDatabases.filter(name => appDatabases.includes(name))).toEqual([])
    // and another origin's wia-home files cannot be read from here (no CORS for them)
    const crossOrigin = await page.evaluate(async (app) => {
      try {
        await (await fetch(`${app}_wia/config.json`)).text()
        return 'read'
      } catch (err) {
        return (err as Error).name
      }
    }, relay.appUrl.endsWith('/') ? relay.appUrl : `${relay.appUrl}/`)
    expect(crossOrigin).toBe('TypeError')

    // every block the worker keeps is rewritten by the page...
    const poisoned = await asTheSite(page, async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('wia-sw-blocks')
        open.onsuccess = () => { resolve(open.result) }
        open.onerror = () => { reject(open.error) }
      })
      const store = db.transaction('wia-sw-blocks', 'readwrite').objectStore('wia-sw-blocks')
      const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
        const all = store.getAllKeys()
        all.onsuccess = () => { resolve(all.result) }
        all.onerror = () => { reject(all.error) }
      })
      for (const key of keys) store.put(new TextEncoder().encode('<h1>Not what the owner published</h1>'), key)
      await new Promise((resolve, reject) => {
        store.transaction.oncomplete = resolve
        store.transaction.onerror = reject
      })
      db.close()
      return keys.length
    })
    expect(poisoned).toBeGreaterThan(TEST_SITE_FILES.length)
    expect(VISITOR_BLOCKS_DB).toBe('wia-sw-blocks')
    // ...and the worker restarts (nothing left in its memory): every file is still the owner's
    const cdp = await visitor.newCDPSession(page)
    await cdp.send('ServiceWorker.enable')
    await cdp.send('ServiceWorker.stopAllWorkers')
    const again = await visitor.newPage()
    expect((await visitSite(again, url)).status()).toBe(200)
    await expect(again.getByRole('heading', { name: 'Hello from a WIA site' })).toBeVisible()
    await expectSiteFiles(again, folder, TEST_SITE_FILES)
  } finally {
    await visitor.close()
    await owner.close()
    await relay.stop()
  }
})
