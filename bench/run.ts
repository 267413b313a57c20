import '../relay/polyfills.js'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '../e2e/support/chromium.js'
import { TEST_POW_BITS, startRelay } from '../e2e/support/relay-process.js'
import { markdownTable, writeReport } from './report.js'
import { benchProofOfWork, benchResolution } from './names.js'
import { benchNoiseSharedKey } from './noise.js'
import { makeMegabyteSite, makeSwaggerSite } from './sites.js'
import { benchVisits } from './visit.js'
import { benchCachedRequests } from './cached-requests.js'
import { benchIdleHost } from './idle.js'
import { benchWorkerCeiling } from './sw-ceiling.js'
import { benchThroughput } from './throughput.js'
import { benchImport } from './import.js'
import { benchRelayCapacity } from './capacity.js'
import { benchPinRepair } from './pin-repair.js'
import type { BenchResult } from './report.js'

/**
 * `npm run bench [-- --quick]`: every benchmark against real processes (a
 * relay, headless Chromium), each figure beside a baseline measured in the
 * same run. Writes `bench/results/latest.json`, `latest.md`, `latest.html` and
 * `latest.png`; exits non-zero only when a benchmark could not produce its figure.
 */
async function main (): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      // run only the stages whose label contains one of these words (development)
      only: { type: 'string', multiple: true }
    }
  })
  // quick: one visit each; a later visitor of the same host sometimes stalls 20 s or gets a 504,
  // which the full run's repetitions show (and its notes count)
  const reps = values.quick ? 1 : 9
  const MB = 1_000_000
  /** Emulated network latency of the latency visits (ms): DESIGN.md §7. */
  const LATENCY_MS = 40
  // hosting a site is set-up here, not what is measured: names cost the tests' low proof of
  // work (the default difficulty has its own benchmark)
  // no site cache on this relay: its visits measure blocks held by the host only
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--cache-size', '0'] })
  // a caching relay whose hosts sleep after 2 s: visits from the relay cache, the idle host asleep
  const cacheRelay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--host-idle-ms', '2000'] })
  process.env.WIA_APP_URL = relay.appUrl
  process.env.WIA_HTTP_PORT = String(relay.httpPort)
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  const results: BenchResult[] = []
  const failed: string[] = []
  const runStart = performance.now()
  // a stage that fails is reported and the others still run; the exit code says a figure is missing
  const stage = async (label: string, run: () => Promise<BenchResult | BenchResult[]>): Promise<void> => {
    if (values.only != null && !values.only.some(word => label.includes(word))) {
      return
    }
    const start = performance.now()
    console.error(`bench: ${label}…`)
    try {
      results.push(...[await run()].flat())
      console.error(`bench: ${label} done in ${((performance.now() - start) / 1000).toFixed(1)} s`)
    } catch (err) {
      failed.push(label)
      console.error(`bench: ${label} FAILED after ${((performance.now() - start) / 1000).toFixed(1)} s:`, err)
    }
  }
  try {
    await stage('proof of work', async () => benchProofOfWork(values.quick ? 2 : 7))
    await stage('noise shared key', async () => benchNoiseSharedKey(values.quick ? 3 : 9))
    await stage('name resolution, 1 relay', async () => benchResolution(1, values.quick ? 20 : 200, values.quick ? 2 : 10))
    await stage('name resolution, 5 relays', async () => benchResolution(5, values.quick ? 10 : 100, values.quick ? 2 : 10))
    // more relay processes than 2 cores can carry: several relay nodes per process
    await stage('name resolution, 20 relays', async () => benchResolution(20, values.quick ? 5 : 30, values.quick ? 2 : 10, 10))
    if (!values.quick) {
      await stage('name resolution, 64 relays', async () => benchResolution(64, 30, 10, 32))
    }
    // cold visit targets (DESIGN.md §7): real sites ≤ 2× from a relay cache, ≤ 3× from the host; the 1 MB site ≤ 3× / ≤ 4×
    const megabyte = { path: '/', label: '1 MB site of 20 files', host: '≤ 4×', cache: '≤ 3×' }
    const reveal = { path: '/demo.html', label: 'reveal.js demo', host: '≤ 3×', cache: '≤ 2×' }
    const swagger = { path: '/', label: 'swagger-ui', host: '≤ 3×', cache: '≤ 2×' }
    const visits = async (site: typeof megabyte, folder: string, options: { cacheRelay?: typeof cacheRelay, latencyMs?: number } = {}): Promise<BenchResult[]> =>
      benchVisits({ browser, folder, path: site.path, label: site.label, reps, coldTarget: options.cacheRelay == null ? site.host : site.cache, ...options })
    // the quick run (CI, so the harness never rots) takes every path with the 1 MB site and each real site once from its host
    const fullRunOnly = async (label: string, run: () => Promise<BenchResult | BenchResult[]>): Promise<void> => {
      if (!values.quick) await stage(label, run)
    }
    await stage('visits, 1 MB site', async () => visits(megabyte, await makeMegabyteSite()))
    await stage('visits, reveal.js', async () => visits(reveal, resolve('node_modules/reveal.js')))
    await stage('visits from the relay cache, 1 MB site', async () => visits(megabyte, await makeMegabyteSite(), { cacheRelay }))
    await fullRunOnly('visits from the relay cache, reveal.js', async () => visits(reveal, resolve('node_modules/reveal.js'), { cacheRelay }))
    await stage('visits, swagger-ui', async () => visits(swagger, await makeSwaggerSite()))
    await fullRunOnly('visits from the relay cache, swagger-ui', async () => visits(swagger, await makeSwaggerSite(), { cacheRelay }))
    // the same visits under 40 ms of emulated latency (pages and the site worker alike, bench/latency.ts)
    const latency = { latencyMs: LATENCY_MS }
    await stage('latency visits, 1 MB site', async () => visits(megabyte, await makeMegabyteSite(), latency))
    await fullRunOnly('latency visits, reveal.js', async () => visits(reveal, resolve('node_modules/reveal.js'), latency))
    await stage('latency visits from the relay cache, 1 MB site', async () => visits(megabyte, await makeMegabyteSite(), { ...latency, cacheRelay }))
    await fullRunOnly('latency visits from the relay cache, reveal.js', async () => visits(reveal, resolve('node_modules/reveal.js'), { ...latency, cacheRelay }))
    await fullRunOnly('latency visits, swagger-ui', async () => visits(swagger, await makeSwaggerSite(), latency))
    await fullRunOnly('latency visits from the relay cache, swagger-ui', async () => visits(swagger, await makeSwaggerSite(), { ...latency, cacheRelay }))
    // two minutes: one whole cycle of keep-alive pings (relay every 60 s, tab every 120 s, see src/node/liveness.ts);
    // settle first: V8's post-activity GCs (its memory reducer) run for ~45 s after the publish, and a real
    // host only sleeps after 5 minutes without visitors, long after them
    const idle = { browser, seconds: values.quick ? 5 : 120, intervals: values.quick ? 5 : 12, settleSeconds: values.quick ? 5 : 60 }
    await stage('idle host, awake', async () => benchIdleHost({ ...idle, folder: await makeMegabyteSite(), state: 'awake' }))
    await stage('idle host, asleep', async () => benchIdleHost({ ...idle, folder: await makeMegabyteSite(), state: 'asleep', app: cacheRelay.appUrl }))
    const throughput = { browser, bytes: (values.quick ? 10 : 100) * MB, reps: values.quick ? 2 : 3 }
    await stage('throughput from the relay cache', async () => benchThroughput({ ...throughput, cacheRelay }))
    await stage('throughput from the host', async () => benchThroughput(throughput))
    await stage('throughput, a worker holding or passing on the file', async () => benchWorkerCeiling(throughput))
    await stage('import', async () => benchImport({ bytes: (values.quick ? 10 : 100) * MB, reps: values.quick ? 1 : 3 }))
    await stage('relay capacity', async () => benchRelayCapacity(values.quick ? { clients: 100, processes: 1 } : { clients: 1000, processes: 2 }))
    await stage('pin repair at start', async () => benchPinRepair(values.quick ? { blocks: 2_000, reps: 3 } : { blocks: 50_000, reps: 7 }))
    await stage('relay cached requests', async () => benchCachedRequests(values.quick ? { pages: 100, clients: 16, roundMs: 2_000, rounds: 1, warmupMs: 1_000 } : { pages: 300, clients: 16, roundMs: 5_000, rounds: 5, warmupMs: 3_000 }))
  } finally {
    await browser.close()
    await relay.stop()
    await cacheRelay.stop()
  }
  const seconds = Math.round((performance.now() - runStart) / 1000)
  await writeReport(resolve('bench/results'), results, { date: new Date().toISOString(), quick: values.quick, node: process.version, cpus: availableParallelism(), seconds })
  console.log(markdownTable(results))
  console.error(`bench: ${results.length} figures in ${seconds} s; report in bench/results/latest.{json,md,html,png}`)
  if (failed.length > 0) {
    console.error(`bench: no figure from ${failed.join(', ')}`)
    process.exitCode = 1
  }
  // every process and browser is stopped; open keep-alive sockets must not hold the run
  process.exit()
}

main().catch(err => {
  console.error('benchmark failed:', err)
  process.exit(1)
})
