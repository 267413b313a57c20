import { createServer } from 'node:http'
import sirv from 'sirv'
import { result } from './report.js'
import { makeBigFileSite } from './sites.js'
import { listenOnLoopback } from './static-server.js'
import { summarize } from './stats.js'
import { fetchRate } from './throughput.js'
import type { BenchResult } from './report.js'
import type { Browser } from '@playwright/test'
import type { Server } from 'node:http'

/** Bytes per chunk the ceiling worker enqueues: the size of a UnixFS leaf block the site worker serves. */
const CHUNK_BYTES = 1_048_576

/**
 * The ceiling worker: on its origin, `/held/<file>` answers from `<file>`'s
 * bytes held in the worker's memory (read once, on the first request), as a
 * `ReadableStream` of 1 MiB chunks with `highWaterMark: 0`, the way
 * `src/gateway/stream.ts` streams a file. No fetch, no check, no store.
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
self.addEventListener('fetch', event => {
  const { pathname } = new URL(event.request.url)
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

async function startCeilingServer (dir: string): Promise<{ url: string, server: Server }> {
  const files = sirv(dir, { dev: false })
  const server = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' }).end(PAGE)
    } else if (req.url === '/ceiling-sw.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' }).end(CEILING_WORKER)
    } else {
      files(req, res, () => { res.statusCode = 404; res.end() })
    }
  })
  return { url: await listenOnLoopback(server), server }
}

export interface WorkerCeilingInit {
  browser: Browser
  /** Size of the file (bytes). */
  bytes: number
  reps: number
}

/**
 * How fast any service worker can stream a large file to its page on this
 * machine: a worker that already holds the file in memory and enqueues it in
 * 1 MiB chunks (no fetch, no hash, no IndexedDB), beside the same file from
 * a static loopback HTTP server in the same Chromium. The throughput rows'
 * worker does all of that work besides, so this is the most it could reach:
 * the reference for their ≥ 0.5× target.
 */
export async function benchWorkerCeiling (init: WorkerCeilingInit): Promise<BenchResult> {
  const { browser, bytes } = init
  const folder = await makeBigFileSite(bytes)
  const { url, server } = await startCeilingServer(folder)
  try {
    const held: number[] = []
    const loopback: number[] = []
    for (let i = 0; i < init.reps; i++) {
      const context = await browser.newContext()
      try {
        const page = await context.newPage()
        await page.goto(`${url}/`)
        await page.evaluate(async () => { await navigator.serviceWorker.ready })
        await page.reload()
        // the worker reads the file into memory on its first request, outside the timed one
        await fetchRate(page, '/held/big.bin', bytes)
        loopback.push(await fetchRate(page, '/big.bin', bytes))
        held.push(await fetchRate(page, '/held/big.bin', bytes))
      } finally {
        await context.close()
      }
    }
    return result({
      id: 'throughput-worker-ceiling',
      what: `one ${(bytes / CHUNK_BYTES).toFixed(0)} MiB file from a service worker holding it in memory (no fetch, no check, no store)`,
      unit: 'MiB/s',
      better: 'higher',
      measured: summarize(held),
      baseline: { what: 'same file from a static loopback HTTP server', summary: summarize(loopback) },
      notes: 'The most a service worker streaming a file in 1 MiB chunks reaches on this machine: the reference for the throughput rows\' ≥ 0.5× target. fetch() in the page, performance.now() from the request to the last byte.'
    })
  } finally {
    server.close()
  }
}
