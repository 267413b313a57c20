import { once } from 'node:events'
import { createHttpServer, createRequestHandler } from './http.js'
import { clientAddressOf } from './client-address.js'
import { PROXY_PUBLIC_PORT } from './config.js'
import { createProxiedServer, createPublicServers } from './public-servers.js'
import { CertificateFiles } from './tls/index.js'
import type { RelayConfig } from './config.js'
import type { HttpServerInit } from './http.js'
import type { OperatorLog } from './log.js'
import type { ForeignHosts } from './public-servers.js'
import type { Server as NetServer } from 'node:net'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'

export interface RelayServersInit {
  config: RelayConfig
  http: HttpServerInit
  /** Takes libp2p's WebSocket upgrades on the HTTPS port (public mode). */
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void
  log: OperatorLog
  /** Custom domains (public mode). */
  foreignHosts?: ForeignHosts
}

export interface RelayServers {
  /** The app's URL, e.g. `http://localhost:8080/` or `https://example.org/`. */
  appUrl: string
  /** Port the app and site origins are served on (HTTP locally and behind a proxy, HTTPS in public mode). */
  port: number
  /** Plain HTTP port of a public relay (redirects, ACME). */
  redirectPort?: number
  /** The certificate files of a public relay. */
  certificates?: CertificateFiles
  close(): Promise<void>
}

/**
 * Start the relay's HTTP side: locally one plain HTTP server for the app and
 * site origins (`http://localhost:8080/`, `*.localhost`); in public mode
 * HTTPS (app, site origins and libp2p's `wss`) plus plain HTTP for redirects
 * and ACME, with the certificate read from its files and reloaded on change
 * or SIGHUP; behind a reverse proxy (`--behind-proxy`), one plain HTTP server
 * for all the proxy passes on, the app's URL still `https://<domain>/`.
 *
 * @throws {TlsCertificateError} when the public mode's certificate files cannot be used
 */
export async function startRelayServers (init: RelayServersInit): Promise<RelayServers> {
  const { config, log } = init
  if (config.public == null) {
    const server = createHttpServer(init.http)
    const port = await listen(server, config.httpPort, config.host)
    const appHost = config.host === '127.0.0.1' ? 'localhost' : config.host
    return { appUrl: `http://${appHost}:${port}/`, port, close: async () => { await close(server) } }
  }

  const pub = config.public
  if (pub.tls.mode === 'proxy') {
    const server = createProxiedServer({ handler: createRequestHandler(init.http), upgrade: init.upgrade, clientAddress: clientAddressOf(pub.tls.trustedProxies) })
    const port = await listen(server, config.httpPort, config.host)
    log.info({ event: 'proxy.serving', host: config.host, port, trustedProxies: pub.tls.trustedProxies }, 'serving plain HTTP to a TLS-terminating reverse proxy')
    return { appUrl: httpsAppUrl(pub.domain, PROXY_PUBLIC_PORT), port, close: async () => { await close(server) } }
  }
  const certificates = new CertificateFiles({ certFile: pub.tls.certFile, keyFile: pub.tls.keyFile })
  const loaded = await certificates.load()
  log.info({ event: 'tls.loaded', notAfter: loaded.notAfter, subjectAltName: loaded.subjectAltName }, 'certificate loaded')
  certificates.addEventListener('reload', event => {
    log.info({ event: 'tls.reloaded', notAfter: event.detail.notAfter, subjectAltName: event.detail.subjectAltName }, 'certificate reloaded')
  })
  certificates.addEventListener('reload:error', event => {
    log.error({ event: 'tls.reload-failed', err: event.detail }, 'changed certificate files refused; the previous certificate stays in use')
  })
  certificates.start()
  const onHangup = (): void => { void certificates.reload() }
  process.on('SIGHUP', onHangup)

  let httpsPort = config.httpPort
  const servers = createPublicServers({
    domain: pub.domain,
    certificates,
    handler: createRequestHandler(init.http),
    upgrade: init.upgrade,
    httpsPort: () => httpsPort,
    ...(init.foreignHosts == null ? {} : { foreignHosts: init.foreignHosts })
  })
  httpsPort = await listen(servers.https, config.httpPort, config.host)
  const redirectPort = await listen(servers.http, pub.tls.redirectPort, config.host)
  return {
    appUrl: httpsAppUrl(pub.domain, httpsPort),
    port: httpsPort,
    redirectPort,
    certificates,
    close: async () => {
      process.off('SIGHUP', onHangup)
      certificates.stop()
      await Promise.all([close(servers.https, servers.dropHttpsConnections), close(servers.http)])
    }
  }
}

/** The app's URL on a public relay's domain, HTTPS on `port` (443 left out). */
function httpsAppUrl (domain: string, port: number): string {
  return `https://${domain}${port === 443 ? '' : `:${port}`}/`
}

/**
 * Connections the kernel holds for the relay's HTTP(S) server before it
 * accepts them (`listen(2)` backlog; Linux caps it at
 * `net.core.somaxconn`, 4096 by default since 5.4). Node's default is 511:
 * the stress test's burst of 1,000 new connections, arriving as 10,000
 * bitswap wants keep the relay busy, overflowed that queue (200
 * `TcpExtListenOverflows` in one run, none with 4096), and the kernel
 * dropped those SYNs until their clients sent them again.
 */
export const HTTP_LISTEN_BACKLOG = 4096

async function listen (server: NetServer, port: number, host: string): Promise<number> {
  server.listen({ port, host, backlog: HTTP_LISTEN_BACKLOG })
  await once(server, 'listening')
  const address = server.address()
  return typeof address === 'object' && address != null ? address.port : port
}

/**
 * Stop `server` and end the connections it holds: an HTTP server's own
 * (`closeAllConnections`), else those `dropConnections` ends.
 */
async function close (server: NetServer & { closeAllConnections?: () => void }, dropConnections?: () => void): Promise<void> {
  const closed = once(server, 'close')
  server.close()
  if (dropConnections != null) {
    dropConnections()
  } else {
    server.closeAllConnections?.()
  }
  await closed
}
