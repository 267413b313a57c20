import { hostSite, siteUrl, uniqueLabel, visitSite } from '../e2e/support/site.js'
import { result } from './report.js'
import { makeBigFileSite } from './sites.js'
import { startStaticServer } from './static-server.js'
import { summarize } from './stats.js'
import type { BenchResult } from './report.js'
import type { Browser, Page } from '@playwright/test'

/** Path of the large file in the site (see `makeBigFileSite`). */
const FILE_PATH = '/big.bin'
/** Bytes per MiB. */
const MIB = 1_048_576
/** Longest a fetch of the file may take before the benchmark gives up (ms). */
const FETCH_TIMEOUT_MS = 120_000

export interface ThroughputBenchInit {
  browser: Browser
  /** Size of the file (bytes). */
  bytes: number
  reps: number
}

/**
 * Fetch `path` in the page and read the whole body; MiB/s from the request to
 * the last byte, timed with `performance.now()` inside the page.
 *
 * @throws when the status is not 200 or the body has another length than `bytes`
 */
async function fetchRate (page: Page, path: string, bytes: number): Promise<number> {
  const { status, length, ms } = await page.evaluate(async ({ p, timeout }) => {
    const start = performance.now()
    const res = await fetch(p, { signal: AbortSignal.timeout(timeout) })
    let length = 0
    const reader = res.body!.getReader()
    for (let chunk = await reader.read(); chunk.done !== true; chunk = await reader.read()) {
      length += chunk.value.byteLength
    }
    return { status: res.status, length, ms: performance.now() - start }
  }, { p: path, timeout: FETCH_TIMEOUT_MS })
  if (status !== 200 || length !== bytes) {
    throw new Error(`fetch of ${path} answered ${status} with ${length} of ${bytes} bytes`)
  }
  return bytes / MIB / (ms / 1000)
}

/**
 * Host → visitor throughput of one large file: the host context publishes a
 * site with the file, a fresh visitor context opens the site (the worker
 * installs) and then `fetch`es the file through the site service worker —
 * the product path (DHT lookup done, blocks from the host's tab). Beside the
 * same file fetched from a static loopback HTTP server in the same Chromium.
 */
export async function benchThroughput (init: ThroughputBenchInit): Promise<BenchResult> {
  const { browser, bytes } = init
  const folder = await makeBigFileSite(bytes)
  const staticServer = await startStaticServer(folder)
  const hostContext = await browser.newContext()
  try {
    const label = uniqueLabel('tput')
    await hostSite(await hostContext.newPage(), { label, folder })
    const product: number[] = []
    const loopback: number[] = []
    const failures: string[] = []
    for (let i = 0; i < init.reps; i++) {
      const staticContext = await browser.newContext()
      const staticPage = await staticContext.newPage()
      await staticPage.goto(`${staticServer.url}/`)
      loopback.push(await fetchRate(staticPage, FILE_PATH, bytes))
      await staticContext.close()

      // a fresh visitor each time, so no block is cached by an earlier repetition
      const visitorContext = await browser.newContext()
      try {
        const visitor = await visitorContext.newPage()
        await visitSite(visitor, siteUrl(`${label}.wia.home`, '/'))
        product.push(await fetchRate(visitor, FILE_PATH, bytes))
      } catch (err) {
        // a failed transfer is a finding, not a crash: counted in the notes
        failures.push((err as Error).message.split('\n')[0]!)
      } finally {
        await visitorContext.close()
      }
    }
    if (product.length === 0) {
      throw new Error(`every transfer failed: ${failures.join('; ')}`)
    }
    return result({
      id: 'throughput-host-to-visitor',
      what: `host → visitor, one ${(bytes / MIB).toFixed(0)} MiB file (SW fetch from the host's tab)`,
      unit: 'MiB/s',
      better: 'higher',
      measured: summarize(product),
      baseline: { what: 'same file from a static loopback HTTP server', summary: summarize(loopback) },
      target: '≥ 0.25× through a relay (≥ 0.8× of raw RTCDataChannel when direct)',
      notes: 'fetch() of the file in the visitor page after its worker is installed and the name resolved; performance.now() from the request to the last byte inside the page. The transport (direct WebRTC or relayed) is whatever the product chose.' +
        (failures.length === 0 ? '' : ` ${failures.length} of ${init.reps} transfers failed and are left out: ${failures.join('; ')}`)
    })
  } finally {
    await hostContext.close()
    staticServer.server.close()
  }
}
