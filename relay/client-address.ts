import { isIPv6 } from 'node:net'
import ipaddr from 'ipaddr.js'
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

/**
 * The key a client's requests share the relay's fetches under: an IPv4
 * address as it is (an IPv4-mapped IPv6 address as its IPv4 address), an
 * IPv6 address by its /64 prefix (one link's subnet: RFC 4291 §2.5.1 leaves
 * the low 64 bits to the interface, so one host may pick any of 2^64
 * addresses; a site given a /56 or /48, RFC 6177, still holds 256 or 65,536
 * keys), anything else as it is.
 *
 * @param address - the client's IP address as text (`req.socket.remoteAddress`, or the one `X-Forwarded-For` names behind a trusted proxy)
 */
export function clientKey (address: string): string {
  if (!ipaddr.isValid(address)) {
    return address
  }
  const parsed = ipaddr.process(address)
  if (parsed.kind() === 'ipv4') {
    return parsed.toString()
  }
  return `${(parsed as ipaddr.IPv6).parts.slice(0, 4).map(part => part.toString(16)).join(':')}::/64`
}

/** Client addresses whose keys {@link clientKeyOf} remembers; past them it starts again (a flood of new addresses costs a parse each, no memory). */
const CLIENT_KEYS_REMEMBERED = 4_096

/**
 * The key ({@link clientKey}) of the client behind a request: the address
 * the trusted proxies name ({@link clientAddressOf}) when the relay runs
 * behind them, else the socket's peer.
 *
 * @param trustedProxies - the relay's trusted proxies, or `undefined` when it takes connections itself
 */
export function clientKeyOf (trustedProxies?: string[]): (req: IncomingMessage) => string {
  const addressOf = trustedProxies == null ? (req: IncomingMessage) => req.socket.remoteAddress ?? '' : clientAddressOf(trustedProxies)
  // every request asks; parsing its address each time was 2 % of a relay's time under load (its profile)
  const keys = new Map<string, string>()
  return req => {
    const address = addressOf(req)
    let key = keys.get(address)
    if (key == null) {
      if (keys.size >= CLIENT_KEYS_REMEMBERED) {
        keys.clear()
      }
      key = clientKey(address)
      keys.set(address, key)
    }
    return key
  }
}

