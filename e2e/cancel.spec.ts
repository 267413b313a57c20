import { expect, test } from '@playwright/test'
import { bigSiteSaying, siteSaying } from './support/fixtures.js'
import { appUrl, openHostForm, publishFolder, siteUrl, submitFolder, uniqueLabel, visitorSees } from './support/site.js'

test('Cancel while publishing stops it: nothing is published, the form says so, and Publish again completes', async ({ browser }) => {
  test.setTimeout(180_000)
  const owner = await browser.newContext()
  try {
    const host = await owner.newPage()
    await host.goto(appUrl())
    const label = uniqueLabel('cancel')
    const name = `${label}.wia.home`
    await openHostForm(host)
    await submitFolder(host, { label, folder: await bigSiteSaying('Cancelled', 24_000_000) })
    const cancel = host.getByRole('button', { name: 'Cancel', exact: true })
    await expect(cancel).toBeVisible()
    await cancel.click()
    await expect(host.getByText('Publishing cancelled. Publish again when you are ready.')).toBeVisible({ timeout: 30_000 })
    await expect(host.getByRole('status').filter({ hasText: 'Your site is live' })).toHaveCount(0)
    await expect(host.getByRole('alert')).toHaveCount(0)
    await expect(host.getByRole('article', { name })).toHaveCount(0)

    // the name was not taken by the cancelled publish: publishing again completes and a visitor sees it
    await publishFolder(host, { label, folder: await siteSaying('Published after a cancel') })
    expect(await visitorSees(browser, siteUrl(name))).toBe('Published after a cancel')
  } finally {
    await owner.close()
  }
})
