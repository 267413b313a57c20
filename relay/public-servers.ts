import { createServer as createHttpServer } from 'node:http'
import { createSecureServer } from 'node:http2'
import { hostnameOf } from '../src/naming/index.js'
import { requestFrom } from './client-address.js'
import type { CertificateFiles } from './tls/index.js'
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http'
import type { Http2SecureServer, Http2ServerRequest, Http2ServerResponse, ServerHttp2Session } from 'node:http2'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { SecureContext } from 'node:tls'

/** Path prefix of ACME HTTP-01 challenges (RFC 8555 §8.3). */
export const ACME_CHALLENGE_PREFIX = '/.well-known/acme-challenge/'

/**
 * Requests one HTTP/2 connection may have open at once
 * (`SETTINGS_MAX_CONCURRENT_STREAMS`, RFC 9113 §6.5.2; the RFC advises at
 * least 100, nginx sends 128). Node's default is unbounded; a visitor's
 * worker asks for a site's files a few at a time (`sw/http/constants.ts`).
 */
export const HTTP2_MAX_CONCURRENT_STREAMS = 100

/**
 * An HTTP/2 connection with no frame either way for this long is closed
 * (GOAWAY) (ms). Node keeps one open for good; browsers open another when
 * they need it (nginx closes after 75 s, Caddy after 5 minutes).
 */
export const HTTP2_IDLE_TIMEOUT_MS = 120_000

/**
 * An HTTP/1.1 keep-alive connection waits this long for its next request (ms):
 * Node's default for its HTTP servers, which its HTTP/2 server does not set
 * for the HTTP/1.1 clients it takes (`allowHTTP1`).
 */
export const HTTP1_KEEP_ALIVE_TIMEOUT_MS = 5_000

/** What the plain-HTTP port does with a request for a host that is not the relay's domain. */
export type ForeignHostAnswer =
  /** the host checks out as a custom domain: redirect to HTTPS like the relay's own names */
  | { redirect: true }
  /** it does not: answer with this page (status and HTML) instead of redirecting */
  | { redirect: false, status: number, html: string }

/** Custom domains (hosts outside the relay's domain), see `relay/domains/`. */
export interface ForeignHosts {
  /** TLS context for a custom domain's SNI name; `undefined` refuses the handshake. */
  secureContext(servername: string): Promise<SecureContext | undefined>
  /** The key authorization for an ACME HTTP-01 challenge token, if one is pending for `host`. */
  challengeResponse(host: string, token: string): string | undefined
  /** What the plain-HTTP port answers for `host`. */
  plainHttp(host: string): Promise<ForeignHostAnswer>
}

export interface PublicServersInit {
  /** The relay's domain (`example.org`): itself and every name under it use {@link PublicServersInit.certificates}. */
  domain: string
  /** The certificate of the domain and its `*.wia.<tld>` wildcards, reloaded when its files change. */
  certificates: CertificateFiles
  /** Answers HTTPS requests (the app, site origins, `/_wia/…`); see `createRequestHandler`. */
  handler: RequestListener
  /** Takes WebSocket upgrades (libp2p's `wss`), see `WebSocketIngress`. */
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void
  /** Port HTTPS is reachable on from outside, for redirects (`443` is left out of URLs). */
  httpsPort: () => number
  /** Custom domains; absent: only the relay's own names are served. */
  foreignHosts?: ForeignHosts
}

export interface PublicServers {
  /** HTTPS, HTTP/2 or HTTP/1.1 by ALPN: the app, site origins and `wss` upgrades (HTTP/1.1). */
  https: Http2SecureServer
  /** Plain HTTP: redirects to HTTPS, ACME HTTP-01 challenges, custom-domain refusal pages. */
  http: Server
  /** End every connection the HTTPS server holds (after its `close()`, which only stops new ones). */
  dropHttpsConnections(): void
}

/**
 * The servers of a public relay (README "Run a public relay"). HTTPS picks its
 * certificate per connection by SNI: the relay's own domain and every name
 * under it get the certificate from the files (so a renewal applies to the
 * next connection), other names are custom domains. HTTPS speaks HTTP/2 to
 * clients that offer it (ALPN `h2`, RFC 9113: every browser), so a visit's
 * many requests share one connection and one TLS handshake, and HTTP/1.1 to
 * the rest (`curl --http1.1`, libp2p's WebSocket dials). WebSocket upgrades
 * on any HTTPS origin go to libp2p, so one TLS port carries both. Plain HTTP
 * answers ACME challenges and otherwise redirects to the same URL over HTTPS.
 */
