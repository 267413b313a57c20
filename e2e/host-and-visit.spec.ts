import { join, resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { fetchDigest, fileDigest, hostSite, siteUrl, uniqueLabel, visitSite } from './support/site.js'

/** The reveal.js npm package folder (demo.html, dist/, plugins): real input. */
const REVEAL_DIR = resolve('node_modules/reveal.js')

test('a folder hosted in one browser context opens by its WIA name in another', async ({ browser }) => {
  const hostContext = await browser.newContext()
  const visitorContext = await browser.newContext()
  try {
    const host = await hostContext.newPage()
    const label = uniqueLabel('reveal')
    const href = await hostSite(host, { label, folder: REVEAL_DIR })
    expect(href).toBe(siteUrl(`${label}.wia.home`))

    const visitor = await visitorContext.newPage()
    const failed: string[] = []
    const origin = new URL(href).origin
    visitor.on('requestfailed', req => {
      if (req.url().startsWith(origin)) failed.push(`${req.url()} ${req.failure()?.errorText}`)
    })
    visitor.on('response', res => {
      if (res.url().startsWith(origin) && res.status() >= 400) failed.push(`${res.url()} ${res.status()}`)
    })

    const url = siteUrl(`${label}.wia.home`, '/demo.html')
    const response = await visitSite(visitor, url)
    expect(response.status()).toBe(200)
    expect(response.headers()['content-type']).toBe('text/html; charset=utf-8')

    // the bootstrap page asked for the worker's first three answers as it registered the worker:
    // the worker's install got them from the browser's HTTP cache (no bytes over the network)
    const worker = visitorContext.serviceWorkers()[0]
    expect(worker).toBeDefined()
    const firstAnswers = await worker!.evaluate(() => (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter(entry => /\/_wia\/(config\.json|name\/|ipfs\/[^/]+\/demo\.html)/.test(entry.name))
      .map(entry => ({ path: new URL(entry.name).pathname.replace(/ipfs\/[^/]+/, 'ipfs/<root>'), fromCache: entry.transferSize === 0 && entry.encodedBodySize > 0 })))
    expect(firstAnswers).toEqual([
      { path: '/_wia/config.json', fromCache: true },
      { path: `/_wia/name/${label}.wia.home`, fromCache: true },
      { path: '/_wia/ipfs/<root>/demo.html', fromCache: true }
    ])

    // reveal.js initialised: its own API says so, and slides are laid out
    await expect.poll(async () => visitor.evaluate(() => (window as unknown as { Reveal?: { isReady?: () => boolean } }).Reveal?.isReady?.() === true), { timeout: 30_000 }).toBe(true)
    await expect(visitor.locator('.reveal .slides section').first()).toBeVisible()
    // its CSS applied (the theme sets the background) and its fonts loaded
    const styles = await visitor.evaluate(async () => {
      await document.fonts.ready
      return {
        sheets: document.styleSheets.length,
        background: getComputedStyle(document.querySelector('.reveal-viewport') ?? document.body).backgroundColor,
        fontsLoaded: [...document.fonts].filter(f => f.status === 'loaded').length
      }
    })
    expect(styles.sheets).toBeGreaterThanOrEqual(4)
    expect(styles.background).toBe('rgb(25, 25, 25)')
    expect(styles.fontsLoaded).toBeGreaterThan(0)

    // bytes fetched through the service worker equal the files on disk
    for (const path of ['demo.html', 'dist/reveal.js', 'dist/reveal.css', 'dist/theme/black.css', 'dist/plugin/highlight.js']) {
      const served = await fetchDigest(visitor, `/${path}`)
      const onDisk = await fileDigest(join(REVEAL_DIR, path))
      expect(served.status, path).toBe(200)
      expect({ length: served.length, sha256: served.sha256 }, path).toEqual(onDisk)
    }
    expect(failed).toEqual([])
  } finally {
    await visitorContext.close()
    await hostContext.close()
  }
})
