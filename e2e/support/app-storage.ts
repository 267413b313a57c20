import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from './chromium.js'
import type { BrowserContext, Page } from '@playwright/test'

/** Name of the app's IndexedDB database of site blocks, and of its one object store (`BLOCKSTORE_DB`). */
const BLOCKSTORE_DB = 'wia-blocks'

/** A Chromium profile on disk that outlives its browser: close it (or crash its tabs) and open it again. */
export interface Profile {
  /** Start Chromium on the profile. */
  open(): Promise<BrowserContext>
  /** Delete the profile (its browser closed). */
  remove(): Promise<void>
}

/** A fresh persistent profile in a temporary folder. */
export async function persistentProfile (): Promise<Profile> {
  const dir = await mkdtemp(join(tmpdir(), 'wia-profile-'))
  return {
    open: async () => chromium.launchPersistentContext(dir, { executablePath: chromiumPath(), args: CHROMIUM_ARGS }),
    remove: async () => { await rm(dir, { recursive: true, force: true }) }
  }
}

/** Crash the page's renderer (CDP `Page.crash`), as an out-of-memory kill or a crashing tab would. */
export async function crashTab (page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page)
  const crashed = page.waitForEvent('crash')
  // the session dies with the renderer: its answer never comes
  cdp.send('Page.crash').catch(() => {})
  await crashed
}

/** Blocks in the app's blockstore and their bytes, read from IndexedDB by a page of the app's origin. */
export async function storedBlocks (page: Page): Promise<{ blocks: number, bytes: number }> {
  return readBlockstore(page, false)
}

/** Blocks in the app's blockstore, counted without reading them (quick enough to poll during an import). */
export async function storedBlockCount (page: Page): Promise<number> {
  return (await readBlockstore(page, true)).blocks
}

async function readBlockstore (page: Page, countOnly: boolean): Promise<{ blocks: number, bytes: number }> {
  return page.evaluate(async ({ name, countOnly }) => {
    // opening a database that does not exist would create it empty, and the app's own open would then find no store
    if (!(await indexedDB.databases()).some(db => db.name === name)) {
      return { blocks: 0, bytes: 0 }
    }
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name)
      open.onsuccess = () => { resolve(open.result) }
      open.onerror = () => { reject(open.error) }
    })
    try {
      if (!db.objectStoreNames.contains(name)) {
        return { blocks: 0, bytes: 0 }
      }
      const store = db.transaction(name).objectStore(name)
      if (countOnly) {
        return await new Promise<{ blocks: number, bytes: number }>((resolve, reject) => {
          const count = store.count()
          count.onsuccess = () => { resolve({ blocks: count.result, bytes: NaN }) }
          count.onerror = () => { reject(count.error) }
        })
      }
      return await new Promise<{ blocks: number, bytes: number }>((resolve, reject) => {
        let blocks = 0
        let bytes = 0
        const cursor = store.openCursor()
        cursor.onsuccess = () => {
          const at = cursor.result
          if (at == null) {
            resolve({ blocks, bytes })
            return
          }
          blocks++
          bytes += (at.value as Uint8Array).byteLength
          at.continue()
        }
        cursor.onerror = () => { reject(cursor.error) }
      })
    } finally {
      db.close()
    }
  }, { name: BLOCKSTORE_DB, countOnly })
}
