import { logger } from '../log.js'
import { createKnownEntries, exporterFiles, knownEntries } from '../../src/content/index.js'
import { ContentUnavailableError, errorResponse, requestedRange, serveSitePath } from '../../src/gateway/index.js'
import { isUnpublished, nameFromHost, siteRoot } from '../../src/naming/index.js'
import { PAGE_CAR_ENTITY_BYTES, pagePath } from '../../src/trustless/index.js'
import { clearVisitorBlocks, enforceVisitorCacheBound } from '../block-cache.js'
import { GATEWAY_PREFIX } from '../http/constants.js'
import { FetchingBlockstore } from '../http/fetching-blockstore.js'
import { resolveNameOverHttp } from '../http/resolve-name.js'
import { SitePrefetch } from '../http/site-prefetch.js'
import { NameResolver } from '../name-resolver.js'
import { IdbNameStore } from '../name-store.js'
import { WARM_FETCHED_MARK, WARM_RESOLVED_MARK } from '../marks.js'
import { markRequest } from '../request-marks.js'
import { getGateways, getSwConfig, localBlocks } from '../relays.js'
import type { UnavailablePhase } from '../../src/gateway/index.js'
import type { RequestPhase } from '../marks.js'
import type { FetchHandler } from '../handler.js'
import type { ClientConfig } from '../../src/node/client-config.js'

declare const self: ServiceWorkerGlobalScope

const log = logger('wia:sw:site')

/**
 * Bound on the time before a site request is answered (ms): name resolution
 * and path resolution. Once the response starts, its body streams without
 * this bound (a large file may take longer). Past it the visitor gets a 504 page
 * naming what could not be fetched, never an endless spinner (DESIGN.md §5).
 */
export const SITE_RESPONSE_TIMEOUT_MS = 20_000

/**
 * Most bytes of a file one range request prefetches as a CAR (bytes), with
 * its path, when a block of that path is missing: a video's `bytes=N-` asks
 * for the whole rest of the file, of which a player reads a few seconds
 * before it seeks again. Past these, and for a request whose path is kept,
 * blocks are fetched one by one as the player reads.
 */
export const RANGE_PREFETCH_BYTES = 2 * 1024 * 1024

/**
 * Tell the origin's relay a visitor opened a page of `name` (`POST
 * /_wia/visit/<name>`): it counts the visit (README "Visits"), and demand to
 * keep hot sites (`docs/caching.md`). No body, no cookies, nothing that
 * tells visitors apart. Fire and forget.
 */
function countVisit (name: string): void {
  void fetch(`${self.location.origin}${GATEWAY_PREFIX}visit/${encodeURIComponent(name)}`, { method: 'POST', keepalive: true, credentials: 'omit', referrerPolicy: 'no-referrer' })
    .then(async res => { await res.body?.cancel() }, () => {})
}

/**
 * The Trustless Gateway `entity-bytes` (`from:to`) for a `Range: bytes=…`
 * header, so a seek in a video fetches the blocks of that part only; an
 * open-ended range (`bytes=N-`, what media elements send) prefetches
 * {@link RANGE_PREFETCH_BYTES} from `N` and the rest is fetched as it is read.
 * `undefined` for no or several ranges.
 */
function entityBytesOf (range: string | null): string | undefined {
  const requested = requestedRange(range)
  if (requested == null) {
    return undefined
  }
  if ('suffix' in requested) {
    return `-${requested.suffix}:*`
  }
  const { start } = requested
  const end = requested.end == null ? start + RANGE_PREFETCH_BYTES - 1 : Math.min(requested.end, start + RANGE_PREFETCH_BYTES - 1)
  return `${start}:${end}`
}

/**
 * The WIA name this worker's origin serves: the configuration's `site` (a
 * custom domain), else the name in the origin's host; `null` when neither.
 */
function originName (config: ClientConfig): string | null {
  return config.site ?? nameFromHost(self.location.host, config.gatewaySuffix)
}

/** Errors whose error page is the right answer (a 404), not a failure of the worker: logged, not printed as errors. */
const ANSWERS_NOT_FAILURES = new Set(['PathNotFoundError', 'NameNotFoundError'])

/** The site handler, and what the worker can do for it before the first request. */
export interface SiteHandler extends FetchHandler {
  /**
   * Fetch the client configuration, resolve the origin's name (record
   * verified, kept for the TTL) and bring the blocks of the page each
   * bootstrap page waiting for this worker shows (one CAR each, its first
   * 2 MiB, every block verified) now: called while the worker installs, so the bootstrap
   * page's reload finds them done. The bootstrap page asked the relay for
   * the same three answers as it registered this worker
   * (`src/trustless/visit-requests.ts`), so the browser's HTTP cache may
   * answer them (`cache: 'default'`); nothing else the worker asks does.
   * Requests that come in meanwhile wait for it.
   *
   * @throws what {@link getSwConfig} and name resolution throw; the caller ignores it (the request tries again)
   */
  warm(): Promise<void>
}

/**
 * Serves every request for the site origin the worker belongs to: resolves
 * the origin's WIA name through the relays' HTTP gateways (verifying the
 * record), fetches the site's blocks from them (each checked against its CID
 * before it is used) and answers like a static web server.
 */
