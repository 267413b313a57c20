import { mkdir } from 'node:fs/promises'
import { expect, test } from '@playwright/test'
import { makeTestSite } from './support/fixtures.js'
import { appUrl, openHostForm, openScreen, publishFolder, uniqueLabel } from './support/site.js'
import { SCREENS_DIR, VIEWPORTS, checkScreen } from './support/screens.js'
import type { ScreenName } from './support/site.js'

/** The screens after the first site, by their navigation link, and the file name of their screenshots. */
const SCREENS: Array<[ScreenName, string]> = [
  ['My sites', 'my-sites'],
  ['Your key', 'your-key'],
  ['Transfer', 'transfer'],
  ['Keep online', 'keep-online'],
  ['Settings', 'settings']
]

for (const [viewport, options] of Object.entries(VIEWPORTS)) {
  test(`every screen in the ${viewport} viewport, light and dark: screenshots and no axe-core violation`, async ({ browser }) => {
    test.setTimeout(180_000)
    await mkdir(SCREENS_DIR, { recursive: true })
    const context = await browser.newContext(options)
    try {
      const page = await context.newPage()
      await page.goto(appUrl())

      // first run: what the app does, and Host
      await expect(page.getByRole('heading', { name: 'Host a website from this device' })).toBeVisible()
      await checkScreen(page, viewport, 'first-run')

      // the hosting form, the name checked as it is typed
      await openHostForm(page)
      const label = uniqueLabel('screens')
      await page.getByRole('textbox', { name: 'Site name' }).fill(label)
      await expect(page.getByText('Free: this name is yours once you publish.')).toBeVisible()
      await checkScreen(page, viewport, 'host-form')
      await page.getByRole('textbox', { name: 'Site name' }).fill('Not Valid')
      await expect(page.getByText(/^Invalid: /)).toBeVisible()

      // a hosted site, its QR code shown
      await publishFolder(page, { label, folder: await makeTestSite() })
      const card = page.getByRole('article', { name: `${label}.wia.home` })
      await card.getByRole('button', { name: 'Versions' }).click()
      await expect(card.getByRole('list', { name: `Versions of ${label}.wia.home` })).toBeVisible()
      await checkScreen(page, viewport, 'published')
      await page.getByRole('button', { name: 'Host' }).click() // closes the form
      await card.getByRole('button', { name: 'Versions' }).click()
      await card.getByRole('button', { name: 'QR code' }).click()
      await expect(card.getByRole('img', { name: `QR code of http://${label}.wia.home.localhost:${process.env.WIA_HTTP_PORT}/` })).toBeVisible()
      // its visits chart (none yet) and the confirmation of Unpublish
      await card.getByRole('button', { name: 'Visits' }).click()
      await expect(card.getByRole('table', { name: /Visits and bytes served per day/ })).toBeAttached()
      await checkScreen(page, viewport, 'site-card')
      await card.getByRole('button', { name: 'Unpublish' }).click()
      const dialog = page.getByRole('dialog', { name: `Unpublish ${label}.wia.home?` })
      await expect(dialog).toBeVisible()
      await checkScreen(page, viewport, 'unpublish-dialog')
      await dialog.getByRole('button', { name: 'Cancel' }).click()
      await expect(dialog).toBeHidden()

      for (const [name, file] of SCREENS) {
        await openScreen(page, name)
        await checkScreen(page, viewport, file)
      }

      // Back returns to the previous screen
      await page.goBack()
      await expect(page.getByRole('link', { name: 'Keep online', exact: true })).toHaveAttribute('aria-current', 'page')

      // an unpublished site's card, and the confirmation of Release name
      await openScreen(page, 'My sites')
      await card.getByRole('button', { name: 'Unpublish' }).click()
      await dialog.getByRole('button', { name: 'Unpublish' }).click()
      await expect(card.getByRole('button', { name: 'Release name' })).toBeVisible({ timeout: 60_000 })
      await card.getByRole('button', { name: 'Release name' }).click()
      const release = page.getByRole('dialog', { name: `Release ${label}.wia.home?` })
      await expect(release).toBeVisible()
      await checkScreen(page, viewport, 'release-dialog')
      await release.getByRole('button', { name: 'Cancel' }).click()
      await expect(release).toBeHidden()
    } finally {
      await context.close()
    }
  })
}
