import { createServer } from 'node:http'
import { isIP } from 'node:net'
import compression from 'compression'
import sirv from 'sirv'
import { hostnameOf, nameFromHost, parseName } from '../src/naming/index.js'
import { bootstrapPage, NO_WORKER_COOKIE, SITE_SW_PATH, WIA_PREFIX } from './bootstrap-page.js'
import { CONFIG_PATH } from '../src/node/client-config.js'
import { refusalPage, refusalStatus } from './custom-domain-service.js'
import { answerVisits, VISITS_PATH } from './visits/index.js'
import type { CustomDomainService } from './custom-domain-service.js'
import type { GatewayHandler } from './gateway/index.js'
import type { DayReport } from './visits/index.js'
import type { ClientConfig } from '../src/node/client-config.js'
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http'
import type { CID } from 'multiformats/cid'

/** Paths whose answers are raw blocks or CARs (`docs/http.md`), which `worthCompressing` never compresses. */
const BLOCK_PATHS = ['/_wia/ipfs/', '/ipfs/']

/** The middleware is typed for Express; it reads and wraps only what Node's own request and response have. */
type CompressionRequest = Parameters<ReturnType<typeof compression>>[0]
type CompressionResponse = Parameters<ReturnType<typeof compression>>[1]

export interface HttpServerInit {
  /** Built app folder (`dist/`), or `null` to serve only the config. */
  appDir: string | null
  gatewaySuffix: string
  /** Current client configuration (read on every request: relay addresses are known after start). */
  clientConfig: () => ClientConfig
  /** What the relay's site cache holds, for `/_wia/cache.json`. */
  cacheStatus: () => Promise<CacheStatus>
  /** The relay's state for operators and monitors, for `/_wia/health` (JSON). */
  health?: () => Promise<unknown>
  /**
   * The relay's HTTP gateway (`relay/gateway/`, `docs/http.md`): `site` on
   * site origins (under `/_wia/`), `app` on the app origin (also the standard
   * `/ipfs/…` and `/routing/v1/…` paths).
   */
  gateway?: { site: GatewayHandler, app: GatewayHandler }
  /**
   * Serve a site's files to a client without the site worker (`site-content.ts`);
   * absent: such clients get the bootstrap page.
   */
  siteContent?: (req: IncomingMessage, res: ServerResponse, name: string, url: URL) => Promise<void>
  /**
   * The root CID of the site this relay holds a record for (its registry
   * only: never a DHT query); `undefined` when it holds none.
   * The bootstrap page asks for that root's CAR of the page ahead of the
   * site worker (`bootstrap-page.ts`). Absent: the page asks for no CAR.
   */
  bootstrapRoot?: (name: string) => Promise<CID | undefined>
  /**
   * A browser is opening a site: its bootstrap page went out, naming `root`
   * (from {@link bootstrapRoot}). The relay starts fetching a small site
   * whole (`SiteWarmup`) while the site worker installs, instead of when
   * the worker first asks for a CAR. Must not throw.
   */
  warmSite?: (root: CID) => void
  /**
   * Count a visitor's page load of a site (`POST /_wia/visit/<name>`, from
   * site workers): the site's visits (`relay/visits/`) and its demand on the
   * relay's cache (`docs/caching.md`); absent: 404.
   */
  visit?: (name: string) => Promise<unknown>
  /** A site's visits of the last 30 days (`GET /_wia/visits/<name>`, `relay/visits/`); absent: 404. */
  visitReport?: (name: string, hosts: string[]) => DayReport[]
  /** Prometheus exposition of the relay's metrics, for `/metrics`. */
  metrics?: () => Promise<{ contentType: string, body: string }>
  /**
   * Custom domains (public mode): a host that is neither the app origin
   * (`appHost`) nor under the gateway suffix is asked here which site it serves.
   */
  customDomains?: {
    /** The app origin's host name (the public domain). */
    appHost: string
    service: Pick<CustomDomainService, 'siteFor' | 'check'>
  }
}

/**
 * Path on the app origin where the app checks a custom domain
 * (`?host=www.alice.example&site=alice.wia.home[&fresh=1]`, JSON
 * `CustomDomainCheck`), and where a reverse proxy in front of the relay asks
 * whether it may order a certificate for a host (`?domain=www.alice.example`:
 * 200 yes, 404 no; Caddy's `on_demand_tls { ask … }`).
 */
export const DOMAIN_CHECK_PATH = '/_wia/domain-check'

/** Path prefix of visit reports (`POST /_wia/visit/<name>`), on every origin. */
export const VISIT_PATH = '/_wia/visit/'

/** Path of the relay's health report (JSON) on the app origin. */
export const HEALTH_PATH = '/_wia/health'
/** Path of the relay's Prometheus metrics on the app origin. */
export const METRICS_PATH = '/metrics'

