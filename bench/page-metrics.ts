import type { CDPSession, Page } from '@playwright/test'

/** One reading of Chromium's own per-page metrics (CDP `Performance.getMetrics`). */
export interface PageMetrics {
  /** Renderer clock of the reading (s). */
  timestamp: number
  /** Main-thread time spent in tasks since the page started (s). */
  taskDuration: number
  /** Main-thread time spent running script since the page started (s). */
  scriptDuration: number
  /** Used JS heap of the page (bytes). */
  jsHeapUsed: number
}

/** Reads {@link PageMetrics} of one page through its own CDP session. */
export interface MetricsProbe {
  read(): Promise<PageMetrics>
  detach(): Promise<void>
}

/** Attach a CDP session to `page` and enable its Performance domain. */
export async function probeMetrics (page: Page): Promise<MetricsProbe> {
  const session: CDPSession = await page.context().newCDPSession(page)
  await session.send('Performance.enable', { timeDomain: 'timeTicks' })
  return {
    async read () {
      const { metrics } = await session.send('Performance.getMetrics')
      const get = (name: string): number => {
        const metric = metrics.find(m => m.name === name)
        if (metric == null) {
          throw new Error(`Chromium reported no ${name} metric`)
        }
        return metric.value
      }
      return {
        timestamp: get('Timestamp'),
        taskDuration: get('TaskDuration'),
        scriptDuration: get('ScriptDuration'),
        jsHeapUsed: get('JSHeapUsedSize')
      }
    },
    async detach () {
      await session.detach()
    }
  }
}

/** Main-thread CPU between two readings, in % of one core. */
export function cpuPercent (from: PageMetrics, to: PageMetrics): number {
  return (100 * (to.taskDuration - from.taskDuration)) / (to.timestamp - from.timestamp)
}
