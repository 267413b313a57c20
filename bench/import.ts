import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '../e2e/support/chromium.js'
import { appUrl, publishFolder, uniqueLabel } from '../e2e/support/site.js'
import { result } from './report.js'
import { makeMixedFolder } from './sites.js'
import { startStaticServer } from './static-server.js'
import { summarize } from './stats.js'
import type { BenchResult } from './report.js'
import type { Page } from '@playwright/test'

/** Bytes per MiB. */
const MIB = 1_048_576
/** Bytes per piece the baseline reads and stores (the app's UnixFS block size). */
const PIECE_BYTES = MIB
/** Pieces per IndexedDB transaction in the baseline. */
const PIECES_PER_TRANSACTION = 16

export interface ImportBenchInit {
  /** Approximate size of the folder (bytes). */
  bytes: number
  reps: number
}

interface Stored {
  /** Time the writes took (ms). */
  ms: number
  /** Growth of the origin's IndexedDB usage (`navigator.storage.estimate()`, bytes). */
  stored: number
}

/**
 * The app's import, timed in the page through its own progress text: from
 * the first "Storing files" the hosting form shows to the moment it gives way
 * to the next phase (the root directory is built and every block written).
 */
async function appImport (page: Page, folder: string): Promise<Stored> {
  await page.goto(appUrl())
  await page.getByRole('button', { name: 'Host' }).click()
  await page.getByRole('textbox', { name: 'Site name' }).waitFor()
  const usageBefore = await page.evaluate(() => {
    const find = (root: Document | ShadowRoot): Element | null => {
      const hit = root.querySelector('wia-host-form')
      if (hit != null) return hit
      for (const el of root.querySelectorAll('*')) {
        const inner = el.shadowRoot == null ? null : find(el.shadowRoot)
        if (inner != null) return inner
      }
      return null
    }
    const shadow = find(document)?.shadowRoot
    if (shadow == null) throw new Error('no wia-host-form on the page')
    const times: { start?: number, end?: number } = {}
    ;(window as unknown as { wiaBenchImport: typeof times }).wiaBenchImport = times
    new MutationObserver(() => {
      const storing = shadow.textContent.includes('Storing files')
      if (storing && times.start == null) times.start = performance.now()
      if (!storing && times.start != null && times.end == null) times.end = performance.now()
    }).observe(shadow, { subtree: true, childList: true, characterData: true })
    return navigator.storage.estimate().then(e => (e as { usageDetails?: { indexedDB?: number } }).usageDetails?.indexedDB ?? e.usage ?? 0)
  })
  await publishFolder(page, { label: uniqueLabel('import'), folder })
  const { start, end, usage } = await page.evaluate(async () => {
    const times = (window as unknown as { wiaBenchImport: { start?: number, end?: number } }).wiaBenchImport
    const estimate = await navigator.storage.estimate() as StorageEstimate & { usageDetails?: { indexedDB?: number } }
    return { ...times, usage: estimate.usageDetails?.indexedDB ?? estimate.usage ?? 0 }
  })
  if (start == null || end == null) {
    throw new Error('the hosting form never showed "Storing files"')
  }
  return { ms: end - start, stored: usage - usageBefore }
}

/**
 * The baseline: the same files picked through a file input, read in 1 MiB
 * pieces and written as they are into an object store, 16 pieces per
 * transaction, each transaction awaited.
 */
