import { logger } from '@libp2p/logger'
import { reportVisit } from '../../src/cache/index.js'
import { ContentUnavailableError, NO_PROVIDER_ERRORS, errorResponse, serveSitePath } from '../../src/gateway/index.js'
import { nameFromHost, resolveNameRecord } from '../../src/naming/index.js'
import { NameResolver } from '../name-resolver.js'
import { IdbNameStore } from '../name-store.js'
import { enforceVisitorCacheBound } from '../block-cache.js'
import { getLocalFs, getSwConfig, getSwNode, resetSwNode } from '../node.js'
import { parseRelayAddrs } from '../../src/node/index.js'
import type { SwNode } from '../node.js'
import type { UnavailablePhase } from '../../src/gateway/index.js'
import type { FetchHandler } from '../handler.js'
import type { CID } from 'multiformats/cid'

const log = logger('wia:sw:site')

/**
 * Bound on the time before a site request is answered (ms): name resolution
 * and path resolution. Once the response starts, its body streams without
 * this bound (a large file may take longer). Past it the visitor gets a 504 page
 * naming what could not be fetched, never an endless spinner (DESIGN.md §5).
 */
export const SITE_RESPONSE_TIMEOUT_MS = 20_000

/**
 * Tell the relays a visitor opened a page of `name`: they count demand and
 * keep hot sites (the cache protocol's `visit`, `docs/caching.md`).
 */
function countVisit (node: SwNode, name: string): void {
  for (const relay of parseRelayAddrs(node.config.relays)) {
    void reportVisit(node.helia.libp2p, relay, name)
  }
}

/** Paths under this prefix are wia-home's own files, fetched from the server. */
const WIA_PREFIX = '/_wia/'

/**
 * Serves every request for the site origin the worker belongs to: resolves
 * the origin's WIA name through the DHT, fetches the site's blocks from peers
 * (each checked against its CID) and answers like a static web server.
 */
export function siteHandler (): FetchHandler {
  const names = new NameResolver({
    store: new IdbNameStore(),
    lookup: async (name, { signal, pinnedOwner }) => {
      const node = await getSwNode(self.location.origin, { signal })
      return resolveNameRecord(node.helia.libp2p.services.dht, name, { signal, pinnedOwner, minPowBits: node.config.powBits, self: node.helia.libp2p.peerId })
    },
    minPowBits: async () => (await getSwConfig(self.location.origin)).powBits
  })

  return {
    name: 'site',
    canHandle (_request, url) {
      return url.origin === self.location.origin && !url.pathname.startsWith(WIA_PREFIX)
    },
    async handle (request, url) {
      const controller = new AbortController()
      const timer = setTimeout(() => {
        controller.abort(new DOMException(`No answer within ${SITE_RESPONSE_TIMEOUT_MS} ms`, 'TimeoutError'))
      }, SITE_RESPONSE_TIMEOUT_MS)
      const signal = AbortSignal.any([controller.signal, request.signal])
      let name = url.hostname
      let phase: UnavailablePhase = 'connecting'
      let node: SwNode | undefined
      let root: CID | undefined
      // User Timing marks (`wia:<phase>:<path>`) let a profiler see where a visit's time goes
      const mark = (what: string): void => { performance.mark(`wia:${what}:${url.pathname}`) }
      try {
        mark('request')
        const config = await getSwConfig(self.location.origin, { signal })
        name = config.site ?? nameFromHost(url.host, config.gatewaySuffix) ?? url.hostname
        phase = 'resolving'
        mark('config')
        const record = await names.resolve(name, signal)
        mark('resolved')
        phase = 'fetching'
        root = record.root
        node = await getSwNode(self.location.origin, { signal }).catch(err => {
          // offline: what the visitor's block cache holds can still be served
          log('no network (%s): serving %s from the block cache', (err as Error).name, name)
          return undefined
        })
        const fs = node?.fsFor(root) ?? await getLocalFs(name)
        mark('node')
        const response = await serveSitePath(fs, record.root, { pathname: url.pathname, method: request.method, search: url.search, name }, { signal })
        mark('response')
        if (request.mode === 'navigate' && response.ok) {
          if (node != null) {
            countVisit(node, name)
          }
          void enforceVisitorCacheBound().catch(err => { log.error('bounding the block cache failed - %e', err) })
        }
        return response
      } catch (err) {
        log.error('could not serve %s%s - %e', name, url.pathname, err)
        const unavailable = controller.signal.aborted || NO_PROVIDER_ERRORS.has((err as Error).name)
        if (unavailable && root != null) {
          // its providers are gone: a later request looks for them afresh
          node?.dropSession(root)
        }
        const failure = controller.signal.aborted ? new ContentUnavailableError(name, { cause: controller.signal.reason, phase }) : err
        if (controller.signal.aborted) {
          // the next request gets a fresh node (see resetSwNode)
          resetSwNode()
        }
        return errorResponse(failure, { name, path: url.pathname })
      } finally {
        clearTimeout(timer)
      }
    }
  }
}
