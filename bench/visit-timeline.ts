import { requestMark, WARM_FETCHED_MARK, WARM_RESOLVED_MARK } from '../sw/marks.js'
import { summarize } from './stats.js'
import type { BrowserContext, Page } from '@playwright/test'

/**
 * The moments of one cold visit through the site worker, in ms from the
 * first document's navigation start (the bootstrap page): where its time
 * goes. From the page's Navigation and Resource Timing and the worker's
 * User Timing marks (`sw/marks.ts`).
 */
export interface ColdVisitTimeline {
  /** The bootstrap page's load event: it has registered the worker. */
  bootstrapLoaded: number
  /** The worker's script started (its time origin). */
  workerStarted: number
  /**
   * The worker had the origin's name record, verified: its install's warm-up
   * (`WARM_RESOLVED_MARK`), else the page's request (`wia:resolved`).
   */
  nameResolved: number
  /**
   * The install's warm-up kept the page's blocks (`WARM_FETCHED_MARK`; the
   * page's request waits for it); `NaN` when no warm-up fetched them.
   */
  pageFetched: number
  /** The worker answered the page's own request (`wia:response`), its blocks fetched and checked. */
  pageServed: number
  /** The last of the page's subresources arrived (Resource Timing `responseEnd`). */
  lastSubresource: number
  /** The served page's load event. */
  loaded: number
  /** CAR requests the worker made to the relay for the visit (`/_wia/ipfs/`, Resource Timing). */
  carRequests: number
}

/** Key under which {@link recordFirstDocument} keeps the first document's time origin (epoch ms). */
export const T0_KEY = 'wia-bench-t0'

/** Key under which it keeps the time (epoch ms) the first document, the bootstrap page, fired its load event. */
const BOOTSTRAP_LOADED_KEY = 'wia-bench-bootstrap-loaded'

/**
 * Have every page of `context` keep, in its session storage, the time origin
 * of its tab's first document and when that document loaded: the start of
 * a visit that goes through a bootstrap page and a reload.
 */
export async function recordFirstDocument (context: BrowserContext): Promise<void> {
  await context.addInitScript(({ key, loadedKey }) => {
    if (sessionStorage.getItem(key) == null) {
      sessionStorage.setItem(key, String(performance.timeOrigin))
      addEventListener('load', () => { sessionStorage.setItem(loadedKey, String(performance.timeOrigin + performance.now())) })
    }
  }, { key: T0_KEY, loadedKey: BOOTSTRAP_LOADED_KEY })
}

const PHASES = ['bootstrapLoaded', 'workerStarted', 'nameResolved', 'pageFetched', 'pageServed', 'lastSubresource', 'loaded'] as const

/**
 * Read the timeline of the cold visit `page` shows (loaded through the site
 * worker, in a context set up by {@link recordFirstDocument}) from the page
 * and the context's one service worker.
 */
export async function coldVisitTimeline (context: BrowserContext, page: Page): Promise<ColdVisitTimeline> {
  const worker = context.serviceWorkers()[0]
  if (worker == null) {
    throw new Error('the visit has no service worker')
  }
  const pathname = new URL(page.url()).pathname
  // no named functions inside: tsx's esbuild would wrap them in a helper the worker does not have
  const fromWorker = await worker.evaluate((marks) => ({
    origin: performance.timeOrigin,
    warmResolved: performance.getEntriesByName(marks.warmResolved, 'mark').at(0)?.startTime,
    warmFetched: performance.getEntriesByName(marks.warmFetched, 'mark').at(0)?.startTime,
    resolved: performance.getEntriesByName(marks.resolved, 'mark').at(-1)?.startTime,
    response: performance.getEntriesByName(marks.response, 'mark').at(-1)?.startTime,
    cars: performance.getEntriesByType('resource').filter(entry => entry.name.includes('/_wia/ipfs/')).length
  }), { warmResolved: WARM_RESOLVED_MARK, warmFetched: WARM_FETCHED_MARK, resolved: requestMark('resolved', pathname), response: requestMark('response', pathname) })
  const fromPage = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[]
    return {
      origin: performance.timeOrigin,
      loaded: nav.loadEventEnd,
      lastSubresource: resources.reduce((last, entry) => Math.max(last, entry.responseEnd), nav.responseEnd)
    }
  })
  const [t0, bootstrapLoaded] = await page.evaluate(keys => keys.map(key => Number(sessionStorage.getItem(key) ?? Number.NaN)), [T0_KEY, BOOTSTRAP_LOADED_KEY])
  if (t0 == null || bootstrapLoaded == null) {
    throw new Error('the visit was not recorded from its first document')
  }
  const worker0 = fromWorker.origin - t0
  return {
    bootstrapLoaded: bootstrapLoaded - t0,
    workerStarted: worker0,
    nameResolved: worker0 + (fromWorker.warmResolved ?? fromWorker.resolved ?? Number.NaN),
    pageFetched: worker0 + (fromWorker.warmFetched ?? Number.NaN),
    pageServed: worker0 + (fromWorker.response ?? Number.NaN),
    lastSubresource: fromPage.origin - t0 + fromPage.lastSubresource,
    loaded: fromPage.origin - t0 + fromPage.loaded,
    carRequests: fromWorker.cars
  }
}

/** The medians of several visits' timelines, in words for a benchmark's notes. */
export function timelineText (timelines: ColdVisitTimeline[]): string {
  if (timelines.length === 0) {
    return ''
  }
  const median = (phase: keyof ColdVisitTimeline): string => {
    const samples = timelines.map(timeline => timeline[phase]).filter(Number.isFinite)
    return samples.length === 0 ? '?' : summarize(samples).median.toFixed(0)
  }
  const words: Record<typeof PHASES[number], string> = {
    bootstrapLoaded: 'bootstrap page loaded',
    workerStarted: 'worker started',
    nameResolved: 'name resolved',
    pageFetched: "page's blocks fetched",
    pageServed: 'page served',
    lastSubresource: 'last subresource',
    loaded: 'load event'
  }
  return `where the time goes (median ms from the first request): ${PHASES.map(phase => `${words[phase]} ${median(phase)}`).join(', ')}; ${median('carRequests')} CAR requests`
}
