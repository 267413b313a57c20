import { readFile } from 'node:fs/promises'
import { expect, test } from '@playwright/test'
import { siteSaying } from './support/fixtures.js'
import { appUrl, expectHeadingEventually, hostSite, openHostForm, openScreen, publishFolder, siteUrl, uniqueLabel, visitSite } from './support/site.js'

const PASSPHRASE = 'correct horse battery staple'


test('a name belongs to its first registrant: updates, refusals, key backup and restore', async ({ browser }) => {
  const label = uniqueLabel('alice')
  const name = `${label}.wia.home`
  const contextA = await browser.newContext({ acceptDownloads: true })
  const contextB = await browser.newContext()
  const visitorContext = await browser.newContext()
  try {
    // A registers the name and publishes version 1
    const pageA = await contextA.newPage()
    await hostSite(pageA, { label, folder: await siteSaying('Version one') })

    // B, with its own key, cannot take it
    const pageB = await contextB.newPage()
    await pageB.goto(appUrl())
    await openHostForm(pageB)
    await pageB.getByRole('textbox', { name: 'Site name' }).fill(label)
    await pageB.getByLabel('Site folder').setInputFiles(await siteSaying('Impostor'))
    await pageB.getByRole('button', { name: 'Publish', exact: true }).click()
    await expect(pageB.getByRole('alert')).toContainText(`${name} is already registered`)
    await expect(pageB.getByRole('status').filter({ hasText: 'Your site is live' })).toHaveCount(0)

    // a visitor sees version 1
    const visitor = await visitorContext.newPage()
    await visitSite(visitor, siteUrl(name))
    await expect(visitor.getByRole('heading', { name: 'Version one' })).toBeVisible()

    // A publishes an update; the visitor sees it within 60 s
    await publishFolder(pageA, { label, folder: await siteSaying('Version two') })
    await expect.poll(async () => {
      await visitor.reload()
      return visitor.getByRole('heading', { level: 1 }).textContent()
    }, { timeout: 60_000, intervals: [2_000] }).toBe('Version two')

    // after its first publish, A is asked to back up its key; it saves the key file, and the prompt stops
    const prompt = pageA.getByRole('complementary', { name: 'Back up your key' })
    await expect(prompt).toBeVisible()
    await prompt.getByRole('button', { name: 'Back up now' }).click()
    // it leads to the Your key screen, the backup passphrase focused
    await expect(pageA.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Your key', exact: true })).toHaveAttribute('aria-current', 'page')
    const passphrase = pageA.getByLabel('Backup passphrase', { exact: true })
    await expect(passphrase).toBeFocused()
    await passphrase.fill('password')
    await expect(pageA.getByText('Weak: easy to guess')).toBeVisible()
    await passphrase.fill(PASSPHRASE)
    await expect(pageA.getByText('Strong.')).toBeVisible()
    await pageA.getByLabel('Repeat backup passphrase').fill(`${PASSPHRASE}!`)
    await pageA.getByRole('button', { name: 'Download key file' }).click()
    await expect(pageA.getByRole('alert')).toContainText('The two passphrases differ')
    await pageA.getByLabel('Repeat backup passphrase').fill(PASSPHRASE)
    const download = pageA.waitForEvent('download')
    await pageA.getByRole('button', { name: 'Download key file' }).click()
    const keyFile = await (await download).path()
    expect(JSON.parse(await readFile(keyFile, 'utf8'))).toMatchObject({ format: 'wia-home-identity', version: 1 })
    await openScreen(pageA, 'My sites')
    await expect(pageA.getByRole('region', { name: 'Your sites' })).toBeVisible()
    await expect(prompt).toHaveCount(0)
    await pageA.reload()
    await expect(pageA.getByRole('region', { name: 'Your sites' })).toBeVisible()
    await expect(prompt).toHaveCount(0)

    // A loses its storage, restores the key from the file and publishes again under the same name
    const cdp = await contextA.newCDPSession(pageA)
    await cdp.send('Storage.clearDataForOrigin', { origin: new URL(appUrl()).origin, storageTypes: 'all' })
    await pageA.reload()
    await expect(pageA.getByRole('region', { name: 'Your sites' })).toHaveCount(0)
    await openScreen(pageA, 'Your key')

    await pageA.getByLabel('Key file').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"notes":[]}') })
    await pageA.getByLabel('Restore passphrase').fill(PASSPHRASE)
    await pageA.getByRole('button', { name: 'Restore key' }).click()
    await expect(pageA.getByRole('alert')).toContainText('This is not a wia-home key file')

    await pageA.getByLabel('Key file').setInputFiles(keyFile)
    await pageA.getByLabel('Restore passphrase').fill('not the passphrase')
    await pageA.getByRole('button', { name: 'Restore key' }).click()
    await expect(pageA.getByRole('alert')).toContainText('passphrase does not open this key file')

    await pageA.getByLabel('Restore passphrase').fill(PASSPHRASE)
    await pageA.getByRole('button', { name: 'Restore key' }).click()
    await expect(pageA.getByRole('status').filter({ hasText: 'Key restored' })).toContainText(name)
    // the key came from a file: no prompt to back it up again
    await openScreen(pageA, 'My sites')
    await expect(pageA.getByRole('region', { name: 'Your sites' })).toBeVisible()
    await expect(prompt).toHaveCount(0)

    await openHostForm(pageA)
    await publishFolder(pageA, { label, folder: await siteSaying('Version three') })
    const newcomer = await (await browser.newContext()).newPage()
    await visitSite(newcomer, siteUrl(name))
    await expect(newcomer.getByRole('heading', { name: 'Version three' })).toBeVisible()
    await newcomer.context().close()
  } finally {
    await visitorContext.close()
    await contextB.close()
    await contextA.close()
  }
})

