import { WebSocket as WsWebSocket } from 'ws'
import type { ClientRequestArgs } from 'node:http'

/**
 * Make every WebSocket this process opens (libp2p's `@libp2p/websockets`
 * dials with the global `WebSocket`) leave from its own loopback address,
 * 127.1.x.y counting up from `first` (Linux routes all of 127/8 to `lo`).
 *
 * libp2p's connection manager accepts at most 5 inbound connections per
 * second from one IP address; real clients and relays come from addresses of
 * their own, so a benchmark that packs many nodes onto one machine gives each
 * connection its own source address to measure the nodes, not that limit.
 *
 * @param first - index of the first source address (0 → 127.1.0.1)
 */
export function useDistinctSourceAddresses (first: number): void {
  let next = first
  class DistinctSourceWebSocket extends WsWebSocket {
    constructor (url: string | URL, protocols?: string | string[]) {
      const n = next++
      const options: ClientRequestArgs = { localAddress: `127.1.${Math.floor(n / 250) % 250}.${(n % 250) + 1}` }
      super(url, protocols, options)
      // a relay that drops the connection mid-upgrade (its per-IP limit) must not end the process:
      // `ws` emits that on the WebSocket, where libp2p no longer listens once its dial gave up
      this.on('error', () => {})
    }
  }
  globalThis.WebSocket = DistinctSourceWebSocket as unknown as typeof globalThis.WebSocket
}
