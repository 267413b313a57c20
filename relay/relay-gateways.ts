import { multiaddr } from '@multiformats/multiaddr'

/**
 * The HTTP gateway (`https://<host>[:port]/_wia/`, `docs/http.md`) of a public
 * relay's multiaddr (`/dns4/<host>/tcp/<port>/tls/ws/p2p/…`): a public relay
 * serves HTTPS and `wss` on one port. `undefined` for other multiaddrs (a
 * local relay's WebSocket port is not its HTTP port).
 */
export function gatewayOfRelay (addr: string): string | undefined {
  try {
    const parts = multiaddr(addr).getComponents()
    const [host, tcp, tls, ws] = parts
    if (host == null || !['dns', 'dns4', 'dns6'].includes(host.name) || tcp?.name !== 'tcp' || tls?.name !== 'tls' || ws?.name !== 'ws') {
      return undefined
    }
    return `https://${host.value ?? ''}${tcp.value === '443' ? '' : `:${tcp.value ?? ''}`}/_wia/`
  } catch {
    return undefined
  }
}

/** The gateways site workers ask after the origin's own relay: the configured ones, then those of public `--relay`s, once each. */
export function otherRelayGateways (relayGateways: readonly string[], extraRelays: readonly string[]): string[] {
  const derived = extraRelays.map(gatewayOfRelay).filter((base): base is string => base != null)
  return [...new Set([...relayGateways, ...derived])]
}
