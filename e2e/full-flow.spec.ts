import { mkdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { changedSite, siteSaying } from './support/fixtures.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { UNPUBLISHED_TITLE, expectHeadingEventually, expectLive, expectVisitsSplit, publishFolder, siteCard, siteUrl, uniqueLabel, visitSite } from './support/site.js'
import { SCREENS_DIR, VIEWPORTS, checkScreen } from './support/screens.js'
import { NAME_TTL_MS } from '../sw/name-resolver.js'
import type { Locator, Page } from '@playwright/test'

/** What the update does to the first version's folder: one file changed, one added, one removed. */
const UPDATE = {
  change: { 'index.html': '<!doctype html><html><head><title>Test site</title></head><body><h1>Version two</h1></body></html>' },
  add: { 'news.html': '<!doctype html><title>News</title><h1>News</h1>' },
  remove: ['docs/guide/deep/notes.txt']
}

const byteLength = (text: string): number => new TextEncoder().encode(text).byteLength

/** Files of the first version (`makeTestSite`) the update leaves as they are. */
const UNCHANGED_FILES = 5

for (const [viewport, options] of Object.entries(VIEWPORTS)) {
  test(`full flow in the ${viewport} viewport: first run, host, copy link, update with the diff shown, roll back, unpublish, visits by who served them`, async ({ browser }) => {
    test.setTimeout(360_000)
    const started = new Date()
    await mkdir(SCREENS_DIR, { recursive: true })
    // a relay of its own without a site cache (as in visits.spec): the relay
    // fetches the first visitor's blocks from this device and serves later
    // visitors from its store, so both show in the visits chart
    const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--cache-size', '0'] })
    const owner = await browser.newContext({ ...options, permissions: ['clipboard-read', 'clipboard-write'] })
    const visitor = await browser.newContext(options)
    try {
      const label = uniqueLabel('flow')
      const name = `${label}.wia.home`
      const url = siteUrl(name, '/', String(relay.httpPort))
      const host = await owner.newPage()
      /** Tap on the phone, click on the desktop. */
      const press = async (target: Locator): Promise<void> => { await (options.hasTouch === true ? target.tap() : target.click()) }

      // a visit is a page the site answered (README "Visits"): the page
      // saying the site was unpublished is no visit of it
      let visits = 0
      const visit = async (page: Page): Promise<number> => {
        const response = await visitSite(page, url)
        visits += response.ok() ? 1 : 0
        return response.status()
      }

      // first run: what the app does, then Host and the first version
      await host.goto(relay.appUrl)
      await expect(host.getByRole('heading', { name: 'Host a website from this device' })).toBeVisible()
      await press(host.getByRole('button', { name: 'Host' }))
      const first = await siteSaying('Version one')
      expect(await publishFolder(host, { label, folder: first })).toBe(url)

      const page = await visitor.newPage()
      expect(await visit(page)).toBe(200)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Version one')
      // a second visitor, whose blocks the relay's store holds by now
      const other = await browser.newContext(options)
      try {
        expect(await visit(await other.newPage())).toBe(200)
      } finally {
        await other.close()
      }

      // Copy link puts the site's address on the clipboard
      const card = siteCard(host, name)
      await press(card.getByRole('button', { name: 'Copy link' }))
      await expect(card.getByRole('status')).toHaveText('Link copied')
      expect(await host.evaluate(async () => navigator.clipboard.readText())).toBe(url)

      // Update: the changed folder's diff against version 1, before publishing
      await press(card.getByRole('button', { name: 'Update' }))
      await expect(host.getByRole('textbox', { name: 'Site name' })).toHaveValue(label)
      const changes = host.getByRole('region', { name: 'Changes from version 1' })
      // the same folder again changes nothing, and says so
      await host.getByLabel('Site folder').setInputFiles(first)
      await expect(changes).toContainText('Nothing changes: every file is the same as in version 1.')
      await expect(changes.getByRole('list')).toHaveCount(0) // the unchanged files are collapsed
      await host.getByLabel('Site folder').setInputFiles(await changedSite(first, UPDATE))
      await expect(changes).not.toContainText('Nothing changes')
      // sizes below 1 kB, which the app writes as `N B`
      const added = byteLength(UPDATE.add['news.html'])
      const before = (await stat(join(first, 'index.html'))).size
      const after = byteLength(UPDATE.change['index.html'])
      const removed = (await stat(join(first, UPDATE.remove[0]!))).size
      await expect(changes.getByRole('list', { name: 'Added files' }).getByRole('listitem')).toHaveText([`news.html ${added} B`])
      await expect(changes.getByRole('list', { name: 'Changed files' }).getByRole('listitem')).toHaveText([`index.html ${before} B → ${after} B`])
      await expect(changes.getByRole('list', { name: 'Removed files' }).getByRole('listitem')).toHaveText([`${UPDATE.remove[0]!} ${removed} B`])
      await expect(changes).toContainText(`1 file added (${added} B), 1 file changed (${before} B → ${after} B), 1 file removed (${removed} B), ${UNCHANGED_FILES} files unchanged.`)
      await checkScreen(host, viewport, 'update-diff')
      await host.emulateMedia({ colorScheme: null })

      await press(host.getByRole('button', { name: 'Publish', exact: true }))
      await expectLive(host)
      await expect(changes).toHaveCount(0) // it compared with the version before
      visits += await expectHeadingEventually(page, url, 'Version two', NAME_TTL_MS + 30_000)

      // Roll back to version 1 from Versions: visitors see it again
      await press(card.getByRole('button', { name: 'Versions' }))
      const versions = card.getByRole('list', { name: `Versions of ${name}` })
      await press(versions.getByRole('button', { name: 'Roll back to version 1' }))
      await expect(card.getByRole('status')).toContainText('Rolled back to version 1', { timeout: 60_000 })
      visits += await expectHeadingEventually(page, url, 'Version one', NAME_TTL_MS + 30_000)

      // Unpublish: visitors get the page saying so
      await press(card.getByRole('button', { name: 'Unpublish' }))
      const dialog = host.getByRole('dialog', { name: `Unpublish ${name}?` })
      await expect(dialog).toContainText('Visitors will see a page saying the site was unpublished')
      await press(dialog.getByRole('button', { name: 'Unpublish' }))
      await expect(card.getByRole('status')).toContainText(`${name} is unpublished`, { timeout: 60_000 })
      await expect.poll(async () => visit(page), { timeout: NAME_TTL_MS + 30_000, intervals: [2_000] }).toBe(410)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(UNPUBLISHED_TITLE)

      // the visits chart counts the visits made here, and splits the bytes by who served them
      await expectVisitsSplit(host, name, visits, started)
      await expect(card.getByText(`${visits} visits in the last 30 days`, { exact: true })).toBeVisible()
    } finally {
      await visitor.close()
      await owner.close()
      await relay.stop()
    }
  })
}
