import { hostSite, siteUrl, uniqueLabel } from '../e2e/support/site.js'
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
   * relay of the run (no cache), blocks at the host only.
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
    close: async () => { await hostContext.close() }
  }
}
