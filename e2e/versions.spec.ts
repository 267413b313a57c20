import { expect, test } from '@playwright/test'
import { siteSaying } from './support/fixtures.js'
import { expectHeadingEventually, expectRelayCopy, hostSite, publishFolder, siteCard, siteUrl, uniqueLabel, visitSite } from './support/site.js'
import { NAME_TTL_MS } from '../sw/name-resolver.js'

test('a site card updates the site with a new folder and rolls it back to version 1; a visitor sees each within the name TTL', async ({ browser }, testInfo) => {
  test.setTimeout(240_000)
  const owner = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] })
  const visitor = await browser.newContext()
  try {
    const label = uniqueLabel('versions')
    const name = `${label}.wia.home`
    const url = siteUrl(name)
    const host = await owner.newPage()
    await hostSite(host, { label, folder: await siteSaying('Version one') })
    await expectRelayCopy(host, 1)
    const card = siteCard(host, name)

    // Copy link puts the site's address on the clipboard
    await card.getByRole('button', { name: 'Copy link' }).click()
    await expect(card.getByRole('status')).toHaveText('Link copied')
    expect(await host.evaluate(async () => navigator.clipboard.readText())).toBe(url)

    // Update opens the hosting form for this site: only the folder is new
    await card.getByRole('button', { name: 'Update' }).click()
    await expect(host.getByRole('textbox', { name: 'Site name' })).toHaveValue(label)
    await expect(host.getByText(`Updating ${name}: pick the folder of its new version`)).toBeVisible()
    await publishFolder(host, { label, folder: await siteSaying('Version two') })
    await expectRelayCopy(host, 2)

    const page = await visitor.newPage()
    await visitSite(page, url)
    await expectHeadingEventually(page, url, 'Version two', NAME_TTL_MS + 30_000)

    // Versions lists both; the live one has no Roll back
    const versions = card.getByRole('button', { name: 'Versions' })
    await versions.click()
    await expect(versions).toHaveAttribute('aria-expanded', 'true')
    const list = card.getByRole('list', { name: `Versions of ${name}` })
    await expect(list.getByRole('listitem')).toHaveCount(2)
    await expect(list.getByRole('button', { name: 'Roll back to version 2' })).toHaveCount(0)

    await list.getByRole('button', { name: 'Roll back to version 1' }).click()
    await expect(card.getByRole('status')).toContainText('Rolled back to version 1', { timeout: 60_000 })
    await expect(card.getByRole('alert')).toHaveCount(0)
    await expect(list.getByRole('button', { name: 'Roll back to version 2' })).toBeVisible()
    // the site is version 1 again, and the relays are asked to keep it
    await expectRelayCopy(host, 1)

    // the card fits a phone's width: no horizontal scrolling (screenshots for a look)
    for (const [width, height] of [[390, 844], [1280, 900]] as const) {
      await host.setViewportSize({ width, height })
      expect(await host.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
      await host.screenshot({ path: testInfo.outputPath(`site-card-${width}.png`), fullPage: true })
    }
    await expectHeadingEventually(page, url, 'Version one', NAME_TTL_MS + 30_000)
  } finally {
    await visitor.close()
    await owner.close()
  }
})
