import { setTimeout as sleep } from 'node:timers/promises'
import { hostSite, siteUrl, uniqueLabel } from '../e2e/support/site.js'
import { FETCHED_BLOCK_LINGER_MS } from '../relay/gateway/constants.js'
import { launchDetachedBrowser } from './detached-browser.js'
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
  /** Process id of the host's own Chromium while it serves (its tab's renderer is a child); absent when the host went offline. */
  hostPid?: number
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
 * Host `folder` through the app's Host flow, as a person would. With
 * `cacheRelay`, in a context of the run's browser: wait for "Kept by 1
 * relay" and close the host before any visitor comes. Without, in a
 * Chromium of its own that nothing drives once the site is live
 * (`launchDetachedBrowser`): the visitors' blocks come from that tab, which
 * pays no DevTools client for its WebSocket frames, as a person's tab does not.
 */
export async function hostBenchSite (init: BenchSiteInit): Promise<BenchSite> {
  const label = uniqueLabel('bench')
  const url = (path: string, port?: string): string => siteUrl(`${label}.wia.home`, path, port)
  if (init.cacheRelay != null) {
    const hostContext = await init.browser.newContext()
    try {
      const hostPage = await hostContext.newPage()
      await hostSite(hostPage, { label, folder: init.folder, app: init.cacheRelay.appUrl })
      await hostPage.getByText('Kept by 1 relay while this device is off').waitFor({ timeout: KEEP_TIMEOUT_MS })
    } finally {
      await hostContext.close()
    }
    const port = String(init.cacheRelay.httpPort)
    return {
      url: path => url(path, port),
      source: 'from the relay cache, owner offline',
      idSuffix: '-relay-cache',
      beforeVisit: async () => {},
      close: async () => {}
    }
  }
  const host = await launchDetachedBrowser()
  try {
    await hostSite(host.page, { label, folder: init.folder })
    await host.detach()
  } catch (err) {
    await host.close()
    throw err
  }
  return {
    url,
    source: 'blocks at the host only',
    hostPid: host.pid,
    idSuffix: '',
    beforeVisit: async () => { await sleep(FETCHED_BLOCK_LINGER_MS + 250) },
    close: async () => { await host.close() }
  }
}
