import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core'
import { beforeEach, describe, expect, it } from 'vitest'
import { exporterFiles, importSite } from '../content/index.js'
import { serveSitePath } from './serve.js'
import type { SiteFile, SiteFiles } from '../content/index.js'
import type { CID } from 'multiformats/cid'

const NAME = 'alice.wia.home'

function siteFile (path: string, text: string): SiteFile {
  const bytes = new TextEncoder().encode(text)
  return { path, size: bytes.byteLength, content: async function * () { yield bytes } }
}

const SITE = [
  siteFile('index.html', '<h1>home</h1>'),
  siteFile('css/a.css', 'body { color: red }'),
  siteFile('deep/a/b/c.txt', 'deep text'),
  siteFile('docs/index.htm', '<h1>docs</h1>'),
  siteFile('empty/readme.txt', 'no index here'),
  siteFile('my docs/index.html', '<h1>spaced</h1>')
]

// `unixfs` over a bare MemoryBlockstore: importing 'helia' crashes on Node 20 (undici 8).
// every case runs over @helia/unixfs (the app, tests) and over the bare exporter (the site worker, the relay)
describe.each(['unixfs', 'exporter'] as const)('serveSitePath over %s', (reader) => {
  let fs: SiteFiles
  let root: CID
  let rootWith404: CID

  beforeEach(async () => {
    const blockstore = new MemoryBlockstore()
    const writer = unixfs({ blockstore })
    root = (await importSite(writer, SITE)).root
    rootWith404 = (await importSite(writer, [...SITE, siteFile('404.html', '<h1>lost?</h1>')])).root
    fs = reader === 'unixfs' ? writer : exporterFiles(blockstore)
  })

  const get = async (pathname: string, method = 'GET', site = root): Promise<Response> =>
    serveSitePath(fs, site, { pathname, method, name: NAME })

  it('serves index.html for /', async () => {
    const response = await get('/')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(response.headers.get('ETag')).toMatch(/^"b[a-z2-7]+"$/)
    expect(await response.text()).toBe('<h1>home</h1>')
  })

  it('serves a file with its content type and length', async () => {
    const response = await get('/css/a.css')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/css; charset=utf-8')
    expect(response.headers.get('Content-Length')).toBe('19')
    expect(await response.text()).toBe('body { color: red }')
  })

  it('answers one byte range with 206 and only those bytes, 416 past the end', async () => {
    const partial = await serveSitePath(fs, root, { pathname: '/css/a.css', method: 'GET', range: 'bytes=7-11' })
    expect(partial.status).toBe(206)
    expect(partial.headers.get('Content-Range')).toBe('bytes 7-11/19')
    expect(partial.headers.get('Content-Length')).toBe('5')
    expect(await partial.text()).toBe('color')
    const tail = await serveSitePath(fs, root, { pathname: '/css/a.css', method: 'GET', range: 'bytes=-4' })
    expect(await tail.text()).toBe('ed }')
    const past = await serveSitePath(fs, root, { pathname: '/css/a.css', method: 'GET', range: 'bytes=50-' })
    expect(past.status).toBe(416)
    expect(past.headers.get('Content-Range')).toBe('bytes */19')
  })

  it('answers 304 to a matching If-None-Match and the whole file otherwise', async () => {
    const first = await get('/css/a.css')
    const etag = first.headers.get('ETag')!
    expect(first.headers.get('Cache-Control')).toBe('public, max-age=15')
    const again = await serveSitePath(fs, root, { pathname: '/css/a.css', method: 'GET', ifNoneMatch: etag })
    expect(again.status).toBe(304)
    expect(again.headers.get('ETag')).toBe(etag)
    expect((await serveSitePath(fs, root, { pathname: '/css/a.css', method: 'GET', ifNoneMatch: '"other"' })).status).toBe(200)
  })

  it('serves a deeply nested file', async () => {
    expect(await (await get('/deep/a/b/c.txt')).text()).toBe('deep text')
  })

  it('redirects a directory without a trailing slash', async () => {
    const response = await get('/deep')
    expect(response.status).toBe(301)
    expect(response.headers.get('Location')).toBe('/deep/')
  })

  it('keeps the query and encodes segments when redirecting', async () => {
    const response = await serveSitePath(fs, root, { pathname: '/my%20docs', search: '?x=1', method: 'GET' })
    expect(response.headers.get('Location')).toBe('/my%20docs/?x=1')
  })

  it('decodes percent-encoded segments', async () => {
    expect(await (await get('/my%20docs/')).text()).toBe('<h1>spaced</h1>')
  })

  it('serves index.htm when there is no index.html', async () => {
    expect(await (await get('/docs/')).text()).toBe('<h1>docs</h1>')
  })

  it('answers HEAD with headers and no body', async () => {
    const response = await get('/css/a.css', 'HEAD')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Length')).toBe('19')
    expect(response.body).toBeNull()
  })

  it('answers 404 with the standard page for a missing path', async () => {
    const response = await get('/nope.html')
    expect(response.status).toBe(404)
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    const text = await response.text()
    expect(text).toContain('/nope.html')
    expect(text).toContain(NAME)
  })

  it.each([
    ['a directory without an index', '/empty/'],
    ['a file with a trailing slash', '/css/a.css/'],
    ['a path below a file', '/css/a.css/x']
  ])('answers 404 for %s', async (_, pathname) => {
    expect((await get(pathname)).status).toBe(404)
  })

  it("answers 404 with the site's own 404.html when it has one", async () => {
    const response = await get('/nope.html', 'GET', rootWith404)
    expect(response.status).toBe(404)
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(await response.text()).toBe('<h1>lost?</h1>')
  })

  it('answers 405 to POST', async () => {
    const response = await get('/', 'POST')
    expect(response.status).toBe(405)
    expect(response.headers.get('Allow')).toBe('GET, HEAD')
  })

  it('answers 400 to a path that escapes the root', async () => {
    expect((await get('/../x')).status).toBe(400)
    expect((await get('/a%00b')).status).toBe(400)
  })

  it('throws an abort for the caller to turn into a response', async () => {
    await expect(serveSitePath(fs, root, { pathname: '/', method: 'GET' }, { signal: AbortSignal.abort() }))
      .rejects.toMatchObject({ name: 'AbortError' })
  })
})