/** Path of the relay's cache status (JSON {@link CacheStatus}) on the app origin. */
export const CACHE_STATUS_PATH = '/_wia/cache.json'

/** What `/_wia/cache.json` holds: the bound, the bytes used, the sites kept (most demanded first). */
export interface CacheStatus {
  maxBytes: number
  usedBytes: number
  sites: Array<{ name: string, root: string, bytes: number, demand: number }>
}

/**
 * The HTTP server of `npm start` (local mode): see {@link createRequestHandler}.
 */
export function createHttpServer (init: HttpServerInit): Server {
  return createServer(createRequestHandler(init))
}

/**
 * What the relay answers over HTTP(S): the app on the app origin
 * (`localhost:PORT`, or the public domain), and on every site origin
 * (`<name>.wia.<tld>.<suffix>`) the site service worker plus the bootstrap
 * page that installs it. `/_wia/config.json` on every origin tells clients
 * which relays to use; `/_wia/cache.json`, `/_wia/health` and `/metrics` on
 * the app origin are for owners and operators.
 */
export function createRequestHandler (init: HttpServerInit): RequestListener {
  const files = init.appDir == null
    ? null
    : sirv(init.appDir, { etag: true, dev: false, brotli: true, gzip: true, setHeaders: setStaticHeaders })

  const custom = init.customDomains
  const compress = compression({ filter: worthCompressing })
  return (req, res) => {
    // blocks and CARs are never compressed: their answers skip the middleware's hooks altogether
    if (BLOCK_PATHS.some(prefix => req.url?.startsWith(prefix) === true)) {
      route(req, res)
      return
    }
    compress(req as CompressionRequest, res as unknown as CompressionResponse, () => { route(req, res) })
  }

  function route (req: IncomingMessage, res: ServerResponse): void {
    const host = req.headers.host ?? ''
    const hostname = hostnameOf(host)
    // an IP address is never a custom domain (no `_wia.` TXT record can name one): it is the relay itself, e.g. a reverse proxy's
    // `http://127.0.0.1:8080/_wia/domain-check?domain=…` or a monitor's `/_wia/health`
    if (nameFromHost(host, init.gatewaySuffix) == null && custom != null && hostname !== custom.appHost && !hostname.endsWith(`.${init.gatewaySuffix}`) && isIP(hostname) === 0) {
      custom.service.siteFor(hostname).then(site => {
        if (site.ok) {
          serve(req, res, site.site)
        } else {
          res.writeHead(refusalStatus(site), { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(refusalPage(site))
        }
      }, () => { res.writeHead(500).end() })
      return
    }
    serve(req, res)
  }

  /** Answer a request; `customSite` is the site a custom domain serves. */
  function serve (req: IncomingMessage, res: ServerResponse, customSite?: string): void {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname === CONFIG_PATH) {
      sendJson(res, customSite == null ? init.clientConfig() : { ...init.clientConfig(), site: customSite }, `max-age=${CLIENT_CONFIG_MAX_AGE_S}`)
      return
    }
    if (url.pathname.startsWith(VISIT_PATH) && req.method === 'POST') {
      countVisit(res, decodeURIComponent(url.pathname.slice(VISIT_PATH.length)), init.visit)
      return
    }
    if (url.pathname.startsWith(VISITS_PATH) && init.visitReport != null) {
      answerVisits(req.method ?? 'GET', res, url, init.visitReport)
      return
    }

    const name = customSite ?? nameFromHost(req.headers.host ?? '', init.gatewaySuffix)
    const gateway = name == null ? init.gateway?.app : init.gateway?.site
    if (gateway?.(req, res, url) === true) {
      return
    }
    if (name == null && url.pathname === CACHE_STATUS_PATH) {
      init.cacheStatus().then(status => { sendJson(res, status) }, () => { res.writeHead(500).end() })
      return
    }
    if (name == null && url.pathname === HEALTH_PATH && init.health != null) {
      init.health().then(status => { sendJson(res, status) }, () => { res.writeHead(500).end() })
      return
    }
    if (name == null && url.pathname === DOMAIN_CHECK_PATH && init.customDomains != null) {
      checkDomain(res, url, init.customDomains.service)
      return
    }
    if (name == null && url.pathname === METRICS_PATH && init.metrics != null) {
      init.metrics().then(({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body)
      }, () => { res.writeHead(500).end() })
      return
    }
    if (name != null) {
      serveSiteOrigin(req, res, url, name, files, init)
      return
    }

    if (files == null) {
      notFound(res)
      return
    }
    files(req, res, () => { notFound(res) })
  }
}

/**
 * Whether a response is sent compressed (gzip, brotli or deflate, as the
 * client's `Accept-Encoding` allows, by the `compression` middleware): text
 * types `mime-db` marks compressible, 1 KiB and more, never a `206` (its
 * `Content-Range` counts the identity bytes) nor an NDJSON stream (each line
 * must go out as it is found). CARs and raw blocks are not compressible types.
 */
function worthCompressing (req: IncomingMessage, res: ServerResponse): boolean {
  if (res.statusCode === 206 || String(res.getHeader('content-type') ?? '').startsWith('application/x-ndjson')) {
    return false
  }
  return compression.filter(req as CompressionRequest, res as unknown as CompressionResponse)
}

/** {@link VISIT_PATH}: 202 once counted, 404 when the relay counts no visits, 400 for a malformed name. */
function countVisit (res: ServerResponse, name: string, visit: HttpServerInit['visit']): void {
  if (visit == null) {
    res.writeHead(404).end()
    return
  }
  try {
    parseName(name)
  } catch {
    res.writeHead(400).end()
    return
  }
  res.writeHead(202).end()
  void visit(name).catch(() => {})
}

/** {@link DOMAIN_CHECK_PATH}: a reverse proxy's question (`?domain=`) or the app's check (`?host=&site=`). */
function checkDomain (res: ServerResponse, url: URL, service: Pick<CustomDomainService, 'siteFor' | 'check'>): void {
  const domain = url.searchParams.get('domain')
  if (domain != null) {
    service.siteFor(domain).then(site => { res.writeHead(site.ok ? 200 : 404).end() }, () => { res.writeHead(500).end() })
    return
  }
  const host = url.searchParams.get('host') ?? ''
  const site = url.searchParams.get('site') ?? ''
  service.check(host, site, { fresh: url.searchParams.get('fresh') === '1' }).then(check => { sendJson(res, check) }, (err: Error) => {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: err.name, message: err.message }))
  })
}

