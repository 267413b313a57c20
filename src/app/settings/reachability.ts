import { relayPeerId } from '../../node/relays.js'
import { multiaddr } from '@multiformats/multiaddr'
import { HEALTH_PATH, RELAY_CHECK_TIMEOUT_MS } from './constants.js'
import { parseRelayAddress } from './relay-address.js'

export interface RelayCheckComponents {
  /** The PeerIds (strings) this node has a connection to now. */
  connectedPeers(): string[]
  /** @default globalThis.fetch */
  fetch?: typeof fetch
}

export interface RelayCheckOptions {
  /** How long a web address may take to answer (ms). @default RELAY_CHECK_TIMEOUT_MS (5 s) */
  timeoutMs?: number
  signal?: AbortSignal
}

/**
 * Whether a relay is reachable now: for a multiaddr, whether this node is
 * connected to its PeerId; for a web address, whether its `/_wia/health`
 * answers within `timeoutMs` (asked without CORS, so any answer counts:
 * another origin's relay need not allow this page to read it).
 */
export async function checkRelay (text: string, components: RelayCheckComponents, options: RelayCheckOptions = {}): Promise<boolean> {
  const address = parseRelayAddress(text)
  if (address.kind === 'multiaddr') {
    return components.connectedPeers().includes(relayPeerId(multiaddr(address.addr)))
  }
  const signals = [AbortSignal.timeout(options.timeoutMs ?? RELAY_CHECK_TIMEOUT_MS), ...(options.signal == null ? [] : [options.signal])]
  try {
    await (components.fetch ?? globalThis.fetch)(new URL(HEALTH_PATH, address.url), { mode: 'no-cors', cache: 'no-store', signal: AbortSignal.any(signals) })
    return true
  } catch {
    return false
  }
}
