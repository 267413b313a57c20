import { once } from 'node:events'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { bigSiteSaying, siteSaying } from './support/fixtures.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { expectLive, fetchDigest, fileDigest, hostSite, openHostForm, siteCard, siteUrl, submitFolder, uniqueLabel, visitSite, visitorSees } from './support/site.js'
import type { RelayProcess } from './support/relay-process.js'
import type { Browser, Page } from '@playwright/test'

/** Random data added to the published version, so its import lasts long enough to kill the relay meanwhile (bytes). */
const PUBLISH_EXTRA_BYTES = 24 * 1000 * 1000
/** The one large file the visitor fetches while the relay is killed (bytes). */
const VISIT_FILE_BYTES = 20 * 1000 * 1000
/** The large file's path in its site. */
const VISIT_FILE = 'data/part-0.bin'
/** How often the visitor tries again while the relay is down or starting (ms). */
const RETRY_MS = 250
/** How long one try may take once the relay is back (ms). */
const TRY_TIMEOUT_MS = 10_000
/** Longest wait for a first served visit after the restart (ms). */
const GIVE_UP_MS = 90_000

/** A relay of its own, without a cache: every block a visitor gets comes from the host. */
async function startOwnRelay (): Promise<RelayProcess> {
  return startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--cache-size', '0'] })
}

/** Kill the relay with SIGKILL (no shutdown: its store and sockets left as they are) and wait until it is gone. */
async function killRelay (relay: RelayProcess): Promise<void> {
  const exited = once(relay.process, 'exit')
  relay.process.kill('SIGKILL')
  await exited
}

/** The app's header, which says whether visitors can reach this device. */
async function expectOnline (host: Page, timeout = 60_000): Promise<void> {
  await expect(host.locator('header')).toContainText('Online', { timeout })
}

/** The `h1` a fresh visitor sees at `url`, or `undefined` when the try fails (the relay down, or the page not the site's). */
async function tryVisit (browser: Browser, url: string): Promise<string | null | undefined> {
  const visitor = await browser.newContext()
  try {
    const page = await visitor.newPage()
    page.setDefaultNavigationTimeout(TRY_TIMEOUT_MS)
    const response = await visitSite(page, url, { timeout: TRY_TIMEOUT_MS })
    return response.status() === 200 ? await page.getByRole('heading', { level: 1 }).textContent() : undefined
  } catch {
    return undefined
  } finally {
    await visitor.close()
  }
}

/** Where the page's fetch of a large file stands (`window.bigFetch`). */
interface BigFetch {
  /** Body bytes read so far. */
  received: number
  /** `pending`, `status <code>` once the body was read whole, or `failed: <error>`. */
  outcome: string
  /** SHA-256 (hex) of the body, once read whole. */
  sha256?: string
}

/** Start fetching `path` in the page (through its worker), reading and hashing the body; see {@link bigFetchState}. */
async function startBigFetch (page: Page, path: string): Promise<void> {
  await page.evaluate((p: string) => {
    const state: BigFetch = { received: 0, outcome: 'pending' }
    Object.assign(window, { bigFetch: state })
    void (async () => {
      try {
        const res = await fetch(p)
        const chunks: Array<Uint8Array<ArrayBuffer>> = []
        const reader = res.body!.getReader()
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
          chunks.push(chunk.value)
          state.received += chunk.value.byteLength
        }
        const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', await new Blob(chunks).arrayBuffer()))
        state.sha256 = Array.from(hash, b => b.toString(16).padStart(2, '0')).join('')
        state.outcome = `status ${res.status}`
      } catch (err) {
        state.outcome = `failed: ${String(err)}`
      }
    })()
  }, path)
}

/** Where the fetch {@link startBigFetch} started stands. */
async function bigFetchState (page: Page): Promise<BigFetch> {
  return page.evaluate(() => (window as unknown as { bigFetch: BigFetch }).bigFetch)
}