async function rawImport (page: Page, url: string, folder: string): Promise<Stored> {
  await page.goto(url)
  await page.evaluate(() => {
    const input = document.createElement('input')
    input.type = 'file'
    input.id = 'bench-files'
    input.webkitdirectory = true
    document.body.append(input)
  })
  await page.locator('#bench-files').setInputFiles(folder)
  return page.evaluate(async ({ pieceBytes, perTransaction }) => {
    const files = [...(document.getElementById('bench-files') as HTMLInputElement).files!]
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('bench-raw', 1)
      req.onupgradeneeded = () => { req.result.createObjectStore('pieces') }
      req.onsuccess = () => { resolve(req.result) }
      req.onerror = () => { reject(req.error) }
    })
    const idbUsage = async (): Promise<number> => {
      const estimate = await navigator.storage.estimate() as StorageEstimate & { usageDetails?: { indexedDB?: number } }
      return estimate.usageDetails?.indexedDB ?? estimate.usage ?? 0
    }
    const usageBefore = await idbUsage()
    const start = performance.now()
    let pending: Array<[string, Uint8Array]> = []
    const flush = async (): Promise<void> => {
      const tx = db.transaction('pieces', 'readwrite')
      for (const [key, value] of pending) tx.objectStore('pieces').put(value, key)
      pending = []
      await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => { reject(tx.error) } })
    }
    for (const file of files) {
      for (let offset = 0; offset < file.size; offset += pieceBytes) {
        pending.push([`${file.webkitRelativePath}@${offset}`, new Uint8Array(await file.slice(offset, offset + pieceBytes).arrayBuffer())])
        if (pending.length >= perTransaction) await flush()
      }
    }
    if (pending.length > 0) await flush()
    const ms = performance.now() - start
    db.close()
    return { ms, stored: await idbUsage() - usageBefore }
  }, { pieceBytes: PIECE_BYTES, perTransaction: PIECES_PER_TRANSACTION })
}

/**
 * Import of a folder of mixed files into the app's blockstore in IndexedDB,
 * through the app's Host flow, beside raw batched IndexedDB writes of the same
 * bytes — both in one persistent Chromium profile (on disk), a fresh profile
 * per repetition. Also the bytes stored (`navigator.storage.estimate()`
 * usage growth) per file byte.
 */
export async function benchImport (init: ImportBenchInit): Promise<BenchResult[]> {
  const mixed = await makeMixedFolder(init.bytes)
  const staticServer = await startStaticServer(mixed.folder)
  const app: Stored[] = []
  const raw: Stored[] = []
  try {
    for (let i = 0; i < init.reps; i++) {
      const profile = await mkdtemp(join(tmpdir(), 'wia-bench-profile-'))
      const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), args: CHROMIUM_ARGS })
      try {
        // tsx compiles named inner functions to `__name(fn, 'name')` calls, which the page lacks
        await context.addInitScript({ content: 'globalThis.__name = (fn) => fn' })
        const page = await context.newPage()
        raw.push(await rawImport(page, `${staticServer.url}/`, mixed.folder))
        app.push(await appImport(page, mixed.folder))
      } finally {
        await context.close()
        await rm(profile, { recursive: true, force: true })
      }
    }
  } finally {
    staticServer.server.close()
  }
  const rate = (s: Stored): number => mixed.bytes / MIB / (s.ms / 1000)
  const size = `${(mixed.bytes / MIB).toFixed(0)} MiB folder of ${mixed.files} mixed files`
  return [
    result({
      id: 'import-idb',
      what: `import into IndexedDB, ${size} (app's Host flow, persistent profile)`,
      unit: 'MiB/s',
      better: 'higher',
      measured: summarize(app.map(rate)),
      baseline: { what: `raw batched IndexedDB writes of the same bytes (${PIECE_BYTES / MIB} MiB pieces, ${PIECES_PER_TRANSACTION} per transaction)`, summary: summarize(raw.map(rate)) },
      target: '≥ 0.8×',
      notes: 'App: from the first "Storing files" progress text to the next phase (every block written, root built), observed in the page. Both read the same File objects from a file input; a fresh on-disk profile per repetition.'
    }),
    result({
      id: 'import-stored-bytes',
      what: `stored bytes per file byte, ${size}`,
      unit: '× file bytes',
      measured: summarize(app.map(s => s.stored / mixed.bytes)),
      baseline: { what: 'raw IndexedDB writes of the same bytes', summary: summarize(raw.map(s => s.stored / mixed.bytes)) },
      target: '≤ 1.05×',
      notes: 'Growth of navigator.storage.estimate().usageDetails.indexedDB of the origin (Cache Storage of the app shell left out); the app figure spans the whole publish (blocks, peer store, name record, site list).'
    })
  ]
}
