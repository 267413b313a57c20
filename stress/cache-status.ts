import { httpGet } from './http-get.js'

/** How long a `/_wia/cache.json` read may take (ms). */
const CACHE_STATUS_TIMEOUT_MS = 10_000

/** What the relay's site cache holds (`/_wia/cache.json` on the app origin). */
export interface CacheUse {
  /** The relay's `--cache-size` (bytes). */
  maxBytes: number
  /** Bytes of the sites it keeps (bytes). */
  usedBytes: number
  /** Names of the sites it keeps, most demanded first. */
  names: string[]
}

/** Read the relay's `/_wia/cache.json`. @throws when it does not answer 200 in time */
export async function readCacheUse (httpPort: number): Promise<CacheUse> {
  const answer = await httpGet(httpPort, 'localhost', '/_wia/cache.json', { timeoutMs: CACHE_STATUS_TIMEOUT_MS })
  if (answer.status !== 200) {
    throw new Error(`/_wia/cache.json answered ${answer.status}`)
  }
  const status = JSON.parse(answer.body.toString()) as { maxBytes: number, usedBytes: number, sites: Array<{ name: string }> }
  return { maxBytes: status.maxBytes, usedBytes: status.usedBytes, names: status.sites.map(site => site.name) }
}
