import type { ConnectionGater } from '@libp2p/interface'

/**
 * Connection gater for a node that must reach relays on loopback or a private
 * network over plain `ws://` (the local relay `npm start` runs).
 *
 * In browsers libp2p's default gater refuses `ws://` and private/loopback
 * addresses (DESIGN.md §4). With `allowLocal` those dials are allowed; without
 * it `undefined` is returned so libp2p keeps its strict default, which is what a
 * public deployment wants.
 */
export function wiaConnectionGater (allowLocal: boolean): ConnectionGater | undefined {
  if (!allowLocal) {
    return undefined
  }
  return {
    denyDialMultiaddr: () => false
  }
}
