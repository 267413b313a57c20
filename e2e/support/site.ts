import { createHash, randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import type { Browser, Locator, Page, Response } from '@playwright/test'
import { VISITOR_BLOCKS_DB } from '../../sw/block-cache.js'
import { WRITE_QUIET_MS } from '../../sw/write-behind.js'

/** The app URL of the relay started by the global setup. */
export function appUrl (): string {
  const url = process.env.WIA_APP_URL
  if (url == null) {
    throw new Error('WIA_APP_URL is not set: run the e2e tests through playwright (global setup starts the relay)')
  }
  return url
}

/** `http://<name>.localhost:PORT<path>` for a site, by default on the test relay's port. */
export function siteUrl (name: string, path = '/', port = process.env.WIA_HTTP_PORT): string {
  return `http://${name}.localhost:${port}${path}`
}

/** A site label no other test run uses (the DHT outlives one test). */
export function uniqueLabel (prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`
}

export interface HostInit {
  /** The app to use. @default the global test relay's app */
  app?: string
  label: string
  tld?: 'home' | 'shop' | 'blog' | 'page'
  /** Folder on disk to host. */
  folder: string
}

/**
 * Host a folder through the app's UI, exactly as a person would: **Host**,
 * **Site name**, **Domain**, **Site folder**, **Publish**, then wait for the
 * `status` that says the site is live. Returns the site URL it links to.
 */
export async function hostSite (page: Page, init: HostInit): Promise<string> {
  await page.goto(init.app ?? appUrl())
  await page.getByRole('button', { name: 'Host' }).click()
  return publishFolder(page, init)
}

/** The app's screens, by the words of their link in the navigation. */
export type ScreenName = 'My sites' | 'Your key' | 'Transfer' | 'Keep online' | 'Settings'

/** Open one of the app's screens through its navigation, as a person would. */
export async function openScreen (page: Page, name: ScreenName): Promise<void> {
  const link = page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name, exact: true })
  await link.click()
  await expect(link).toHaveAttribute('aria-current', 'page')
}

/** Open the app's hosting form (on **My sites**) unless it is open already. */
export async function openHostForm (page: Page): Promise<void> {
  await openScreen(page, 'My sites')
  const host = page.getByRole('button', { name: 'Host' })
  if (await host.getAttribute('aria-expanded') !== 'true') {
    await host.click()
  }
}

/** Fill the open hosting form and click **Publish**, without waiting for the outcome. */
export async function submitFolder (page: Page, init: HostInit): Promise<void> {
  await page.getByRole('textbox', { name: 'Site name' }).fill(init.label)
  await page.getByRole('combobox', { name: 'Domain' }).selectOption(init.tld ?? 'home')
  await page.getByLabel('Site folder').setInputFiles(init.folder)
  await page.getByRole('button', { name: 'Publish', exact: true }).click()
}

/**
 * Fill the open hosting form and click **Publish**; waits for the `status`
 * that says the site is live and returns the site URL it links to.
 */
export async function publishFolder (page: Page, init: HostInit): Promise<string> {
  await submitFolder(page, init)
  return expectLive(page)
}

/** Wait for the hosting form's `status` that says the site is live; returns the site URL it links to. */
export async function expectLive (page: Page): Promise<string> {
  const live = page.getByRole('status').filter({ hasText: 'Your site is live' })
  await expect(live).toBeVisible({ timeout: 60_000 })
  const href = await live.getByRole('link').getAttribute('href')
  expect(href).not.toBeNull()
  return href!
}

/**
 * Open a site URL: on a first visit the server's bootstrap page installs the
 * site service worker and reloads. Resolves with the navigation response the
 * service worker gave, once that document has finished loading.
 */
export async function visitSite (page: Page, url: string, options: { timeout?: number } = {}): Promise<Response> {
  const timeout = options.timeout ?? 45_000
  const fromWorker = page.waitForResponse(
    res => res.url() === url && res.request().isNavigationRequest() && res.fromServiceWorker(),
    { timeout }
  )
  try {
    await page.goto(url)
  } catch (err) {
    // the page is gone (a relay down refuses it): nobody waits for the worker's answer now
    fromWorker.catch(() => {})
    throw err
  }
  const response = await fromWorker
  await expect.poll(async () => {
    try {
      return await page.evaluate(() => document.readyState === 'complete' && document.getElementById('wia-bootstrap') == null)
    } catch {
      return false // the document was replaced while we asked
    }
  }, { timeout }).toBe(true)
  return response
}

/** The `h1` a fresh visitor (its own context: no cached name, worker or blocks) sees at `url`. */
export async function visitorSees (browser: Browser, url: string): Promise<string | null> {
  const visitor = await browser.newContext()
  try {
    const page = await visitor.newPage()
    await visitSite(page, url)
    return await page.getByRole('heading', { level: 1 }).textContent()
  } finally {
    await visitor.close()
  }
}

export interface Digest {
  status: number
  length: number
  sha256: string
  contentType: string | null
}

/** Fetch a path in the page (through its service worker) and hash the body. */
export async function fetchDigest (page: Page, path: string): Promise<Digest> {
  return page.evaluate(async (p: string) => {
    const res = await fetch(p)
    const bytes = new Uint8Array(await res.arrayBuffer())
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
    return {
      status: res.status,
      length: bytes.byteLength,
      sha256: Array.from(hash, b => b.toString(16).padStart(2, '0')).join(''),
      contentType: res.headers.get('content-type')
    }
  }, path)
}

/** SHA-256 (hex) and length of a file on disk. */
export async function fileDigest (path: string): Promise<{ length: number, sha256: string }> {
  const bytes = await readFile(path)
  return { length: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') }
}

/**
 * Wait until the site worker of `page`'s origin has kept at least `atLeast`
 * blocks in its IndexedDB block cache and is done writing (the count stood
 * still for longer than its quiet time, `WRITE_QUIET_MS`): what a visitor
 * has for its next visit. Returns the count.
 */
export async function blocksKept (page: Page, atLeast: number): Promise<number> {
  const count = async (): Promise<number> => page.evaluate(async (db) => new Promise<number>((resolve, reject) => {
    const open = indexedDB.open(db)
    open.onerror = () => { reject(open.error) }
    open.onsuccess = () => {
      const names = open.result.objectStoreNames
      if (!names.contains(db)) { open.result.close(); resolve(0); return }
      const request = open.result.transaction(db).objectStore(db).count()
      request.onsuccess = () => { open.result.close(); resolve(request.result) }
      request.onerror = () => { open.result.close(); reject(request.error) }
    }
  }), VISITOR_BLOCKS_DB)
  let last = -1
  let kept = 0
  await expect.poll(async () => {
    const previous = last
    last = kept = await count()
    return kept >= atLeast && kept === previous
  }, { timeout: 30_000, intervals: [WRITE_QUIET_MS + 200] }).toBe(true)
  return kept
}

/**
 * Bytes the site worker's block cache (IndexedDB, `page`'s origin) takes for
 * its blocks: what each stored value holds, as read back (`ArrayBuffer`
 * under each block, bytes). IndexedDB keeps the whole buffer under a stored
 * view, so this is what the visitor's quota pays, not just the blocks' length.
 */
export async function storedBlockBytes (page: Page): Promise<number> {
  return page.evaluate(async (db) => new Promise<number>((resolve, reject) => {
    const open = indexedDB.open(db)
    open.onerror = () => { reject(open.error) }
    open.onsuccess = () => {
      let bytes = 0
      const cursor = open.result.transaction(db).objectStore(db).openCursor()
      cursor.onsuccess = () => {
        if (cursor.result == null) { open.result.close(); resolve(bytes); return }
        bytes += (cursor.result.value as Uint8Array).buffer.byteLength
        cursor.result.continue()
      }
      cursor.onerror = () => { open.result.close(); reject(cursor.error) }
    }
  }), VISITOR_BLOCKS_DB)
}

/** Assert that every file of `folder` (relative `paths`) comes through the page's service worker byte for byte. */
export async function expectSiteFiles (page: Page, folder: string, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const served = await fetchDigest(page, `/${path}`)
    expect(served.status, path).toBe(200)
    expect({ length: served.length, sha256: served.sha256 }, path).toEqual(await fileDigest(join(folder, path)))
  }
}

/**
 * Visit `url` every 2 s until the page's `h1` says `heading` (a name record's
 * update reaching a visitor through its worker's name TTL), within `timeoutMs`.
 * Resolves with the number of visits it made.
 */
export async function expectHeadingEventually (page: Page, url: string, heading: string, timeoutMs = 60_000): Promise<number> {
  let visits = 0
  await expect.poll(async () => {
    visits++
    await visitSite(page, url)
    return page.getByRole('heading', { level: 1 }).textContent()
  }, { timeout: timeoutMs, intervals: [2_000] }).toBe(heading)
  return visits
}

/** The `h1` of the page a site's visitors get once its owner unpublished it. */
export const UNPUBLISHED_TITLE = 'This site was unpublished'

/** The UTC days (`YYYY-MM-DD`, the visits table's) from `since` to now. */
function daysSince (since: Date): string[] {
  const days: string[] = []
  for (let day = new Date(since.toISOString().slice(0, 10)); day.getTime() <= Date.now(); day = new Date(day.getTime() + 86_400_000)) {
    days.push(day.toISOString().slice(0, 10))
  }
  return days
}

/**
 * Wait until the **Visits** chart of `name`'s card (reopened until the
 * relays' counts arrive) says `visits` visits on the days since `since` (a
 * test that runs past midnight UTC counts on two rows), with bytes served
 * both by this device and by relays' caches, in its table and its line of
 * text.
 */
export async function expectVisitsSplit (host: Page, name: string, visits: number, since: Date): Promise<void> {
  await expect(async () => {
    const table = await openVisits(host, name)
    const rows = (await Promise.all(daysSince(since).map(async day => {
      const row = table.getByRole('row', { name: new RegExp(`^${day}`) })
      return await row.count() === 0 ? [] : [await row.getByRole('cell').allTextContents()]
    }))).flat()
    expect(rows.reduce((sum, cells) => sum + Number(cells[0]), 0)).toBe(visits)
    expect(rows.some(cells => cells[1]?.trim() !== '0 B')).toBe(true)
    expect(rows.some(cells => cells[2]?.trim() !== '0 B')).toBe(true)
  }).toPass({ timeout: 30_000 })
  await expect(siteCard(host, name).getByText(/Of .* served: this device [1-9]\d*%, relays' caches [1-9]\d*%, other peers \d+%\.$/)).toBeVisible()
}

export async function openVisits (host: Page, name: string): Promise<Locator> {
  const card = siteCard(host, name)
  const button = card.getByRole('button', { name: 'Visits' })
  if (await button.getAttribute('aria-expanded') === 'true') {
    await button.click()
  }
  await button.click()
  return card.getByRole('table', { name: /Visits and bytes served per day/ })
}

/** Wait until the app's site list says `relays` relays keep a copy of the site's version `version`. */
export async function expectRelayCopy (host: Page, version = 1, relays = 1): Promise<void> {
  await expect(host.getByRole('listitem').filter({ hasText: `version ${version},` }).getByText(`Kept by ${relays} ${relays === 1 ? 'relay' : 'relays'} while this device is off`))
    .toBeVisible({ timeout: 60_000 })
}

/** The card of `name` in the app's site list. */
export function siteCard (host: Page, name: string): Locator {
  return host.getByRole('region', { name: 'Your sites' }).getByRole('article', { name })
}
