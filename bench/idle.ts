import { hostSite, uniqueLabel } from '../e2e/support/site.js'
import { BROWSER_PING_INTERVAL_MS, RELAY_PING_INTERVAL_MS } from '../src/node/index.js'
import { cpuPercent, probeMetrics } from './page-metrics.js'
import { result } from './report.js'
import { summarize } from './stats.js'
import type { MetricsProbe, PageMetrics } from './page-metrics.js'
import type { BenchResult } from './report.js'
import type { Browser } from '@playwright/test'

/** Bytes per MiB. */
const MIB = 1_048_576
/** Length of the window one CPU sample covers (s): one idle minute (the measure). */
const CPU_WINDOW_S = 60

export interface IdleBenchInit {
  browser: Browser
  /** Folder the hosting tab publishes. */
  folder: string
  /** Length of the idle period (s). */
  seconds: number
  /** Number of equal intervals the period is cut into; each gives one sample. */
  intervals: number
  /**
   * Time the host gets before the period (s), counted from the publish
   * (awake) or from falling asleep (asleep): V8 collects the garbage of the
   * publish in its first ~45 s.
   */
  settleSeconds: number
  /**
   * `asleep`: host through `app` (a relay whose `--host-idle-ms` is short)
   * and measure once the tab says it sleeps. `awake`: the run's relay, whose
   * idle time (5 min) outlasts the period.
   */
  state: 'awake' | 'asleep'
  /** App URL for the host (default: the run's relay). */
  app?: string
}

interface Sampled {
  cpu: number[]
  heapMiB: number[]
}

/**
 * A hosting tab at rest: the app page that has published a site, left alone
 * for `seconds`, beside an `about:blank` page in another context of the same
 * Chromium over the same period. Each interval gives one sample of used JS
 * heap (`JSHeapUsedSize`, MiB, without forcing a GC); each whole minute of
 * the period (or the whole period when shorter) gives one sample of
 * main-thread CPU (CDP `TaskDuration` delta over the renderer clock, % of one
 * core): the tab's work comes in bursts (keep-alive pings, V8's GCs), so a
 * shorter window's median would hide them.
 *
 * `state` picks the tab awake (within its idle time) or asleep (sleep mode:
 * relay connections kept, DHT and timers stopped); ids end in `-awake` or `-asleep`.
 */
export async function benchIdleHost (init: IdleBenchInit): Promise<BenchResult[]> {
  const { browser } = init
  const hostContext = await browser.newContext()
  const blankContext = await browser.newContext()
  const probes: MetricsProbe[] = []
  try {
    const hostPage = await hostContext.newPage()
    await hostSite(hostPage, { label: uniqueLabel('idle'), folder: init.folder, app: init.app })
    if (init.state === 'asleep') {
      await hostPage.locator('header').getByText('sleeping').waitFor({ timeout: 60_000 })
    }
    const blankPage = await blankContext.newPage()
    await blankPage.goto('about:blank')
    await new Promise(resolve => setTimeout(resolve, 1000 * init.settleSeconds))

    probes.push(await probeMetrics(hostPage), await probeMetrics(blankPage))
    const samples: Sampled[] = probes.map(() => ({ cpu: [], heapMiB: [] }))
    const intervalsPerCpuSample = Math.max(1, Math.round((init.intervals * Math.min(CPU_WINDOW_S, init.seconds)) / init.seconds))
    let windowStart: PageMetrics[] = await Promise.all(probes.map(async p => p.read()))
    for (let i = 1; i <= init.intervals; i++) {
      await new Promise(resolve => setTimeout(resolve, (1000 * init.seconds) / init.intervals))
      const now = await Promise.all(probes.map(async p => p.read()))
      now.forEach((reading, j) => { samples[j]!.heapMiB.push(reading.jsHeapUsed / MIB) })
      if (i % intervalsPerCpuSample === 0) {
        now.forEach((reading, j) => { samples[j]!.cpu.push(cpuPercent(windowStart[j]!, reading)) })
        windowStart = now
      }
    }
    const [host, blank] = samples as [Sampled, Sampled]
    const period = `${init.seconds} s idle; heap every ${init.seconds / init.intervals} s, CPU per ${Math.min(CPU_WINDOW_S, init.seconds)} s`
    return [
      result({
        id: `idle-host-${init.state}-heap`,
        what: `hosting tab idle (${init.state}), JS heap`,
        unit: 'MiB',
        measured: summarize(host.heapMiB),
        baseline: { what: 'about:blank in the same Chromium, same period', summary: summarize(blank.heapMiB) },
        target: '≤ 16 MiB',
        notes: `${period}; CDP Performance.getMetrics JSHeapUsedSize of the app page (main thread only, no forced GC); the app's own service worker is not counted.`
      }),
      result({
        id: `idle-host-${init.state}-cpu`,
        what: `hosting tab idle (${init.state}), CPU`,
        unit: '% of one core',
        measured: summarize(host.cpu),
        baseline: { what: 'about:blank in the same Chromium, same period', summary: summarize(blank.cpu) },
        target: init.state === 'asleep' ? '≤ 0.05 %' : 'asleep ≤ 0.05 % (this is awake)',
        notes: `${period}; CDP Performance.getMetrics TaskDuration delta over its Timestamp (main thread of the page). Starts ${init.settleSeconds} s after ${init.state === 'asleep' ? 'the tab said it sleeps (relay --host-idle-ms 2000): relay connections kept, DHT and timers stopped' : 'the publish; awake: within the default 5 min idle time'}. Keep-alive: the relay pings every ${RELAY_PING_INTERVAL_MS / 1000} s, the tab every ${BROWSER_PING_INTERVAL_MS / 1000} s.`
      })
    ]
  } finally {
    await Promise.all(probes.map(async p => p.detach().catch(() => {})))
    await hostContext.close()
    await blankContext.close()
  }
}
