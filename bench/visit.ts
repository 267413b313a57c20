import { summarize } from './stats.js'
import { hostBenchSite } from './hosting.js'
import { emulateLatency, expectWorkerLatency } from './latency.js'
import { T0_KEY, coldVisitTimeline, recordFirstDocument, timelineText } from './visit-timeline.js'
import { result } from './report.js'
import { startStaticServer } from './static-server.js'
import { visitSite } from '../e2e/support/site.js'
import type { BenchResult } from './report.js'
import type { ColdVisitTimeline } from './visit-timeline.js'
import type { RelayProcess } from '../e2e/support/relay-process.js'
import type { Browser, BrowserContext, Page } from '@playwright/test'

/** Failed visits in a row after which the host is taken to be stuck and the repetitions stop. */
const MAX_FAILURES_IN_A_ROW = 3


export interface VisitBenchInit {
  browser: Browser
  /** Folder to host and to serve statically. */
  folder: string
  /** Path to open, e.g. `/demo.html`. */
  path: string
  /** Short label for ids and table rows. */
  label: string
  reps: number
  /**
   * Serve the visits from this relay's site cache instead: the host publishes
   * through it, waits until the relay keeps a copy, and goes offline before
   * the first visit. Absent: the relay of the run (no cache), blocks at the host only.
   */
  cacheRelay?: RelayProcess
  /** Target of the cold visit from DESIGN.md §7, in words (`≤ 3×`). */
  coldTarget: string
  /**
   * Emulated network latency (ms) of every request the static pages, the
   * visitor pages and the visitor's site worker make (`latency.ts`); the
   * host is not slowed. Absent: none.
   */
  latencyMs?: number
}

/** ms from the first document's navigation start to the load event of the document shown now. */
async function loadTimeFromFirstNavigation (page: Page): Promise<number> {
  await page.waitForFunction(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
    return nav != null && nav.loadEventEnd > 0
  })
  return page.evaluate((key) => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    const t0 = Number(sessionStorage.getItem(key) ?? performance.timeOrigin)
    return performance.timeOrigin + nav.loadEventEnd - t0
  }, T0_KEY)
}

/** ms from navigation start to the load event of the current document (Navigation Timing). */
async function loadTime (page: Page): Promise<number> {
  await page.waitForFunction(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
    return nav != null && nav.loadEventEnd > 0
  })
  return page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd)
}

/**
 * Cold and warm visits of a hosted site (blocks at the host only, or from a
 * relay's cache with the owner offline) through the site service worker,
 * beside the same files from a plain static server on loopback, all in one
 * Chromium; with `latencyMs`, both sides under the same emulated latency.
 *
 * Cold (SW): a fresh context; from the first request (bootstrap page, worker
 * install, reload) to the load event of the page the worker served.
 * Cold (static): a fresh context; navigation start to load event.
 * Warm: the same tab navigates to the URL again. Its subresources come from
 * Chromium's memory cache when still fresh (the worker's answers by name
 * carry `max-age=15`, the static server's `no-cache`), so the worker
 * answers the page's navigation only.
 * Repeat: a new tab of the same context opens the URL (the old tab left for
 * `about:blank`): a renderer of its own, so every file comes from the worker's own cache
 * (its blocks in memory or IndexedDB), or, static, from the HTTP cache after
 * a revalidation: a visitor coming back later.
 */