/**
 * A site origin: wia-home's own `/_wia/` files; a browser's navigation gets
 * the bootstrap page that installs the site worker (which verifies from then
 * on); other clients get the site served by the relay itself. A hosted file
 * is never served as a service worker script, so a page cannot replace the
 * verifying worker with its own.
 */
function serveSiteOrigin (req: IncomingMessage, res: ServerResponse, url: URL, name: string, files: ReturnType<typeof sirv> | null, { siteContent, bootstrapRoot, warmSite }: Pick<HttpServerInit, 'siteContent' | 'bootstrapRoot' | 'warmSite'>): void {
  if (req.headers['service-worker'] === 'script' && url.pathname !== SITE_SW_PATH) {
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
    res.end(`Only wia-home's own worker (${SITE_SW_PATH}) may control a site origin.\n`)
    return
  }
  if (url.pathname.startsWith(WIA_PREFIX)) {
    if (files == null) {
      notFound(res)
      return
    }
    files(req, res, () => { notFound(res) })
    return
  }
  if (siteContent != null && !wantsBootstrap(req)) {
    siteContent(req, res, name, url).catch(() => { res.destroy() })
    return
  }
  const root = bootstrapRoot == null || req.method === 'HEAD' ? Promise.resolve(undefined) : bootstrapRoot(name).catch(() => undefined)
  void root.then(root => {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store'
    })
    res.end(req.method === 'HEAD' ? undefined : bootstrapPage(name, url.pathname, root?.toString()))
    if (root != null) {
      warmSite?.(root)
    }
  })
}

/**
 * A browser's top-level navigation (`Sec-Fetch-Dest: document`, Fetch
 * Metadata) from a browser that has not said it lacks service workers: it
 * gets the bootstrap page. curl, crawlers and link previews send no such
 * header and get the site itself.
 */
function wantsBootstrap (req: IncomingMessage): boolean {
  const cookies = req.headers.cookie ?? ''
  return req.headers['sec-fetch-dest'] === 'document' && !cookies.split(/;\s*/).includes(`${NO_WORKER_COOKIE}=1`)
}

/** Hashed assets are immutable; everything else (HTML, workers, manifest) is revalidated. */
function setStaticHeaders (res: ServerResponse, pathname: string): void {
  if (pathname === SITE_SW_PATH) {
    // the site worker lives under /_wia/ but controls the whole site origin
    res.setHeader('Service-Worker-Allowed', '/')
    res.setHeader('Cache-Control', 'no-cache')
  } else if (pathname.startsWith('/assets/')) {
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable')
  } else {
    res.setHeader('Cache-Control', 'no-cache')
  }
}

/**
 * `Cache-Control: max-age` of the client configuration (s): a site worker's
 * install may take the copy its bootstrap page fetched a moment before
 * (`bootstrap-page.ts`); clients that must have it fresh ask with
 * `cache: 'no-store'`.
 */
export const CLIENT_CONFIG_MAX_AGE_S = 30

function sendJson (res: ServerResponse, body: unknown, cacheControl = 'no-store'): void {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': cacheControl })
  res.end(JSON.stringify(body))
}

function notFound (res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
  res.end('Not found\n')
}
