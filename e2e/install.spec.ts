import { expect, test } from '@playwright/test'
import { appUrl } from './support/site.js'

/** Safari 17's user agent on a Mac: the app tells Safari users how to add it themselves. */
const SAFARI_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'

// Headless Chromium cannot show its own install dialog, so the browser's offer
// (`beforeinstallprompt`) is dispatched by the test, with a `prompt()` that
// records being called; Chromium's installability of the app itself is checked
// by app.spec.ts and `npm run lighthouse`.
test('Install app shows when the browser offers to install, asks the browser once, and goes; Safari users are told how to add the app', async ({ page, browser }) => {
  await page.goto(appUrl())
  await expect(page.getByRole('heading', { name: 'Host a website from this device' })).toBeVisible()
  const install = page.getByRole('button', { name: 'Install app' })
  await expect(install).toHaveCount(0)

  await page.evaluate(() => {
    const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
      prompt: async () => {
        (window as unknown as { prompted: number }).prompted = ((window as unknown as { prompted?: number }).prompted ?? 0) + 1
        return { outcome: 'accepted' as const }
      }
    })
    window.dispatchEvent(offer)
  })
  await expect(install).toBeVisible()
  await install.click()
  await expect(install).toHaveCount(0)
  expect(await page.evaluate(() => (window as unknown as { prompted?: number }).prompted)).toBe(1)

  const safari = await browser.newContext({ userAgent: SAFARI_UA })
  try {
    const safariPage = await safari.newPage()
    await safariPage.goto(appUrl())
    await expect(safariPage.getByText('To install: Share, then Add to Home Screen (or File, Add to Dock on a Mac).')).toBeVisible()
    await expect(safariPage.getByRole('button', { name: 'Install app' })).toHaveCount(0)
  } finally {
    await safari.close()
  }
})
