import { isIPv6 } from 'node:net'
import proxyaddr from 'proxy-addr'
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'

/**
 * The client behind a request that reached the relay through a
 * TLS-terminating reverse proxy (`--behind-proxy`, README "Behind a reverse
 * proxy"). The socket's peer is the proxy; the proxy names the client in
 * `X-Forwarded-For`. Only proxies the operator trusts are believed, hop by
 * hop from the nearest (`proxy-addr`'s rule, as Express applies it): a client
 * that reaches the relay directly, or writes an `X-Forwarded-For` of its own
 * to a trusted proxy that appends to it, is still taken for the address the
 * last trusted hop saw.
 *
 * @param trustedProxies - `proxy-addr` trust values: addresses, CIDR ranges, `loopback`, `linklocal`, `uniquelocal`
 * @returns a function giving a request's client address (an IP address as text)
 * @throws {TypeError} from `proxy-addr` when a trust value is not an address, range or name
 */
export function clientAddressOf (trustedProxies: string[]): (req: IncomingMessage) => string {
  const trust = proxyaddr.compile(trustedProxies)
  return req => proxyaddr(req, trust)
}

/**
 * The request as if it came from `address`: what libp2p's WebSocket listener
 * reads as the connection's remote address (`req.socket.remoteAddress`), so
 * its per-IP inbound limits and identify's observed address see the visitor,
 * not the proxy. The client's port is not known behind a proxy: `0`.
 * Everything else is the request and its socket unchanged.
 *
 * @param req - an upgrade request from the proxy
 * @param address - the client's IP address ({@link clientAddressOf})
 * @returns `req` itself when `address` is already its peer, else a view of it
 */
export function requestFrom (req: IncomingMessage, address: string): IncomingMessage {
  if (address === req.socket.remoteAddress) {
    return req
  }
  const socket = new Proxy(req.socket, {
    get (target, property) {
      switch (property) {
        case 'remoteAddress': return address
        case 'remotePort': return 0
        case 'remoteFamily': return isIPv6(address) ? 'IPv6' : 'IPv4'
      }
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    }
  }) satisfies Socket
  return Object.create(req, { socket: { value: socket }, connection: { value: socket } }) as IncomingMessage
}