test('the owner transfers a name to another key; pinned visitors follow it and the old key can no longer publish', async ({ browser }) => {
  const label = uniqueLabel('moving')
  const name = `${label}.wia.page`
  const contextA = await browser.newContext()
  const contextB = await browser.newContext()
  const visitorContext = await browser.newContext()
  try {
    const pageA = await contextA.newPage()
    await hostSite(pageA, { label, tld: 'page', folder: await siteSaying('Old owner') })
    const visitor = await visitorContext.newPage()
    await visitSite(visitor, siteUrl(name))
    await expect(visitor.getByRole('heading', { name: 'Old owner' })).toBeVisible()

    const pageB = await contextB.newPage()
    await pageB.goto(appUrl())
    await openScreen(pageB, 'Transfer')
    const keyIdB = pageB.getByLabel('Your key ID')
    await expect(keyIdB).toHaveText(/^12D3Koo/)

    await openScreen(pageA, 'Transfer')
    await pageA.getByLabel('Name to transfer').fill(name)
    await pageA.getByLabel('New owner key ID').fill((await keyIdB.textContent())!)
    await pageA.getByRole('button', { name: 'Transfer name' }).click()
    const token = await pageA.getByLabel('Transfer token (send it to the new owner)').inputValue()
    expect(token.length).toBeGreaterThan(100)

    await pageB.getByLabel('Received transfer token').fill(token)
    await pageB.getByRole('button', { name: 'Accept transfer' }).click()
    await expect(pageB.getByRole('status').filter({ hasText: 'accepted' })).toContainText(name)
    await openHostForm(pageB)
    await publishFolder(pageB, { label, tld: 'page', folder: await siteSaying('New owner') })

    // the visitor pinned the old key; a transfer signed by it is followed, not
    // warned about. Its site worker is restarted (storage and pin kept): a
    // long-running worker node was seen failing to reach a host that came
    // under a new PeerId (see the closing note of the WIA DNS issue).
    await visitor.evaluate(async () => { await (await navigator.serviceWorker.getRegistration())?.unregister() })
    await expectHeadingEventually(visitor, siteUrl(name, '/'), 'New owner')

    // the old key lost the name
    await openHostForm(pageA)
    await pageA.getByRole('textbox', { name: 'Site name' }).fill(label)
    await pageA.getByRole('combobox', { name: 'Domain' }).selectOption('page')
    await pageA.getByLabel('Site folder').setInputFiles(await siteSaying('Old owner again'))
    await pageA.getByRole('button', { name: 'Publish', exact: true }).click()
    await expect(pageA.getByRole('alert')).toContainText(`${name} is already registered`)
  } finally {
    await visitorContext.close()
    await contextB.close()
    await contextA.close()
  }
})
