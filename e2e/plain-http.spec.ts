import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { expect, test } from '@playwright/test'
import { TEST_SITE_FILES, makeTestSite } from './support/fixtures.js'
import { plainGet } from './support/plain-http.js'
import { hostSite, uniqueLabel } from './support/site.js'

test('a client without a service worker (curl) gets the site from the relay: files, its 404 page, byte ranges, 304s and compressed text', async ({ browser }) => {
  const folder = await makeTestSite()
  const owner = await browser.newContext()
  try {
    const label = uniqueLabel('plain')
    const host = `${label}.wia.home.localhost`
    await hostSite(await owner.newPage(), { label, folder })

    for (const path of TEST_SITE_FILES) {
      const answer = await plainGet(host, `/${path}`)
      expect(answer.status, path).toBe(200)
      expect(answer.body.equals(await readFile(join(folder, path))), path).toBe(true)
    }
    const home = await plainGet(host, '/')
    expect(home.status).toBe(200)
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(home.body.toString()).toContain('Hello from a WIA site')
    const docs = await plainGet(host, '/docs')
    expect(docs.status).toBe(301)
    expect(docs.headers.location).toBe('/docs/')

    const missing = await plainGet(host, '/no/such/page')
    expect(missing.status).toBe(404)
    expect(missing.body.toString()).toContain('This site has no such page')

    const blob = await readFile(join(folder, 'data/blob.bin'))
    const middle = await plainGet(host, '/data/blob.bin', { range: 'bytes=2000000-2000999' })
    expect(middle.status).toBe(206)
    expect(middle.headers['content-range']).toBe(`bytes 2000000-2000999/${blob.byteLength}`)
    expect(middle.body.equals(blob.subarray(2_000_000, 2_001_000))).toBe(true)

    const css = await plainGet(host, '/css/site.css')
    const etag = css.headers.etag as string
    expect(etag).toMatch(/^"b[a-z2-7]+"$/)
    const again = await plainGet(host, '/css/site.css', { 'if-none-match': etag })
    expect(again.status).toBe(304)
    expect(again.body.byteLength).toBe(0)

    // text goes compressed to a client that accepts it (curl --compressed), the same bytes once inflated
    const compressed = await plainGet(host, '/css/site.css', { 'accept-encoding': 'gzip' })
    expect(compressed.headers['content-encoding']).toBe('gzip')
    expect(compressed.headers.vary).toContain('Accept-Encoding')
    expect(compressed.body.byteLength).toBeLessThan(css.body.byteLength)
    expect(gunzipSync(compressed.body).equals(await readFile(join(folder, 'css/site.css')))).toBe(true)
    expect((await plainGet(host, '/data/blob.bin', { 'accept-encoding': 'gzip' })).headers['content-encoding']).toBeUndefined()

    // a browser's first navigation still gets the page that installs the verifying worker
    const navigation = await plainGet(host, '/', { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate' })
    expect(navigation.body.toString()).toContain("navigator.serviceWorker.register('/_wia/sw.js'")
    // and no hosted file may be installed as a service worker in its place
    const script = await plainGet(host, '/css/site.css', { 'service-worker': 'script' })
    expect(script.status).toBe(403)
  } finally {
    await owner.close()
  }
})

test("plain clients reading a site at once while the relay starts keeping it (its owner asks on publish) all get it whole", async ({ browser }) => {
  const owner = await browser.newContext()
  try {
    const page = await owner.newPage()
    // a race, so three sites (each with a blob of its own): the keep's walk and the clients' requests want the same blocks
    for (let site = 0; site < 3; site++) {
      const folder = await makeTestSite()
      const label = uniqueLabel('keeping')
      const host = `${label}.wia.home.localhost`
      await hostSite(page, { label, folder })
      // three clients, each reading every file, all at once
      const reads = Array.from({ length: 3 }, async () => await Promise.all(TEST_SITE_FILES.map(async path => ({ path, answer: await plainGet(host, `/${path}`) }))))
      for (const { path, answer } of (await Promise.all(reads)).flat()) {
        expect(answer.status, `${label}: ${path}`).toBe(200)
        expect(answer.body.equals(await readFile(join(folder, path))), `${label}: ${path}`).toBe(true)
      }
    }
  } finally {
    await owner.close()
  }
})

test("the relay sends its own scripts compressed at build time: brotli or gzip as the client accepts, the same bytes once decoded, each with its own ETag", async () => {
  // the site worker's script, on a site origin; the app page and the app-shell worker (written after the bundle) on the app origin
  for (const [host, path] of [['precompressed.wia.home.localhost', '/_wia/sw.js'], ['localhost', '/'], ['localhost', '/app-shell.js']] as const) {
    const plain = await plainGet(host, path)
    expect(plain.status, path).toBe(200)
    expect(plain.headers['content-encoding'], path).toBeUndefined()
    const brotli = await plainGet(host, path, { 'accept-encoding': 'gzip, deflate, br, zstd' })
    expect(brotli.headers['content-encoding'], path).toBe('br')
    expect(brotliDecompressSync(brotli.body).equals(plain.body), path).toBe(true)
    const gzip = await plainGet(host, path, { 'accept-encoding': 'gzip' })
    expect(gzip.headers['content-encoding'], path).toBe('gzip')
    expect(gunzipSync(gzip.body).equals(plain.body), path).toBe(true)
    expect(brotli.body.byteLength, path).toBeLessThan(gzip.body.byteLength)
    for (const answer of [plain, brotli, gzip]) {
      expect(answer.headers.vary, path).toContain('Accept-Encoding')
    }
    // a cache that kept one encoding revalidates it, never gets another's bytes under its tag
    expect(new Set([plain, brotli, gzip].map(answer => answer.headers.etag)).size, path).toBe(3)
    expect((await plainGet(host, path, { 'accept-encoding': 'br', 'if-none-match': String(brotli.headers.etag) })).status, path).toBe(304)
    expect((await plainGet(host, path, { 'accept-encoding': 'gzip', 'if-none-match': String(brotli.headers.etag) })).status, path).toBe(200)
  }
  // the worker's script keeps the header that lets it control the whole site origin, whichever encoding
  expect((await plainGet('precompressed.wia.home.localhost', '/_wia/sw.js', { 'accept-encoding': 'br' })).headers['service-worker-allowed']).toBe('/')
})
