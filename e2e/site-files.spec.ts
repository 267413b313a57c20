import { expect, test } from '@playwright/test'
import { TEST_SITE_FILES, changedSite, makeTestSite } from './support/fixtures.js'
import { expectSiteFiles, fetchDigest, hostSite, siteUrl, uniqueLabel, visitSite } from './support/site.js'

test('nested folders, an image and a 5 MB binary round-trip byte for byte', async ({ browser }) => {
  const folder = await makeTestSite()
  const hostContext = await browser.newContext()
  const visitorContext = await browser.newContext()
  try {
    const label = uniqueLabel('files')
    const name = `${label}.wia.blog`
    await hostSite(await hostContext.newPage(), { label, tld: 'blog', folder })

    const visitor = await visitorContext.newPage()
    const response = await visitSite(visitor, siteUrl(name, '/'))
    expect(response.status()).toBe(200)
    await expect(visitor.getByRole('heading', { name: 'Hello from a WIA site' })).toBeVisible()
    // the stylesheet and the image loaded through the service worker
    expect(await visitor.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(1, 2, 3)')
    await expect.poll(() => visitor.evaluate(() => (document.getElementById('logo') as HTMLImageElement).naturalWidth)).toBe(192)

    await expectSiteFiles(visitor, folder, TEST_SITE_FILES)

    const types = Object.fromEntries(await Promise.all(['/img/icon.png', '/css/site.css', '/data/blob.bin', '/docs/guide/deep/notes.txt']
      .map(async path => [path, (await fetchDigest(visitor, path)).contentType])))
    expect(types).toEqual({
      '/img/icon.png': 'image/png',
      '/css/site.css': 'text/css; charset=utf-8',
      '/data/blob.bin': 'application/octet-stream',
      '/docs/guide/deep/notes.txt': 'text/plain; charset=utf-8'
    })

    // a directory serves its index.html; without the trailing slash it redirects first
    const docs = await visitor.goto(siteUrl(name, '/docs'))
    expect(docs?.status()).toBe(200)
    expect(visitor.url()).toBe(siteUrl(name, '/docs/'))
    await expect(visitor.getByRole('heading', { name: 'Docs index' })).toBeVisible()

    // a missing path gets the site's own 404.html with status 404
    const missing = await visitor.goto(siteUrl(name, '/no/such/page.html'))
    expect(missing?.status()).toBe(404)
    await expect(visitor.getByRole('heading', { name: 'This site has no such page' })).toBeVisible()
  } finally {
    await visitorContext.close()
    await hostContext.close()
  }
})

test('a small site comes in two requests: its page, then the whole site, so its stylesheet and image ask for nothing of their own', async ({ browser }) => {
  // the test site without its 5 MB file: under the 2 MiB a cold visit fetches whole
  const folder = await changedSite(await makeTestSite(), { remove: ['data/blob.bin'] })
  const hostContext = await browser.newContext()
  const visitorContext = await browser.newContext()
  try {
    const label = uniqueLabel('small')
    await hostSite(await hostContext.newPage(), { label, folder })
    const visitor = await visitorContext.newPage()
    expect((await visitSite(visitor, siteUrl(`${label}.wia.home`, '/'))).status()).toBe(200)
    expect(await visitor.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(1, 2, 3)')
    await expect.poll(() => visitor.evaluate(() => (document.getElementById('logo') as HTMLImageElement).naturalWidth)).toBe(192)
    await expectSiteFiles(visitor, folder, TEST_SITE_FILES.filter(path => path !== 'data/blob.bin'))
    // a fetch enters Resource Timing once its body has ended
    const cars = async (): Promise<string[]> => visitorContext.serviceWorkers()[0]!.evaluate(() => performance.getEntriesByType('resource').map(entry => new URL(entry.name))
      .filter(url => url.pathname.startsWith('/_wia/ipfs/')).map(url => `${url.pathname.replace(/^\/_wia\/ipfs\/[^/]+/, '')}?${url.searchParams.get('dag-scope')}`))
    await expect.poll(cars).toEqual(['/index.html?entity', '?all'])
  } finally {
    await visitorContext.close()
    await hostContext.close()
  }
})
