import { expect, test } from '@playwright/test'
import { siteSaying } from './support/fixtures.js'
import { plainGet } from './support/plain-http.js'
import { UNPUBLISHED_TITLE, expectHeadingEventually, expectRelayCopy, hostSite, publishFolder, siteCard, siteUrl, uniqueLabel, visitSite } from './support/site.js'
import { BLOCKSTORE_DB } from '../src/app/host/constants.js'
import { NAME_TTL_MS } from '../sw/name-resolver.js'
import type { Page } from '@playwright/test'

/** How many blocks the app keeps in IndexedDB (`blockstore-idb`: one object store named like its database). */
async function storedBlocks (host: Page): Promise<number> {
  return host.evaluate(async (db: string) => await new Promise<number>((resolve, reject) => {
    const open = indexedDB.open(db)
    open.onerror = () => { reject(open.error) }
    open.onsuccess = () => {
      const count = open.result.transaction(db).objectStore(db).count()
      count.onsuccess = () => { open.result.close(); resolve(count.result) }
      count.onerror = () => { reject(count.error) }
    }
  }), BLOCKSTORE_DB)
}

test('Unpublish on a site card takes the site down: visitors (new and returning) and plain HTTP clients get 410 "This site was unpublished"; publishing again brings it back', async ({ browser }, testInfo) => {
  test.setTimeout(240_000)
  const owner = await browser.newContext()
  const visitor = await browser.newContext()
  const latecomer = await browser.newContext()
  try {
    const label = uniqueLabel('unpublish')
    const name = `${label}.wia.home`
    const url = siteUrl(name)
    const host = await owner.newPage()
    await hostSite(host, { label, folder: await siteSaying('Soon gone') })
    await expectRelayCopy(host, 1)
    expect(await storedBlocks(host)).toBeGreaterThan(0)

    const page = await visitor.newPage()
    await visitSite(page, url)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Soon gone')
    expect((await plainGet(`${name}.localhost`, '/')).status).toBe(200)

    // the confirmation says what happens; Cancel changes nothing
    const card = siteCard(host, name)
    await card.getByRole('button', { name: 'Unpublish' }).click()
    const dialog = host.getByRole('dialog', { name: `Unpublish ${name}?` })
    await expect(dialog).toBeVisible()
    await expect(dialog).toContainText('Visitors will see a page saying the site was unpublished')
    await expect(dialog).toContainText('The name stays yours')
    await expect(dialog).toContainText('cannot be recalled')
    await host.screenshot({ path: testInfo.outputPath('unpublish-dialog.png') })
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog).toBeHidden()

    await card.getByRole('button', { name: 'Unpublish' }).click()
    await dialog.getByRole('checkbox', { name: 'Also delete this site\'s files from this device' }).check()
    await dialog.getByRole('button', { name: 'Unpublish' }).click()
    await expect(card.getByRole('status')).toContainText(`${name} is unpublished`, { timeout: 60_000 })
    await expect(card.getByRole('alert')).toHaveCount(0)
    await expect(card.getByText('Unpublished', { exact: true })).toBeVisible()
    await expect(card.getByRole('button', { name: 'Unpublish' })).toHaveCount(0)
    await expect(card.getByRole('button', { name: 'Update' })).toBeVisible()
    await card.screenshot({ path: testInfo.outputPath('unpublished-card.png') })
    // the site's files are gone from the owner's device (it hosts no other site)
    await expect.poll(async () => storedBlocks(host)).toBe(0)

    // a fresh visitor: the unpublished page at once
    const fresh = await latecomer.newPage()
    const first = await visitSite(fresh, url)
    expect(first.status()).toBe(410)
    await expect(fresh.getByRole('heading', { level: 1 })).toHaveText(UNPUBLISHED_TITLE)
    await expect(fresh.getByText(`The owner of ${name} took this site down.`)).toBeVisible()

    // the returning visitor, once the name TTL let its worker ask again: no cached version
    await expect.poll(async () => (await visitSite(page, url)).status(), { timeout: NAME_TTL_MS + 30_000, intervals: [2_000] }).toBe(410)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(UNPUBLISHED_TITLE)

    // curl and link previews, served by the relay itself
    const plain = await plainGet(`${name}.localhost`, '/')
    expect(plain.status).toBe(410)
    expect(plain.body.toString()).toContain(UNPUBLISHED_TITLE)

    // the name stayed the owner's: Update publishes a folder under it again, and visitors see it
    await card.getByRole('button', { name: 'Update' }).click()
    await publishFolder(host, { label, folder: await siteSaying('Back again') })
    await expect(card.getByRole('button', { name: 'Unpublish' })).toBeVisible()
    await expectHeadingEventually(page, url, 'Back again', NAME_TTL_MS + 30_000)
  } finally {
    await latecomer.close()
    await visitor.close()
    await owner.close()
  }
})
