import { availableParallelism } from 'node:os'
import { visitSite } from '../e2e/support/site.js'
import { hostBenchSite } from './hosting.js'
import { cpuByRole, processTimes } from './process-usage.js'
import { result } from './report.js'
import { makeBigFileSite } from './sites.js'
import { spawnStaticServer } from './static-server.js'
import { summarize } from './stats.js'
import type { BenchSite } from './hosting.js'
import type { ProcessRole, ProcessTime } from './process-usage.js'
import type { BenchResult } from './report.js'
import type { RelayProcess } from '../e2e/support/relay-process.js'
import type { Browser, Page } from '@playwright/test'

/** Path of the large file in the site (see `makeBigFileSite`). */
const FILE_PATH = '/big.bin'
/** Bytes per MiB. */
const MIB = 1_048_576
/** Longest a fetch of the file may take before the benchmark gives up (ms). */
const FETCH_TIMEOUT_MS = 120_000

/** A Chromium renderer process (pages, workers). */
const renderer = (p: ProcessTime): boolean => p.cmd.includes('--type=renderer')
/** A Chromium process or one it started. */
const chromium = (_: number, p: ProcessTime): boolean => /chrom/.test(p.cmd.split(' ')[0] ?? '')

/**
 * The processes a transfer's CPU is counted under, in the order a process
 * is matched (by itself or an ancestor): the host's Chromium (while it
 * serves: its renderer, which runs the app tab's node, apart from the rest),
 * the relays, the static server, the visitors' Chromium in three parts (the
 * renderer of its pages and site worker; the network service; the browser
 * process, which runs IndexedDB, and its other helpers), and what else the
 * bench process started.
 */
export function transferRoles (hostPid?: number): ProcessRole[] {
  const host = (pid: number): boolean => pid === hostPid
  return [
    { name: "host's renderer (app tab)", match: host, kind: renderer },
    { name: "host's browser process and helpers", match: host },
    { name: 'relay', match: (_, p) => p.cmd.includes('relay/main.js') },
    { name: 'static server', match: (_, p) => p.cmd.includes('static-server-process') },
    { name: "visitor's renderer (page, site worker)", match: chromium, kind: renderer },
    { name: "visitor's network service", match: chromium, kind: p => p.cmd.includes('network.mojom.NetworkService') },
    { name: "visitor's browser process (IndexedDB) and helpers", match: chromium },
    { name: 'bench process (Playwright client)', match: pid => pid === process.pid }
  ]
}

/** CPU seconds by role summed over transfers, and their elapsed time. */
export class CpuTally {
  private readonly seconds = new Map<string, number>()
  private elapsedMs = 0
  private transfers = 0

  constructor (private readonly roles: ProcessRole[]) {}

  /** Run `transfer` and add the CPU every role used meanwhile. */
  async measure<T> (transfer: () => Promise<T>): Promise<T> {
    const before = await processTimes()
    const start = performance.now()
    const value = await transfer()
    this.elapsedMs += performance.now() - start
    for (const [role, used] of cpuByRole(before, await processTimes(), this.roles)) {
      this.seconds.set(role, (this.seconds.get(role) ?? 0) + used)
    }
    this.transfers++
    return value
  }

  /** `visitor's Chromium 6.1 s, relay 5.0 s (1.9 cores busy)`: means per transfer, roles that used under 0.1 s left out. */
  words (): string {
    if (this.transfers === 0) {
      return 'none measured'
    }
    const rows = [...this.seconds].map(([role, s]) => [role, s / this.transfers] as const).filter(([, s]) => s >= 0.1).sort((a, b) => b[1] - a[1])
    const total = rows.reduce((sum, [, s]) => sum + s, 0)
    return `${rows.map(([role, s]) => `${role} ${s.toFixed(1)} s`).join(', ')} (${(total / (this.elapsedMs / this.transfers / 1000)).toFixed(1)} cores busy)`
  }
}

