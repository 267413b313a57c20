import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { plainGet } from './support/plain-http.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { expectVisitsSplit, hostSite, siteUrl, uniqueLabel, visitSite } from './support/site.js'
import type { RelayProcess } from './support/relay-process.js'

/** Visitors with the site worker, each in a fresh browser context; then one plain HTTP client. */
const WORKER_VISITS = 2

/** A small site: a page and its stylesheet. */
async function smallSite (): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'wia-visits-'))
  await mkdir(join(root, 'css'))
  await writeFile(join(root, 'index.html'), '<!doctype html><html><head><link rel="stylesheet" href="css/site.css"><title>Counted</title></head><body><h1>Count me</h1></body></html>')
  await writeFile(join(root, 'css/site.css'), `body { color: rgb(1, 2, 3) }\n/* ${'padding '.repeat(200)}*/\n`)
  return root
}

test('visits chart shows the visits the test made, split by who served them', async ({ browser }) => {
  test.setTimeout(180_000)
  const started = new Date()
  // no site cache: the app's request to keep the site is refused, so the first
  // visitor's blocks come from the host; the relay's store answers later ones
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--cache-size', '0'] })
  const owner = await browser.newContext()
  let restarted: RelayProcess | undefined
  try {
    const host = await owner.newPage()
    const label = uniqueLabel('visits')
    const name = `${label}.wia.home`
    await hostSite(host, { app: relay.appUrl, label, folder: await smallSite() })

    for (let i = 0; i < WORKER_VISITS; i++) {
      const visitor = await browser.newContext()
      try {
        const page = await visitor.newPage()
        const response = await visitSite(page, siteUrl(name, '/', String(relay.httpPort)))
        expect(response.status()).toBe(200)
        await expect(page.getByRole('heading', { name: 'Count me' })).toBeVisible()
      } finally {
        await visitor.close()
      }
    }
    const plain = await plainGet(`${name}.localhost`, '/', {}, relay.httpPort)
    expect(plain.status).toBe(200)
    const visits = WORKER_VISITS + 1

    // the relay's report, as any client reads it
    const today = new Date().toISOString().slice(0, 10)
    await expect.poll(async () => {
      const report = await (await fetch(new URL(`/_wia/visits/${name}`, relay.appUrl))).json() as { days: Array<{ day: string, visits: number }> }
      return report.days.at(-1)
    }, { timeout: 10_000 }).toMatchObject({ day: today, visits })

    // the card says so, and its chart's table splits the bytes by who served
    // them: this device served the first visitor's blocks, the relay's store the rest
    await expectVisitsSplit(host, name, visits, started)
    const card = host.getByRole('article', { name })
    await expect(card.getByText(`${visits} visits in the last 30 days`, { exact: true })).toBeVisible()
    await expect(card.getByRole('img', { name: /Bar chart of visits per day/ })).toBeVisible()

    // the counts are in the relay's datastore: a restarted relay still has them
    await owner.close()
    await relay.stop()
    restarted = await relay.startAgain()
    const report = await (await fetch(new URL(`/_wia/visits/${name}`, restarted.appUrl))).json() as { days: Array<{ day: string, visits: number, served: { cache: number, peers: number } }> }
    expect(report.days.at(-1)).toMatchObject({ day: today, visits })
    expect(report.days.at(-1)?.served.cache).toBeGreaterThan(0)
  } finally {
    await owner.close()
    await relay.stop()
    await restarted?.stop()
  }
})
