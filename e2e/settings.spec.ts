import { expect, test } from '@playwright/test'
import { appUrl, openScreen } from './support/site.js'

test('settings show the relay reachable and the storage figures; a bad relay address is refused; the sleep time persists across a reload', async ({ page }) => {
  await page.goto(appUrl())
  await openScreen(page, 'Settings')
  const settings = page.getByRole('region', { name: 'This device' })
  const relays = settings.getByRole('list', { name: 'Relays in use' })

  // the test relay the app's server lists, reached by the node once it runs
  await expect(async () => {
    await settings.getByRole('button', { name: 'Check again' }).click()
    await expect(relays.getByRole('listitem').first()).toContainText('Reachable', { timeout: 2_000 })
  }).toPass({ timeout: 60_000 })
  await expect(relays.getByRole('listitem').first()).toContainText("(this app's server)")

  await expect(settings.getByText(/^Storage used: [\d.]+ k?M?G?B of [\d.]+ [kMGT]?B this browser allows\.$/)).toBeVisible()
  await expect(settings.getByText(/^Persistent storage: (on|off)\./)).toBeVisible()

  const address = settings.getByLabel('Relay address')
  await address.fill('relay.example.com')
  await settings.getByRole('button', { name: 'Add relay' }).click()
  await expect(settings.getByRole('alert')).toContainText('That is not a relay address')
  await address.fill('/ip4/127.0.0.1/tcp/9')
  await settings.getByRole('button', { name: 'Add relay' }).click()
  await expect(settings.getByRole('alert')).toContainText('That is not a relay address')

  // a relay that does not answer: kept, shown as not reachable
  await address.fill('http://127.0.0.1:9/')
  await settings.getByRole('button', { name: 'Add relay' }).click()
  await expect(settings.getByRole('status')).toContainText('Relay added')
  const added = relays.getByRole('listitem').filter({ hasText: 'http://127.0.0.1:9' })
  await expect(added).toContainText('Not reachable')

  const sleep = settings.getByLabel('Sleep after (minutes without visitors)')
  await sleep.fill('0')
  await settings.getByRole('button', { name: 'Save sleep time' }).click()
  await expect(settings.getByRole('alert')).toContainText('whole number of minutes from 1 to 1440')
  await sleep.fill('17')
  await settings.getByRole('button', { name: 'Save sleep time' }).click()
  await expect(settings.getByRole('status')).toContainText('sleeps after 17 minutes')

  await page.reload()
  await expect(sleep).toHaveValue('17')
  await expect(added).toBeVisible()
  await added.getByRole('button', { name: 'Remove relay http://127.0.0.1:9' }).click()
  await expect(added).toHaveCount(0)
  await expect(settings.getByRole('status')).toContainText('Relay removed')
})