export interface ThroughputBenchInit {
  browser: Browser
  /** Size of the file (bytes). */
  bytes: number
  reps: number
  /**
   * Serve the file from this relay's site cache, the owner offline (see
   * `hostBenchSite`). Absent: the relay of the run (no cache) fetches every
   * block from the host's tab.
   */
  cacheRelay?: RelayProcess
}

/**
 * Fetch `path` in the page and read the whole body; MiB/s from the request to
 * the last byte, timed with `performance.now()` inside the page.
 *
 * @throws when the status is not 200 or the body has another length than `bytes`
 */
export async function fetchRate (page: Page, path: string, bytes: number): Promise<number> {
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
 * Throughput of one large file to a visitor, the product's path: a fresh
 * visitor context opens the site (the worker installs, the name resolves)
 * and then `fetch`es the file through its site service worker, which asks
 * the origin's relay over HTTP for the file's blocks (one trustless CAR,
 * `dag-scope=entity`), checks each against its CID and keeps it, and
 * streams the file to the page. The relay reads the blocks from its site
 * cache (`cacheRelay`, owner offline), or else from the host's tab over
 * bitswap. Beside the same file fetched from a static loopback HTTP server
 * in a Node process of its own (`spawnStaticServer`), in the same Chromium:
 * in the bench's own process it gave 153–200 MiB/s in full runs and
 * 300–530 MiB/s in runs of these rows alone.
 */
export async function benchThroughput (init: ThroughputBenchInit): Promise<BenchResult> {
  const { browser, bytes } = init
  const folder = await makeBigFileSite(bytes)
  const staticServer = await spawnStaticServer(folder)
  let site: BenchSite | undefined
  try {
    site = await hostBenchSite({ browser, folder, cacheRelay: init.cacheRelay })
    const product: number[] = []
    const loopback: number[] = []
    const failures: string[] = []
    const productCpu = new CpuTally(transferRoles(site.hostPid))
    const loopbackCpu = new CpuTally(transferRoles())
    for (let i = 0; i < init.reps; i++) {
      const staticContext = await browser.newContext()
      const staticPage = await staticContext.newPage()
      await staticPage.goto(`${staticServer.url}/`)
      loopback.push(await loopbackCpu.measure(async () => fetchRate(staticPage, FILE_PATH, bytes)))
      await staticContext.close()

      await site.beforeVisit()
      // a fresh visitor each time, so no block is cached by an earlier repetition
      const visitorContext = await browser.newContext()
      try {
        const visitor = await visitorContext.newPage()
        await visitSite(visitor, site.url('/'))
        product.push(await productCpu.measure(async () => fetchRate(visitor, FILE_PATH, bytes)))
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
    const fromCache = init.cacheRelay != null
    return result({
      id: `throughput${site.idSuffix === '' ? '-host' : site.idSuffix}`,
      what: `one ${(bytes / MIB).toFixed(0)} MiB file to a visitor ${fromCache ? '← relay cache, owner offline' : '← host through its relay'} (SW over HTTP, verified)`,
      unit: 'MiB/s',
      better: 'higher',
      measured: summarize(product),
      baseline: { what: 'same file from a static loopback HTTP server (one Node process, sirv)', summary: summarize(loopback) },
      target: fromCache ? '≥ 0.5×' : '≥ 0.25×',
      notes: 'fetch() of the file in the visitor page after its worker is installed and the name resolved; performance.now() from the request to the last byte inside the page. ' +
        (fromCache ? 'The relay reads every block from its site cache.' : 'The relay has no cache: it fetches every block from the host\'s tab over bitswap as the CAR streams.') +
        ` CPU per transfer, mean (${availableParallelism()} cores): ${productCpu.words()}; the static server's: ${loopbackCpu.words()}.` +
        (failures.length === 0 ? '' : ` ${failures.length} of ${init.reps} transfers failed and are left out: ${failures.join('; ')}`)
    })
  } finally {
    await site?.close()
    await staticServer.stop()
  }
}
