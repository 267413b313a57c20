import { availableParallelism } from 'node:os'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { result } from './report.js'
import { makeBigFileSite } from './sites.js'
import { spawnStaticServer } from './static-server.js'
import { summarize } from './stats.js'
import { CpuTally, fetchRate, transferRoles } from './throughput.js'
import type { BenchResult } from './report.js'
import type { Browser, Page } from '@playwright/test'

/** Bytes per chunk the ceiling worker enqueues: the size of a UnixFS leaf block the site worker serves. */
const CHUNK_BYTES = 1_048_576

/**
 * The ceiling worker: on its origin, `/held/<file>` answers from `<file>`'s
 * bytes held in the worker's memory (read once, on the first request), as a
 * `ReadableStream` of 1 MiB chunks with `highWaterMark: 0`, the way
 * `src/gateway/stream.ts` streams a file. No fetch, no check, no store.
 * `/passed/<file>` fetches `<file>` from the server and enqueues each chunk
 * of its body as it is read, into the same kind of stream: the bytes go
 * through the worker's JavaScript, as a verifying worker's must (it hashes
 * them), but nothing is parsed, checked or stored.
 */
const CEILING_WORKER = `
const held = new Map()
async function hold (path) {
  const bytes = new Uint8Array(await (await fetch(path, { cache: 'no-store' })).arrayBuffer())
  const chunks = []
  for (let at = 0; at < bytes.byteLength; at += ${CHUNK_BYTES}) chunks.push(bytes.slice(at, at + ${CHUNK_BYTES}))
  return chunks
}
self.addEventListener('install', () => { self.skipWaiting() })
self.addEventListener('activate', event => { event.waitUntil(self.clients.claim()) })
function passOn (path) {
  return fetch(path, { cache: 'no-store' }).then(res => {
    const reader = res.body.getReader()
    return new Response(new ReadableStream({
      async pull (controller) {
        const { done, value } = await reader.read()
        if (done) controller.close(); else controller.enqueue(value)
      }
    }, { highWaterMark: 0 }))
  })
}
self.addEventListener('fetch', event => {
  const { pathname } = new URL(event.request.url)
  if (pathname.startsWith('/passed/')) {
    event.respondWith(passOn(pathname.slice('/passed'.length)))
    return
  }
  if (!pathname.startsWith('/held/')) return
  const path = pathname.slice('/held'.length)
  event.respondWith((async () => {
    if (!held.has(path)) held.set(path, await hold(path))
    const chunks = held.get(path)
    let next = 0
    return new Response(new ReadableStream({
      pull (controller) { if (next < chunks.length) controller.enqueue(chunks[next++]); else controller.close() }
    }, { highWaterMark: 0 }))
  })())
})
`

const PAGE = '<!doctype html><title>ceiling</title><script>navigator.serviceWorker.register("/ceiling-sw.js")</script>'

export interface WorkerCeilingInit {
  browser: Browser
  /** Size of the file (bytes). */
  bytes: number
  reps: number
}

/**
 * How fast any service worker can stream a large file to its page on this
 * machine, two ways, each beside the same file from a static loopback HTTP
 * server in the same Chromium: a worker that already holds the file in
 * memory and enqueues it in 1 MiB chunks (no fetch, no hash, no IndexedDB),
 * the cost of a worker's response alone; and a worker that fetches the file
 * and passes on each chunk it reads (no parse, no hash, no IndexedDB), the
 * most a worker that reads every byte, as a verifying one must, can reach.
 * The throughput rows' worker does all of that work besides: these are the
 * references for their ≥ 0.5× target.
 */
export async function benchWorkerCeiling (init: WorkerCeilingInit): Promise<BenchResult[]> {
  const { browser, bytes } = init
  const folder = await makeBigFileSite(bytes)
  // the static server serves the worker and the page that registers it beside the file, from its own process
  await writeFile(join(folder, 'index.html'), PAGE)
  await writeFile(join(folder, 'ceiling-sw.js'), CEILING_WORKER)
  const server = await spawnStaticServer(folder)
  const { url } = server
  try {
    const held: number[] = []
    const passed: number[] = []
    const loopback: number[] = []
    const loopbackCpu = new CpuTally(transferRoles())
    const passedCpu = new CpuTally(transferRoles())
    // each transfer in a fresh context: a renderer's first large transfer is the slower one (its memory
    // grows), and the throughput rows time first transfers too (the held file's is its second, by design)
    const inFreshPage = async (run: (page: Page) => Promise<void>): Promise<void> => {
      const context = await browser.newContext()
      try {
        const page = await context.newPage()
        await page.goto(`${url}/`)
        await page.evaluate(async () => { await navigator.serviceWorker.ready })
        await page.reload()
        await run(page)
      } finally {
        await context.close()
      }
    }
    for (let i = 0; i < init.reps; i++) {
      await inFreshPage(async page => { loopback.push(await loopbackCpu.measure(async () => fetchRate(page, '/big.bin', bytes))) })
      await inFreshPage(async page => { passed.push(await passedCpu.measure(async () => fetchRate(page, '/passed/big.bin', bytes))) })
      await inFreshPage(async page => {
        // the worker reads the file into memory on its first request, outside the timed one
        await fetchRate(page, '/held/big.bin', bytes)
        held.push(await fetchRate(page, '/held/big.bin', bytes))
      })
    }
    const baseline = { what: 'same file from a static loopback HTTP server (one Node process, sirv), which also serves the worker', summary: summarize(loopback) }
    return [result({
      id: 'throughput-worker-ceiling',
      what: `one ${(bytes / CHUNK_BYTES).toFixed(0)} MiB file from a service worker holding it in memory (no fetch, no check, no store)`,
      unit: 'MiB/s',
      better: 'higher',
      measured: summarize(held),
      baseline,
      notes: 'The most a service worker streaming a file in 1 MiB chunks reaches on this machine: the cost of its response alone. fetch() in the page, performance.now() from the request to the last byte.'
    }), result({
      id: 'throughput-worker-pass-through',
      what: `one ${(bytes / CHUNK_BYTES).toFixed(0)} MiB file through a service worker that fetches it and passes on each chunk it reads (no parse, no check, no store)`,
      unit: 'MiB/s',
      better: 'higher',
      measured: summarize(passed),
      baseline,
      notes: 'The most a worker that reads every byte of the file in JavaScript (as one that hashes it must) reaches on this machine: the ceiling of the throughput rows\' ≥ 0.5× target. fetch() in the page, performance.now() from the request to the last byte. ' +
        `CPU per transfer, mean (${availableParallelism()} cores): ${passedCpu.words()}; the static server's: ${loopbackCpu.words()}.`
    })]
  } finally {
    await server.stop()
  }
}
