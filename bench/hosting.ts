import { setTimeout as sleep } from 'node:timers/promises'
import { hostSite, siteUrl, uniqueLabel } from '../e2e/support/site.js'
import { FETCHED_BLOCK_LINGER_MS } from '../relay/gateway/constants.js'
import type { RelayProcess } from '../e2e/support/relay-process.js'
import type { Browser } from '@playwright/test'

/** Longest a caching relay may take to keep a whole site after its publish (ms): a 100 MB site is fetched over bitswap from the host tab. */
const KEEP_TIMEOUT_MS = 300_000

export interface BenchSiteInit {
  browser: Browser
  /** Folder to host. */
  folder: string
  /**
   * Serve visitors from this relay's site cache: the host publishes through
   * it, waits until the relay keeps a copy, and goes offline. Absent: the
   * relay of the run (no cache, it keeps no block it fetched for a
   * visitor), blocks at the host only.
   */
  cacheRelay?: RelayProcess
}

/** A site hosted for a benchmark, and where its visitors' blocks come from. */
export interface BenchSite {
  /** The site URL of `path` (`/demo.html`). */
  url(path: string): string
  /** Where blocks come from, in words for the table: `blocks at the host only` or `from the relay cache, owner offline`. */
  source: string
  /** Appended to result ids: `` or `-relay-cache`. */
  idSuffix: string
  /**
   * Wait before a visit until the relay holds none of the blocks earlier
   * visits fetched: a relay without a cache deletes them
   * `FETCHED_BLOCK_LINGER_MS` after their fetch, so each visit "at the host
   * only" is served by the host. Nothing to wait for with a relay cache.
   */
  beforeVisit(): Promise<void>
  /** Close the host (if still open). */
  close(): Promise<void>
}

/**
 * Host `folder` in a browser context through the app's Host flow, as a
 * person would; with `cacheRelay`, wait for "Kept by 1 relay" and close the
 * host before any visitor comes.
 */
export async function hostBenchSite (init: BenchSiteInit): Promise<BenchSite> {
  const hostContext = await init.browser.newContext()
  const label = uniqueLabel('bench')
  try {
    const hostPage = await hostContext.newPage()
    await hostSite(hostPage, { label, folder: init.folder, app: init.cacheRelay?.appUrl })
    if (init.cacheRelay != null) {
      await hostPage.getByText('Kept by 1 relay while this device is off').waitFor({ timeout: KEEP_TIMEOUT_MS })
      await hostContext.close()
    }
  } catch (err) {
    await hostContext.close()
    throw err
  }
  const port = init.cacheRelay == null ? undefined : String(init.cacheRelay.httpPort)
  return {
    url: path => siteUrl(`${label}.wia.home`, path, port),
    source: init.cacheRelay == null ? 'blocks at the host only' : 'from the relay cache, owner offline',
    idSuffix: init.cacheRelay == null ? '' : '-relay-cache',
    beforeVisit: async () => { if (init.cacheRelay == null) await sleep(FETCHED_BLOCK_LINGER_MS + 250) },
    close: async () => { await hostContext.close() }
  }
}
