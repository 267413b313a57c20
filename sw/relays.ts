import { MemoryBlockstore } from 'blockstore-core/memory'
import { CheckedBlockstore } from '../src/trustless/index.js'
import { CONFIG_PATH, loadClientConfig } from '../src/node/client-config.js'
import { visitorBlockstore } from './block-cache.js'
import { GATEWAY_PREFIX } from './http/constants.js'
import { RelayGateways } from './http/gateways.js'
import { WriteBehindBlockstore } from './write-behind.js'
import type { ClientConfig } from '../src/node/client-config.js'

let config: Promise<ClientConfig> | undefined
let gateways: Promise<RelayGateways> | undefined
let blocks: Promise<WriteBehindBlockstore> | undefined

/** Cache Storage entry that keeps the last client configuration for offline visits. */
const CONFIG_CACHE = 'wia-sw-config'

/**
 * The client configuration (`/_wia/config.json`) from the site's server, kept
 * for the worker's life; when the server cannot be reached, the copy saved on
 * an earlier visit (Cache Storage), so a visited site opens offline.
 * `cache: 'default'` lets the browser's HTTP cache answer (the worker's
 * install, right after the bootstrap page fetched it; the relay sends
 * `max-age` 30 s); by default the server is asked.
 *
 * @throws {ConfigUnavailableError} when neither the server nor a saved copy has it
 */
export async function getSwConfig (origin: string, options: { signal?: AbortSignal, cache?: RequestCache } = {}): Promise<ClientConfig> {
  config ??= (async () => {
    const saved = await caches.open(CONFIG_CACHE)
    try {
      const fresh = await loadClientConfig(origin, options)
      await saved.put(CONFIG_PATH, new Response(JSON.stringify(fresh)))
      return fresh
    } catch (err) {
      const copy = await saved.match(CONFIG_PATH)
      if (copy == null) {
        throw err
      }
      // not kept for the worker's life: the next request asks the server again
      config = undefined
      return await copy.json() as ClientConfig
    }
  })().catch(err => {
    config = undefined
    throw err
  })
  return config
}

/**
 * The relays' HTTP gateways a site worker fetches from: first its own
 * origin's relay (`<origin>/_wia/`, same origin, no CORS), then the other
 * relays the configuration names (`gateways`, answered with CORS).
 */
export async function getGateways (origin: string, options: { signal?: AbortSignal } = {}): Promise<RelayGateways> {
  gateways ??= getSwConfig(origin, options).then(config => new RelayGateways({
    bases: [`${origin}${GATEWAY_PREFIX}`, ...(config.gateways ?? []).filter(base => base !== `${origin}${GATEWAY_PREFIX}`)]
  })).catch(err => {
    gateways = undefined
    throw err
  })
  return gateways
}

/**
 * The worker's local blocks: memory in front of the visitor's block cache in
 * IndexedDB, written behind (`write-behind.ts`). Every block read back from
 * IndexedDB is hashed again ({@link CheckedBlockstore}): the site's own pages
 * can write to their origin's IndexedDB, so what is kept there is never
 * believed. Opened once per worker.
 */
export async function localBlocks (): Promise<WriteBehindBlockstore> {
  blocks ??= visitorBlockstore().then(lasting => new WriteBehindBlockstore(new MemoryBlockstore(), new CheckedBlockstore(lasting))).catch(err => {
    blocks = undefined
    throw err
  })
  return blocks
}