test('a relay killed in the middle of a publish: the app says so and keeps the live version, then re-reserves after the restart and publishes', async ({ browser }) => {
  test.setTimeout(240_000)
  let relay = await startOwnRelay()
  const owner = await browser.newContext()
  try {
    const label = uniqueLabel('restart')
    const name = `${label}.wia.home`
    const url = siteUrl(name, '/', String(relay.httpPort))
    const v2 = await bigSiteSaying('Version two', PUBLISH_EXTRA_BYTES)
    const host = await owner.newPage()
    await hostSite(host, { app: relay.appUrl, label, folder: await siteSaying('Version one') })
    await expectOnline(host)

    // version 2's import is under way when its only relay dies
    await openHostForm(host)
    await submitFolder(host, { label, folder: v2 })
    await expect(host.getByText(/Storing files/)).toBeVisible({ timeout: 60_000 })
    await killRelay(relay)

    // the app says what happened and what to do; the live version is still listed, nothing half-published
    const alert = host.getByRole('alert')
    await expect(alert).toBeVisible({ timeout: 60_000 })
    const words = await alert.textContent()
    console.info('relay-restart publish alert:', words)
    // the relay went while the record was announced or put, whichever the import reached first
    await expect(alert).toContainText(/No relay (gave this device a place to be reached|accepted the record for)/)
    await expect(alert).toContainText('Nothing was published')
    await expect(alert).toContainText('once the top of the page says Online, click Publish again')
    await expect(siteCard(host, name)).toContainText('version 1,')
    await expect(siteCard(host, name)).not.toContainText('version 2,')
    await expect(host.getByText(/Storing files|Announcing your site/)).toBeHidden()

    // the same relay comes back: the app takes its reservation again by itself
    const spawnedAt = performance.now()
    relay = await relay.startAgain()
    const relayStartedAfterMs = performance.now() - spawnedAt
    await expectOnline(host)
    console.info('relay-restart publish figures', { onlineAfterRestartMs: Math.round(performance.now() - spawnedAt), relayStartedAfterMs: Math.round(relayStartedAfterMs) })
    // the name still points at the live version: nothing of the cut publish reached the network
    expect(await visitorSees(browser, url)).toBe('Version one')

    // Publish again goes through, and a fresh visitor gets the new version. A
    // record cut off in its put may have been stored (by the tab's own DHT
    // node, or by the relay before it died): the next goes above it, so
    // version 2 is then numbered 3
    const cutInPut = /No relay accepted the record/.test(words ?? '')
    await submitFolder(host, { label, folder: v2 })
    await expectLive(host)
    await expect(siteCard(host, name)).toContainText(cutInPut ? 'version 3,' : 'version 2,')
    expect(await visitorSees(browser, url)).toBe('Version two')
  } finally {
    await owner.close()
    await relay.stop()
  }
})

test('a relay killed while a visitor loads a large file: the request fails without wrong bytes, and after the restart the site is served again', async ({ browser }) => {
  test.setTimeout(240_000)
  let relay = await startOwnRelay()
  const owner = await browser.newContext()
  const visitor = await browser.newContext()
  try {
    const label = uniqueLabel('midvisit')
    const url = siteUrl(`${label}.wia.home`, '/', String(relay.httpPort))
    const folder = await bigSiteSaying(`Site ${label}`, VISIT_FILE_BYTES, VISIT_FILE_BYTES)
    const host = await owner.newPage()
    await hostSite(host, { app: relay.appUrl, label, folder })
    await expectOnline(host)

    // same-run baseline: a fresh visitor before the kill
    const visitStart = performance.now()
    expect(await visitorSees(browser, url)).toBe(`Site ${label}`)
    const visitBeforeKillMs = performance.now() - visitStart

    // the visitor's page fetches the large file through its worker; the relay dies meanwhile
    const page = await visitor.newPage()
    await visitSite(page, url)
    await startBigFetch(page, `/${VISIT_FILE}`)
    await page.waitForTimeout(RETRY_MS)
    await killRelay(relay)
    const killed = (await bigFetchState(page)).received
    await expect.poll(async () => (await bigFetchState(page)).outcome, { timeout: 60_000 }).not.toBe('pending')
    const { outcome, received, sha256 } = await bigFetchState(page)
    // a network error or an error status; a 200 only with the file's own bytes
    if (outcome === 'status 200') {
      expect({ length: received, sha256 }).toEqual(await fileDigest(join(folder, VISIT_FILE)))
    }

    // the same relay comes back; fresh visitors try from the moment it is spawned
    const spawnedAt = performance.now()
    let startedMs: number | undefined
    const starting = relay.startAgain().then(restarted => {
      startedMs = performance.now() - spawnedAt
      return restarted
    })
    let firstServedMs: number | undefined
    let tries = 0
    try {
      while (performance.now() - spawnedAt < GIVE_UP_MS) {
        tries++
        if (await tryVisit(browser, url) === `Site ${label}`) {
          firstServedMs = performance.now() - spawnedAt
          break
        }
        await new Promise(resolve => setTimeout(resolve, RETRY_MS))
      }
    } finally {
      // the restarted relay is this test's to stop, whatever happened meanwhile
      relay = await starting
    }
    expect(firstServedMs, `no visit served within ${GIVE_UP_MS} ms of the restart`).toBeDefined()

    // the visitor's worker gets the large file right now, byte for byte
    await visitSite(page, url)
    const served = await fetchDigest(page, `/${VISIT_FILE}`)
    expect(served.status).toBe(200)
    expect({ length: served.length, sha256: served.sha256 }).toEqual(await fileDigest(join(folder, VISIT_FILE)))
    console.info('relay-restart figures', {
      firstServedAfterRestartMs: Math.round(firstServedMs!),
      relayStartedAfterMs: Math.round(startedMs!),
      tries,
      visitBeforeKillMs: Math.round(visitBeforeKillMs),
      midVisit: { outcome, receivedBytes: received, receivedAtKillBytes: killed }
    })
  } finally {
    await owner.close()
    await visitor.close()
    await relay.stop()
  }
})
