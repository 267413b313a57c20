import { isPrivate } from '@libp2p/utils'
import type { ConnectionGater } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * Connection gater of a wia-home node.
 *
 * - `allowLocal: true` (the local relay of `npm start`, tests): every address
 *   may be dialled, including `ws://` and loopback/private ones, which
 *   libp2p's default gater refuses in browsers (DESIGN.md §4).
 * - `allowLocal: false` (public mode): dials to private, loopback and
 *   link-local addresses (`@libp2p/utils`' `isPrivate`, which also counts
 *   the documentation ranges and `/dns*` `localhost`) are refused, so a peer
 *   record or a DHT answer can never make the node probe its own network.
 *   DNS multiaddrs (`/dns4/relay.example.org/…`) are dialled. In browsers
 *   libp2p's default also refuses insecure `ws://`; pass `undefined` there
 *   (see `browser.ts`) to keep it.
 */
export function wiaConnectionGater (allowLocal: boolean): ConnectionGater {
  if (allowLocal) {
    return { denyDialMultiaddr: () => false }
  }
  return { denyDialMultiaddr: (ma: Multiaddr) => isPrivate(ma) }
}
