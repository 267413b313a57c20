import { expect, test } from '@playwright/test'
import { siteSaying } from './support/fixtures.js'
import { hostSite, openScreen, siteCard, uniqueLabel } from './support/site.js'

test('a site card counts the peers that keep a copy: none at first, then 1 once another app tab keeps the site online (the relay and the owner\'s device not counted)', async ({ browser }, testInfo) => {
  test.setTimeout(180_000)
  const owner = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' })
  const keeperContext = await browser.newContext()
  try {
    const label = uniqueLabel('peers')
    const name = `${label}.wia.home`
    const host = await owner.newPage()
    await hostSite(host, { label, folder: await siteSaying('Kept by a peer') })
    const card = siteCard(host, name)
    await expect(card.getByText('No other peer keeps a copy')).toBeVisible({ timeout: 60_000 })

    const keeper = await keeperContext.newPage()
    await keeper.goto(host.url())
    await openScreen(keeper, 'Keep online')
    const panel = keeper.getByRole('region', { name: 'Sites you keep online' })
    await panel.getByRole('textbox', { name: 'Site to keep online' }).fill(name)
    await panel.getByRole('button', { name: 'Keep this site online' }).click()
    await expect(panel.getByRole('status')).toContainText(`${name} is kept online by this device`, { timeout: 60_000 })

    // asked when the card renders: reload until the relay has the keeper's announcement
    await expect.poll(async () => {
      await host.reload()
      const line = card.getByText(/keeps? a copy/)
      await expect(line).not.toContainText('Asking who keeps a copy', { timeout: 30_000 })
      return line.textContent()
    }, { timeout: 120_000, intervals: [2_000] }).toContain('1 peer keeps a copy')
    await card.screenshot({ path: testInfo.outputPath('peers-card-dark-390.png') })

    // and on demand
    await card.getByRole('button', { name: 'Check again who keeps a copy' }).click()
    await expect(card.getByText('1 peer keeps a copy')).toBeVisible({ timeout: 30_000 })
  } finally {
    await keeperContext.close()
    await owner.close()
  }
})