export function createPublicServers (init: PublicServersInit): PublicServers {
  const own = (host: string): boolean => host === init.domain || host.endsWith(`.${init.domain}`)
  const { cert, key } = init.certificates.current
  const https = createSecureServer({
    allowHTTP1: true,
    settings: { maxConcurrentStreams: HTTP2_MAX_CONCURRENT_STREAMS },
    cert,
    key,
    SNICallback: (servername, callback) => {
      const host = servername.toLowerCase()
      if (own(host) || init.foreignHosts == null) {
        callback(null, init.certificates.current.context)
        return
      }
      init.foreignHosts.secureContext(host).then(
        context => { callback(context == null ? new Error(`no certificate for ${host}`) : null, context) },
        err => { callback(err as Error) }
      )
    }
  })
  https.on('request', http1Shaped(init.handler))
  https.on('session', (session: ServerHttp2Session) => {
    session.setTimeout(HTTP2_IDLE_TIMEOUT_MS, () => { session.close() })
  })
  // read by the HTTP/1.1 side of Node's HTTP/2 server; unset there, an idle keep-alive connection stays for good
  Object.assign(https, { keepAliveTimeout: HTTP1_KEEP_ALIVE_TIMEOUT_MS })
  const connections = new Set<Socket>()
  https.on('connection', (socket: Socket) => {
    connections.add(socket)
    socket.once('close', () => { connections.delete(socket) })
  })
  // clients without SNI (an IP address in the URL) get the domain's certificate, reloaded too
  init.certificates.addEventListener('reload', event => {
    https.setSecureContext({ cert: event.detail.cert, key: event.detail.key })
  })
  passWebSocketUpgrades(https, init.upgrade)

  const http = createHttpServer((req, res) => {
    const host = hostnameOf(req.headers.host)
    const path = req.url ?? '/'
    if (path.startsWith(ACME_CHALLENGE_PREFIX)) {
      const answer = init.foreignHosts?.challengeResponse(host, path.slice(ACME_CHALLENGE_PREFIX.length))
      if (answer == null) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('No such ACME challenge\n')
      } else {
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(answer)
      }
      return
    }
    const redirect = (): void => {
      const port = init.httpsPort()
      res.writeHead(301, { location: `https://${host}${port === 443 ? '' : `:${port}`}${path}`, 'cache-control': 'no-store' }).end()
    }
    if (host === '') {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('A Host header is required\n')
      return
    }
    if (own(host) || init.foreignHosts == null) {
      redirect()
      return
    }
    init.foreignHosts.plainHttp(host).then(answer => {
      if (answer.redirect) {
        redirect()
      } else {
        res.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(answer.html)
      }
    }, () => { res.writeHead(500).end() })
  })

  return {
    https,
    http,
    dropHttpsConnections: () => {
      for (const socket of connections) socket.destroy()
    }
  }
}

/**
 * `handler`, written for Node's HTTP/1.1 request and response, as a listener
 * of the HTTP/2 server's `request` event, which passes its compatibility API
 * objects for HTTP/2 streams (the same methods and events) and HTTP/1.1 ones
 * for the rest. An HTTP/2 request names its host in the `:authority`
 * pseudo-header, not in `Host` (RFC 9113 §8.3.1): `Host` is set from it.
 */
function http1Shaped (handler: RequestListener): (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => void {
  return (req, res) => {
    if (req.httpVersionMajor === 2 && req.headers.host == null) {
      req.headers.host = (req as Http2ServerRequest).authority
    }
    handler(req as IncomingMessage, res as ServerResponse)
  }
}

export interface ProxiedServerInit {
  /** Answers requests (the app, site origins, `/_wia/…`); see `createRequestHandler`. */
  handler: RequestListener
  /** Takes WebSocket upgrades (libp2p's `wss`, TLS ended at the proxy), see `WebSocketIngress`. */
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void
  /** The client a request comes from, as the trusted proxies name it (`clientAddressOf`). */
  clientAddress: (req: IncomingMessage) => string
}

/**
 * The one server of a public relay behind a TLS-terminating reverse proxy
 * (`--behind-proxy`, README "Behind a reverse proxy"): plain HTTP for all the
 * proxy passes on, the app, site origins and libp2p's WebSocket upgrades.
 * Certificates, redirects from port 80 and ACME are the proxy's. libp2p sees
 * each upgrade as from the client the proxy names, so its per-IP inbound
 * limits apply to visitors, not to the proxy.
 */
export function createProxiedServer (init: ProxiedServerInit): Server {
  const server = createHttpServer(init.handler)
  passWebSocketUpgrades(server, (req, socket, head) => {
    init.upgrade(requestFrom(req, init.clientAddress(req)), socket, head)
  })
  return server
}

/** WebSocket upgrades go to `upgrade`; any other protocol gets 400. */
function passWebSocketUpgrades (server: Server | Http2SecureServer, upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.headers.upgrade?.toLowerCase() !== 'websocket') {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    upgrade(req, socket, head)
  })
}

