import { expect, test } from '@playwright/test'
import { storedBlocks } from './support/app-storage.js'
import { bigSiteSaying, siteSaying } from './support/fixtures.js'
import { appUrl, expectRelayCopy, hostSite, openHostForm, siteUrl, submitFolder, uniqueLabel, visitorSees } from './support/site.js'
import type { CDPSession, Page } from '@playwright/test'

/** Random data in the folder that does not fit (bytes). */
const BIG_EXTRA_BYTES = 24 * 1000 * 1000

/** Quota of the app's origin (bytes): room for the app and a 5 MB site, not for the big folder. */
const QUOTA_BYTES = 20 * 1000 * 1000

/**
 * Give the app's origin a small quota (CDP `Storage.overrideQuotaForOrigin`),
 * before the page opens it: IndexedDB enforces the quota on an origin's
 * storage opened after it was set, while it lasts (the session attached).
 * The page's `navigator.storage.estimate()` does not show it (Chromium
 * reports a static quota there), so only a write finds out.
 */
async function smallQuota (page: Page, bytes: number): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(appUrl()).origin, quotaSize: bytes })
  return cdp
}

test('a folder bigger than the browser leaves the app is refused with the space it needs; the published site stays and nothing is left of it', async ({ browser }) => {
  test.setTimeout(240_000)
  const owner = await browser.newContext()
  try {
    const label = uniqueLabel('quota')
    const name = `${label}.wia.home`
    const url = siteUrl(name)
    const host = await owner.newPage()
    const quota = await smallQuota(host, QUOTA_BYTES)
    await hostSite(host, { label, folder: await siteSaying('Published before') })
    await expectRelayCopy(host, 1)
    const before = await storedBlocks(host)

    await openHostForm(host)
    await submitFolder(host, { label, folder: await bigSiteSaying('Too big', BIG_EXTRA_BYTES) })
    await expect(host.getByRole('alert')).toContainText(/This folder needs about 3\d MB of storage, but the browser leaves this app only [\d.]+ MB\. Free some space/, { timeout: 60_000 })
    console.info('quota alert:', await host.getByRole('alert').textContent())
    // the blocks written before the browser refused more are collected
    await expect.poll(async () => storedBlocks(host), { timeout: 30_000 }).toEqual(before)
    await quota.detach()

    // the published site is untouched
    await expect(host.getByRole('region', { name: 'Your sites' }).getByRole('article', { name })).toContainText('version 1,')
    expect(await visitorSees(browser, url)).toBe('Published before')
  } finally {
    await owner.close()
  }
})