export async function benchVisits (init: VisitBenchInit): Promise<BenchResult[]> {
  const { browser, folder, path, reps, latencyMs } = init
  const staticServer = await startStaticServer(folder)
  const site = await hostBenchSite({ browser, folder, cacheRelay: init.cacheRelay })
  try {
    const url = site.url(path)
    const latency = latencyMs == null ? { id: '', what: '', baseline: '' } : { id: `-${latencyMs}ms`, what: `, ${latencyMs} ms latency`, baseline: `, same ${latencyMs} ms latency` }
    const newPage = async (context: BrowserContext): Promise<Page> => {
      const page = await context.newPage()
      if (latencyMs != null) await emulateLatency(page, latencyMs)
      return page
    }
    /**
     * Leave `page` for `about:blank` and open `url` in a new tab of its
     * context: the load time of that repeat visit. The new tab gets a
     * renderer of its own; `page` stays open, so its session's emulated
     * latency stays on the worker.
     */
    const repeatVisit = async (context: BrowserContext, page: Page, url: string): Promise<number> => {
      await page.goto('about:blank')
      const tab = await newPage(context)
      await tab.goto(url)
      return loadTime(tab)
    }

    const coldSw: number[] = []
    const warmSw: number[] = []
    const coldStatic: number[] = []
    const warmStatic: number[] = []
    const repeatSw: number[] = []
    const repeatStatic: number[] = []
    const timelines: ColdVisitTimeline[] = []
    const failures: string[] = []
    let failedInARow = 0
    let i = 0
    for (; i < reps && failedInARow < MAX_FAILURES_IN_A_ROW; i++) {
      // alternate the two so drift in machine load hits both alike
      const staticContext = await browser.newContext()
      const staticPage = await newPage(staticContext)
      await staticPage.goto(`${staticServer.url}${path}`)
      coldStatic.push(await loadTime(staticPage))
      await staticPage.goto(`${staticServer.url}${path}`)
      warmStatic.push(await loadTime(staticPage))
      if (latencyMs == null) repeatStatic.push(await repeatVisit(staticContext, staticPage, `${staticServer.url}${path}`))
      await staticContext.close()

      await site.beforeVisit()
      const visitorContext = await browser.newContext()
      await recordFirstDocument(visitorContext)
      try {
        const visitor = await newPage(visitorContext)
        const response = await visitSite(visitor, url)
        if (response.status() !== 200) {
          throw new Error(`status ${response.status()}`)
        }
        const cold = await loadTimeFromFirstNavigation(visitor)
        const timeline = await coldVisitTimeline(visitorContext, visitor)
        await visitor.goto(url)
        const warm = await loadTime(visitor)
        // without emulated latency only: a new tab's session emulates it on the worker only once attached, after the worker's first fetch
        const repeat = latencyMs == null ? await repeatVisit(visitorContext, visitor, url) : undefined
        if (latencyMs != null) await expectWorkerLatency(visitorContext, latencyMs)
        coldSw.push(cold)
        warmSw.push(warm)
        if (repeat != null) repeatSw.push(repeat)
        timelines.push(timeline)
        failedInARow = 0
      } catch (err) {
        failedInARow++
        // a failed visit is a finding, not a crash: counted in the notes, left out of the times
        failures.push(`visit ${i + 1}: ${(err as Error).message.split('\n')[0]!}`)
      } finally {
        await visitorContext.close()
      }
    }

    if (coldSw.length === 0) {
      throw new Error(`every visit of ${url} failed: ${failures.join('; ')}`)
    }
    const stopped = i < reps ? `; stopped after ${MAX_FAILURES_IN_A_ROW} failures in a row (${i} of ${reps} visits run)` : ''
    const notes = failures.length === 0 ? undefined : `${failures.length} of ${i} visits failed and are left out: ${failures.join('; ')}${stopped}`
    const coldNotes = [timelineText(timelines), notes].filter(note => note != null && note !== '').join('; ')
    return [
      result({
        id: `cold-visit-${init.label}${site.idSuffix}${latency.id}`,
        what: `cold visit, ${init.label} (SW, ${site.source}${latency.what})`,
        unit: 'ms',
        measured: summarize(coldSw),
        baseline: { what: `static loopback, fresh context${latency.baseline}`, summary: summarize(coldStatic) },
        target: init.coldTarget,
        notes: coldNotes
      }),
      result({
        id: `warm-visit-${init.label}${site.idSuffix}${latency.id}`,
        what: `warm visit, ${init.label} (SW, same visitor, from its own cache${init.cacheRelay == null ? '' : ', owner offline'}${latency.what})`,
        unit: 'ms',
        measured: summarize(warmSw),
        baseline: { what: `static loopback, warm (revalidate)${latency.baseline}`, summary: summarize(warmStatic) },
        target: '≤ 1.0×',
        notes
      }),
      ...repeatSw.length === 0 ? [] : [result({
        id: `repeat-visit-${init.label}${site.idSuffix}`,
        what: `repeat visit in a new tab, ${init.label} (SW, same visitor, every file from its own cache${init.cacheRelay == null ? '' : ', owner offline'})`,
        unit: 'ms',
        measured: summarize(repeatSw),
        baseline: { what: 'static loopback, new tab (revalidate)', summary: summarize(repeatStatic) },
        target: '≤ 1.0×',
        notes
      })]
    ]
  } finally {
    await site.close()
    staticServer.server.close()
  }
}
