import type { ComponentLogger, Listener, Logger, Startable } from '@libp2p/interface'
import type { TransportManager } from '@libp2p/interface-internal'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'

/**
 * The public method of `@libp2p/websockets`' Node listener (10.x,
 * `WebSocketListener.onUpgrade`) that takes an HTTP upgrade request and
 * turns it into an inbound libp2p connection.
 */
interface UpgradingListener extends Listener {
  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void
}

export interface WebSocketIngressComponents {
  transportManager: Pick<TransportManager, 'getListeners'>
  logger: ComponentLogger
}

/**
 * Hands WebSocket upgrade requests that arrive on the relay's HTTPS server to
 * libp2p's WebSocket listener, so HTTPS and libp2p's `wss` share one port
 * (README "Run a public relay": a deployment opens only 443 and 80).
 *
 * The HTTPS server terminates TLS; the listener (bound to loopback, never
 * announced) receives the decrypted socket with the request already parsed,
 * so libp2p sees the visitor's real IP address and applies its own inbound
 * limits (`inboundConnectionThreshold`, `maxIncomingPendingConnections`,
 * `maxConnections`) to it, as it would on a port of its own. A byte-level
 * proxy to the loopback port would make every peer look like 127.0.0.1.
 */
export class WebSocketIngress implements Startable {
  readonly [Symbol.toStringTag] = 'wia:websocket-ingress'
  private readonly components: WebSocketIngressComponents
  private readonly log: Logger

  constructor (components: WebSocketIngressComponents) {
    this.components = components
    this.log = components.logger.forComponent('wia:relay:websocket-ingress')
  }

  start (): void {}
  stop (): void {}

  /**
   * Pass one upgrade request (`'upgrade'` event of a Node HTTP(S) server) to
   * libp2p. Answers 503 and closes the socket when libp2p has no WebSocket
   * listener (the node is stopping).
   */
  handleUpgrade (req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const listener = this.components.transportManager.getListeners().find(isUpgradingListener)
    if (listener == null) {
      this.log('no WebSocket listener for an upgrade from %s', req.socket.remoteAddress)
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    listener.onUpgrade(req, socket, head)
  }
}

function isUpgradingListener (listener: Listener): listener is UpgradingListener {
  return typeof (listener as Partial<UpgradingListener>).onUpgrade === 'function'
}

/** The libp2p service factory: `services: { ingress: webSocketIngress() }`. */
export function webSocketIngress (): (components: WebSocketIngressComponents) => WebSocketIngress {
  return components => new WebSocketIngress(components)
}
