import { createServer as createHttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { hostnameOf } from '../src/naming/index.js'
import { requestFrom } from './client-address.js'
import type { CertificateFiles } from './tls/index.js'
import type { IncomingMessage, RequestListener, Server } from 'node:http'
import type { Server as HttpsServer } from 'node:https'
import type { Duplex } from 'node:stream'
import type { SecureContext } from 'node:tls'

/** Path prefix of ACME HTTP-01 challenges (RFC 8555 §8.3). */
export const ACME_CHALLENGE_PREFIX = '/.well-known/acme-challenge/'

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
  /** HTTPS: the app, site origins and `wss` upgrades. */
  https: HttpsServer
  /** Plain HTTP: redirects to HTTPS, ACME HTTP-01 challenges, custom-domain refusal pages. */
  http: Server
}

/**
 * The servers of a public relay (README "Run a public relay"). HTTPS picks its
 * certificate per connection by SNI: the relay's own domain and every name
 * under it get the certificate from the files (so a renewal applies to the
 * next connection), other names are custom domains. WebSocket upgrades on any
 * HTTPS origin go to libp2p, so one TLS port carries both. Plain HTTP answers
 * ACME challenges and otherwise redirects to the same URL over HTTPS.
 */
export function createPublicServers (init: PublicServersInit): PublicServers {
  const own = (host: string): boolean => host === init.domain || host.endsWith(`.${init.domain}`)
  const { cert, key } = init.certificates.current
  const https = createHttpsServer({
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
  }, init.handler)
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

  return { https, http }
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
function passWebSocketUpgrades (server: Server, upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.headers.upgrade?.toLowerCase() !== 'websocket') {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    upgrade(req, socket, head)
  })
}

