import { hostSite, uniqueLabel } from '../e2e/support/site.js'
import { cpuPercent, probeMetrics } from './page-metrics.js'
import { result } from './report.js'
import { summarize } from './stats.js'
import type { MetricsProbe, PageMetrics } from './page-metrics.js'
import type { BenchResult } from './report.js'
import type { Browser } from '@playwright/test'

/** Bytes per MiB. */
const MIB = 1_048_576

export interface IdleBenchInit {
  browser: Browser
  /** Folder the hosting tab publishes. */
  folder: string
  /** Length of the idle period (s). */
  seconds: number
  /** Number of equal intervals the period is cut into; each gives one sample. */
  intervals: number
  /** Time the freshly published host gets to finish its start-up work before the period (s). */
  settleSeconds: number
}

interface Sampled {
  cpu: number[]
  heapMiB: number[]
}

/**
 * A hosting tab at rest: the app page that has published a site, left alone
 * for `seconds`, beside an `about:blank` page in another context of the same
 * Chromium over the same period. Each interval gives one sample of
 * main-thread CPU (CDP `TaskDuration` delta over the renderer clock, % of one
 * core) and used JS heap (`JSHeapUsedSize`, MiB, without forcing a GC).
 *
 * The tab is awake (its node keeps its relay connection and reservation);
 * the ids end in `-awake` so a later sleep mode can report `-asleep` beside it.
 */
export async function benchIdleHost (init: IdleBenchInit): Promise<BenchResult[]> {
  const { browser } = init
  const hostContext = await browser.newContext()
  const blankContext = await browser.newContext()
  const probes: MetricsProbe[] = []
  try {
    const hostPage = await hostContext.newPage()
    await hostSite(hostPage, { label: uniqueLabel('idle'), folder: init.folder })
    const blankPage = await blankContext.newPage()
    await blankPage.goto('about:blank')
    await new Promise(resolve => setTimeout(resolve, 1000 * init.settleSeconds))

    probes.push(await probeMetrics(hostPage), await probeMetrics(blankPage))
    const samples: Sampled[] = probes.map(() => ({ cpu: [], heapMiB: [] }))
    let previous: PageMetrics[] = await Promise.all(probes.map(async p => p.read()))
    for (let i = 0; i < init.intervals; i++) {
      await new Promise(resolve => setTimeout(resolve, (1000 * init.seconds) / init.intervals))
      const now = await Promise.all(probes.map(async p => p.read()))
      now.forEach((reading, j) => {
        samples[j]!.cpu.push(cpuPercent(previous[j]!, reading))
        samples[j]!.heapMiB.push(reading.jsHeapUsed / MIB)
      })
      previous = now
    }
    const [host, blank] = samples as [Sampled, Sampled]
    const period = `${init.seconds} s idle in ${init.intervals} intervals`
    return [
      result({
        id: 'idle-host-awake-heap',
        what: 'hosting tab idle (awake), JS heap',
        unit: 'MiB',
        measured: summarize(host.heapMiB),
        baseline: { what: 'about:blank in the same Chromium, same period', summary: summarize(blank.heapMiB) },
        target: '≤ 16 MiB',
        notes: `${period}; CDP Performance.getMetrics JSHeapUsedSize of the app page (main thread only, no forced GC); the app's own service worker is not counted.`
      }),
      result({
        id: 'idle-host-awake-cpu',
        what: 'hosting tab idle (awake), CPU',
        unit: '% of one core',
        measured: summarize(host.cpu),
        baseline: { what: 'about:blank in the same Chromium, same period', summary: summarize(blank.cpu) },
        target: 'asleep ≤ 0.05 % (no sleep mode yet: this is awake)',
        notes: `${period}; CDP Performance.getMetrics TaskDuration delta over its Timestamp (main thread of the page). Sleep mode does not exist yet; an "asleep" variant belongs beside this one as idle-host-asleep-cpu.`
      })
    ]
  } finally {
    await Promise.all(probes.map(async p => p.detach().catch(() => {})))
    await hostContext.close()
    await blankContext.close()
  }
}