export function siteHandler (): SiteHandler {
  const names = new NameResolver({
    store: new IdbNameStore(),
    lookup: async (name, { signal, pinnedOwner, cache }) => {
      const [gateways, config] = await Promise.all([getGateways(self.location.origin, { signal }), getSwConfig(self.location.origin, { signal })])
      return resolveNameOverHttp(gateways, name, { signal, pinnedOwner, minPowBits: config.powBits, cache })
    },
    minPowBits: async () => (await getSwConfig(self.location.origin)).powBits
  })
  /** Directory entries found so far (content-addressed, so never stale): a request for a known path reads its file's blocks only. */
  const entries = createKnownEntries()
  /** The whole-site stream of a small site's cold visit, shared by the page's requests (one per worker). */
  let site: SitePrefetch | undefined
  /** The install's warm-up while it runs: requests wait for it rather than ask for the same blocks again. */
  let warming: Promise<void> | undefined

  const warmUp = async (): Promise<void> => {
    const config = await getSwConfig(self.location.origin, { cache: 'default' })
    const name = originName(config)
    if (name == null) {
      return
    }
    const signal = AbortSignal.timeout(SITE_RESPONSE_TIMEOUT_MS)
    const record = await names.resolve(name, signal, 'default')
    performance.mark(WARM_RESOLVED_MARK)
    if (isUnpublished(record)) {
      return
    }
    const [waiting, local, gateways] = await Promise.all([
      self.clients.matchAll({ type: 'window', includeUncontrolled: true }),
      localBlocks(),
      getGateways(self.location.origin, { signal })
    ])
    const paths = new Set(waiting.map(client => new URL(client.url)).filter(url => url.origin === self.location.origin).map(url => pagePath(url.pathname)))
    if (paths.size === 0) {
      return
    }
    const root = siteRoot(record)
    await Promise.all([...paths].map(async path => {
      await new FetchingBlockstore(local, gateways).prefetch(root, path, { signal, cache: 'default', entityBytes: PAGE_CAR_ENTITY_BYTES })
    }))
    performance.mark(WARM_FETCHED_MARK)
    // a cold visit: a small site's other files come in one CAR, as after a cold page (the page's request finds its blocks here and misses none)
    site ??= new SitePrefetch({ local, gateways })
    site.start(root)
  }

  return {
    name: 'site',
    async warm () {
      warming = warmUp().finally(() => { warming = undefined })
      await warming
    },
    canHandle (_request, url) {
      return url.origin === self.location.origin && !url.pathname.startsWith(GATEWAY_PREFIX)
    },
    async handle (request, url) {
      const controller = new AbortController()
      const timer = setTimeout(() => {
        controller.abort(new DOMException(`No answer within ${SITE_RESPONSE_TIMEOUT_MS} ms`, 'TimeoutError'))
      }, SITE_RESPONSE_TIMEOUT_MS)
      const signal = AbortSignal.any([controller.signal, request.signal])
      let name = url.hostname
      let phase: UnavailablePhase = 'connecting'
      // User Timing marks (`wia:<phase>:<path>`) let a profiler see where a visit's time goes
      const mark = (phase: RequestPhase): void => { markRequest(phase, url.pathname) }
      try {
        mark('request')
        await warming?.catch(() => {})
        const config = await getSwConfig(self.location.origin, { signal })
        name = originName(config) ?? url.hostname
        phase = 'resolving'
        mark('config')
        const record = await names.resolve(name, signal)
        mark('resolved')
        if (isUnpublished(record)) {
          // the owner took the site down: its cached blocks are not served again
          void clearVisitorBlocks().catch(err => { log.error('dropping the blocks of unpublished %s failed - %e', name, err) })
        }
        const root = siteRoot(record)
        phase = 'fetching'
        // at the first block not kept locally, one CAR request brings the page's blocks
        const range = request.headers.get('range')
        const entityBytes = entityBytesOf(range)
        // a HEAD needs the path and the file's root (its size), not its bytes: a CAR of the whole file fetched them all
        const head = request.method === 'HEAD'
        const local = await localBlocks()
        const gateways = await getGateways(self.location.origin, { signal })
        site ??= new SitePrefetch({ local, gateways })
        const blocks = new FetchingBlockstore(local, gateways, {
          root,
          path: pagePath(url.pathname),
          signal: request.signal,
          site,
          ...(head ? { dagScope: 'block' as const } : entityBytes == null ? {} : { entityBytes })
        })
        const response = await serveSitePath(knownEntries(exporterFiles(blocks), entries), root, {
          pathname: url.pathname,
          method: request.method,
          search: url.search,
          name,
          range,
          ifNoneMatch: request.headers.get('if-none-match')
        }, { signal })
        if (entityBytes != null || head) {
          // the path is resolved: a range reads on block by block, never again in a CAR with blocks it holds
          blocks.stopPrefetchOnMiss()
        }
        mark('response')
        if (request.mode === 'navigate' && response.ok) {
          if (blocks.missed) {
            // a cold page: a small site's other files come in one CAR while its subresources are asked for
            site.start(root)
          }
          // after the answer is handed over: the page's own requests come first
          setTimeout(() => {
            countVisit(name)
            void enforceVisitorCacheBound().catch(err => { log.error('bounding the block cache failed - %e', err) })
          }, 0)
        }
        return response
      } catch (err) {
        if ((err as Error | undefined)?.name === 'SiteUnpublishedError') {
          log('%s was unpublished by its owner', name)
        } else if (ANSWERS_NOT_FAILURES.has((err as Error | undefined)?.name ?? '')) {
          log('%s%s: %s', name, url.pathname, (err as Error).name)
        } else {
          log.error('could not serve %s%s - %e', name, url.pathname, err)
        }
        const failure = controller.signal.aborted ? new ContentUnavailableError(name, { cause: controller.signal.reason, phase }) : err
        return errorResponse(failure, { name, path: url.pathname })
      } finally {
        clearTimeout(timer)
      }
    }
  }
}
