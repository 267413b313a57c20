import { execFile } from 'node:child_process'
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from '@playwright/test'
import { makeTestSite, siteSaying } from './support/fixtures.js'
import { plainGet } from './support/plain-http.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { expectRelayCopy, hostSite, submitFolder, uniqueLabel } from './support/site.js'
import type { RelayProcess } from './support/relay-process.js'

const run = promisify(execFile)

/** Bytes of the small filesystem the relay keeps its data on. */
const DISK_BYTES = 48 * 1024 * 1024

/** Write zeros into `path` until the filesystem has no space left. */
async function fillDisk (path: string): Promise<void> {
  const file = await open(path, 'w')
  const chunk = Buffer.alloc(1024 * 1024)
  try {
    for (;;) await file.write(chunk)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
  } finally {
    await file.close()
  }
}

test('a relay whose disk is full stays up, keeps resolving names and serving the sites it has, and says so in its health report', async ({ browser }) => {
  test.setTimeout(180_000)
  const disk = await mkdtemp(join(tmpdir(), 'wia-disk-'))
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${DISK_BYTES}`, 'tmpfs', disk])
  } catch (err) {
    await rmdir(disk)
    test.skip(true, `cannot mount a small filesystem here (needs root): ${(err as Error).message}`)
  }
  let relay: RelayProcess | undefined
  const owner = await browser.newContext()
  try {
    relay = await startRelay({ dataDir: join(disk, 'relay'), extraArgs: ['--pow-bits', String(TEST_POW_BITS)] })
    const health = async (): Promise<{ status: string, storage: { full: boolean, freeBytes: number } }> => (await fetch(`${relay!.appUrl}_wia/health`)).json()
    expect((await health()).storage.full).toBe(false)

    const kept = uniqueLabel('kept')
    const host = await owner.newPage()
    await hostSite(host, { app: relay.appUrl, label: kept, folder: await siteSaying('Kept before the disk filled') })
    await expectRelayCopy(host)
    await host.close()

    await fillDisk(join(disk, 'filler'))
    expect(await health()).toMatchObject({ status: 'degraded', storage: { full: true } })

    // a new host connects and reserves (the peer store is in memory), but the relay cannot store its name
    // record: the app says so rather than hanging, and the relay stays up
    const later = await owner.newPage()
    await later.goto(relay.appUrl)
    await later.getByRole('button', { name: 'Host' }).click()
    await submitFolder(later, { label: uniqueLabel('later'), folder: await makeTestSite() })
    await expect(later.getByRole('alert').first()).toContainText(/No relay accepted the record for .*\.wia\.home/, { timeout: 120_000 })
    expect(relay.process.exitCode).toBeNull()
    // ...and what it has is still resolved and served, with the owner gone
    await later.close()
    const record = await fetch(`${relay.appUrl}_wia/name/${kept}.wia.home`)
    expect(record.status).toBe(200)
    const page = await plainGet(`${kept}.wia.home.localhost`, '/', {}, relay.httpPort)
    expect(page.status).toBe(200)
    expect(page.body.toString()).toContain('Kept before the disk filled')

    await rm(join(disk, 'filler'))
    await expect.poll(async () => (await health()).storage.full).toBe(false)
  } finally {
    await owner.close()
    await relay?.stop()
    await run('umount', [disk]).catch(() => {})
    await rm(disk, { recursive: true, force: true })
  }
})
