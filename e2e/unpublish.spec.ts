import { expect, test } from '@playwright/test'
import { siteSaying } from './support/fixtures.js'
import { plainGet } from './support/plain-http.js'
import { UNPUBLISHED_TITLE, appUrl, expectHeadingEventually, expectRelayCopy, hostSite, publishFolder, siteCard, siteUrl, uniqueLabel, visitSite } from './support/site.js'
import { BLOCKSTORE_DB } from '../src/app/host/constants.js'
import { decodeNameRecord, isUnpublished } from '../src/naming/index.js'
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

test('Release name on an unpublished site\'s card: after a plain confirmation the card is gone (after a reload too), the files are deleted, and the relays still answer the "unpublished" record', async ({ browser }, testInfo) => {
  test.setTimeout(180_000)
  const owner = await browser.newContext()
  try {
    const label = uniqueLabel('release')
    const name = `${label}.wia.home`
    const host = await owner.newPage()
    await host.setViewportSize({ width: 390, height: 844 })
    await hostSite(host, { label, folder: await siteSaying('Soon released') })
    await expectRelayCopy(host, 1)

    // unpublish, keeping the files: releasing deletes them
    const card = siteCard(host, name)
    await expect(card.getByRole('button', { name: 'Release name' })).toHaveCount(0)
    await card.getByRole('button', { name: 'Unpublish' }).click()
    await host.getByRole('dialog', { name: `Unpublish ${name}?` }).getByRole('button', { name: 'Unpublish' }).click()
    await expect(card.getByRole('status')).toContainText(`${name} is unpublished`, { timeout: 60_000 })
    expect(await storedBlocks(host)).toBeGreaterThan(0)

    // the confirmation says plainly what releasing means; Cancel changes nothing
    await card.getByRole('button', { name: 'Release name' }).click()
    const dialog = host.getByRole('dialog', { name: `Release ${name}?` })
    await expect(dialog).toBeVisible()
    await expect(dialog).toContainText('This device stops renewing the name')
    await expect(dialog).toContainText('The name stays registered to your key until')
    await expect(dialog).toContainText('After that, anyone may register it.')
    await expect(dialog).toContainText('you can still publish a folder under it again from this device, with the same key')
    await expect(dialog).toContainText('cannot be recalled')
    await host.screenshot({ path: testInfo.outputPath('release-dialog-390.png') })
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog).toBeHidden()
    await expect(card).toBeVisible()

    await card.getByRole('button', { name: 'Release name' }).click()
    await dialog.getByRole('button', { name: 'Release name' }).click()
    await expect(host.getByRole('status').filter({ hasText: `${name} is released` })).toContainText('Anyone may register it from', { timeout: 60_000 })
    await expect(card).toHaveCount(0)
    await expect.poll(async () => storedBlocks(host)).toBe(0)
    await host.screenshot({ path: testInfo.outputPath('released-390.png') })

    await host.reload()
    await expect(host.getByRole('button', { name: 'Host' })).toBeVisible()
    await expect(host.getByText('Loading your sites…')).toHaveCount(0)
    await expect(card).toHaveCount(0)

    // the relays keep the owner's last word until it lapses: "unpublished"
    const answer = await fetch(`${appUrl()}_wia/name/${name}`)
    expect(answer.status).toBe(200)
    expect(isUnpublished(decodeNameRecord(new Uint8Array(await answer.arrayBuffer())))).toBe(true)
  } finally {
    await owner.close()
  }
})
