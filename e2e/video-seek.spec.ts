import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { expectRelayCopy, hostSite, siteUrl, uniqueLabel, visitSite } from './support/site.js'
import { startTamperingProxy } from './support/tampering-proxy.js'
import { makeTestVideo } from './support/test-video.js'
import type { Locator, Response } from '@playwright/test'

/** Where the relay's blocks and CARs are served (Trustless Gateway, `docs/http.md`). */
const BLOCK_PATHS = '/_wia/ipfs/'

/** How long a count must stay the same to be taken as final (ms). */
const SETTLE_MS = 2_000

/** `count()` once it has not changed for {@link SETTLE_MS}. */
async function settled (count: () => number): Promise<number> {
  let last = -1
  await expect.poll(() => {
    const now = count()
    const same = now === last
    last = now
    return same
  }, { intervals: [SETTLE_MS], timeout: 30_000 }).toBe(true)
  return last
}

async function currentTime (player: Locator): Promise<number> {
  return player.evaluate((video: HTMLVideoElement) => video.currentTime)
}

test('a 20 MB video in a hosted site plays and seeks to its middle without downloading the rest', async ({ browser }) => {
  test.setTimeout(180_000)
  const folder = await mkdtemp(join(tmpdir(), 'wia-site-'))
  const file = join(folder, 'video.webm')
  const video = await makeTestVideo(browser, file)
  await writeFile(join(folder, 'index.html'), '<!doctype html><title>Video</title><h1>A video</h1><video src="video.webm" aria-label="Noise" controls muted></video>')
  await writeFile(join(folder, 'about.html'), '<!doctype html><title>About</title><h1>No video here</h1>')
  const owner = await browser.newContext()
  const visitor = await browser.newContext()
  // the visitors' origin is served through a proxy that counts the bytes the relay sends
  const proxy = await startTamperingProxy(Number(process.env.WIA_HTTP_PORT))
  try {
    const label = uniqueLabel('video')
    const host = await owner.newPage()
    await hostSite(host, { label, folder })
    await expectRelayCopy(host)

    const page = await visitor.newPage()
    const media: Response[] = []
    page.on('response', response => {
      if (new URL(response.url()).pathname === '/video.webm') media.push(response)
    })
    expect((await visitSite(page, siteUrl(`${label}.wia.home`, '/', String(proxy.port)))).status()).toBe(200)
    const player = page.getByLabel('Noise')
    await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.readyState >= v.HAVE_METADATA)).toBe(true)
    const duration = await player.evaluate((v: HTMLVideoElement) => v.duration)
    expect(duration).toBeCloseTo(video.seconds, 0)

    await player.evaluate((v: HTMLVideoElement) => v.play())
    await expect.poll(() => currentTime(player)).toBeGreaterThan(1)
    const beforeSeek = proxy.bytesServed(BLOCK_PATHS)

    const middle = duration / 2
    const seekStart = Date.now()
    await player.evaluate(async (v: HTMLVideoElement, to: number) => {
      const seeked = new Promise(resolve => { v.addEventListener('seeked', resolve, { once: true }) })
      v.currentTime = to
      await seeked
    }, middle)
    const seekedMs = Date.now() - seekStart
    await expect.poll(() => currentTime(player)).toBeGreaterThan(middle + 1)
    const playingMs = Date.now() - seekStart
    // paused, the player has what it buffered ahead: once no byte comes for a while, that is all this visit fetched
    await player.evaluate((v: HTMLVideoElement) => { v.pause() })
    const served = await settled(() => proxy.bytesServed(BLOCK_PATHS))

    console.log(`video: ${video.bytes} bytes, ${duration.toFixed(1)} s, made in ${video.makeMs} ms; relay served ${beforeSeek} bytes of blocks to play from the start, ` +
      `${served - beforeSeek} more for the seek to ${middle.toFixed(1)} s (seeked in ${seekedMs} ms, playing 1 s past it after ${playingMs} ms), ` +
      `${served} in all (${(100 * served / video.bytes).toFixed(1)} %); ${media.length} media responses`)
    expect(served).toBeLessThan(0.6 * video.bytes)

    // the worker answered every media request with a part of the file
    expect(media.length).toBeGreaterThanOrEqual(2)
    for (const response of media) {
      expect(response.fromServiceWorker()).toBe(true)
      expect(response.status()).toBe(206)
      expect(await response.headerValue('content-range')).toMatch(new RegExp(`^bytes \\d+-\\d+/${video.bytes}$`))
    }
    const start = Math.floor(video.bytes / 2)
    const part = await page.evaluate(async (range: string) => {
      const res = await fetch('/video.webm', { headers: { range } })
      return { status: res.status, contentRange: res.headers.get('content-range'), bytes: Array.from(new Uint8Array(await res.arrayBuffer())) }
    }, `bytes=${start}-${start + 999}`)
    expect(part.status).toBe(206)
    expect(part.contentRange).toBe(`bytes ${start}-${start + 999}/${video.bytes}`)
    expect(Buffer.from(part.bytes).equals((await readFile(file)).subarray(start, start + 1000))).toBe(true)

    // a HEAD from a new visitor on a page without the video answers the file's size and fetches its root, not its bytes
    const other = await browser.newContext()
    try {
      const second = await other.newPage()
      expect((await visitSite(second, siteUrl(`${label}.wia.home`, '/about.html', String(proxy.port)))).status()).toBe(200)
      const beforeHead = await settled(() => proxy.bytesServed(BLOCK_PATHS))
      const head = await second.evaluate(async () => {
        const res = await fetch('/video.webm', { method: 'HEAD' })
        return { status: res.status, length: res.headers.get('content-length') }
      })
      expect(head).toEqual({ status: 200, length: String(video.bytes) })
      const forHead = await settled(() => proxy.bytesServed(BLOCK_PATHS)) - beforeHead
      console.log(`video: a HEAD fetched ${forHead} bytes of blocks`)
      expect(forHead).toBeLessThan(0.01 * video.bytes)
    } finally {
      await other.close()
    }
  } finally {
    await visitor.close()
    await owner.close()
    await proxy.close()
  }
})
