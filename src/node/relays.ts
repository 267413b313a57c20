import { multiaddr } from '@multiformats/multiaddr'
import { InvalidRelayAddressError, NoRelayReachableError, NoReservationError } from './errors.js'
import { withTimeout } from '../signals/index.js'
import type { Libp2p } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * Parse relay multiaddrs from configuration. Each must name the relay's PeerId
 * (`/ip4/127.0.0.1/tcp/9090/ws/p2p/12D3Koo…`).
 *
 * @throws {InvalidRelayAddressError} for an unparsable address or one without `/p2p/`
 */
export function parseRelayAddrs (addrs: string[]): Multiaddr[] {
  return addrs.map(addr => {
    let ma: Multiaddr
    try {
      ma = multiaddr(addr)
    } catch (err) {
      throw new InvalidRelayAddressError(`"${addr}" is not a multiaddr`, { cause: err })
    }
    if (ma.getComponents().find(c => c.name === 'p2p') == null) {
      throw new InvalidRelayAddressError(`Relay address "${addr}" must end in /p2p/<relay PeerId>`)
    }
    return ma
  })
}

/** The PeerId (string) in a relay multiaddr's `/p2p/` part (see {@link parseRelayAddrs}). */
export function relayPeerId (relay: Multiaddr): string {
  return relay.getComponents().find(c => c.name === 'p2p')?.value ?? ''
}

/** The PeerIds (strings) of the configured relays. */
export function relayPeerIds (relays: string[]): string[] {
  return parseRelayAddrs(relays).map(relayPeerId)
}

/** Listen addresses that ask each relay for a circuit relay v2 reservation. */
export function circuitListenAddrs (relays: string[]): string[] {
  return relays.map(addr => `${addr}/p2p-circuit`)
}

/**
 * Dial every relay at once and resolve as soon as one connection is up.
 *
 * @throws {NoRelayReachableError} when none of them can be reached (with every
 * dial error as `cause`)
 */
export async function connectToRelays (libp2p: Libp2p, relays: string[], options: { signal?: AbortSignal } = {}): Promise<void> {
  const addrs = parseRelayAddrs(relays)
  if (addrs.length === 0) {
    throw new NoRelayReachableError('No relay is configured')
  }
  try {
    await Promise.any(addrs.map(async addr => libp2p.dial(addr, options)))
  } catch (err) {
    throw new NoRelayReachableError(`None of the ${addrs.length} relays could be reached`, { cause: err })
  }
}

/** Whether the node has a circuit relay address, i.e. a reservation on a relay. */
export function hasReservation (libp2p: Pick<Libp2p, 'getMultiaddrs'>): boolean {
  return libp2p.getMultiaddrs().some(ma => ma.getComponents().some(c => c.name === 'p2p-circuit'))
}

/**
 * Whether the node's addresses `addrs` include a circuit address through the
 * relay `relayId` (`…/p2p/<relayId>/p2p-circuit`), i.e. a reservation on it.
 */
export function hasReservationOn (addrs: Multiaddr[], relayId: string): boolean {
  return addrs.some(ma => {
    const components = ma.getComponents()
    const circuit = components.findIndex(c => c.name === 'p2p-circuit')
    return circuit > 0 && components[circuit - 1]?.name === 'p2p' && components[circuit - 1]?.value === relayId
  })
}

/**
 * Resolve once the node holds a circuit relay reservation (it then has a
 * `/p2p-circuit` address other peers can dial).
 *
 * @throws {NoReservationError} when none arrives within `timeoutMs` (ms)
 * @throws {Error} the signal's reason when `options.signal` aborts first
 */
export async function waitForReservation (libp2p: Pick<Libp2p, 'getMultiaddrs' | 'addEventListener' | 'removeEventListener'>, options: { timeoutMs: number, signal?: AbortSignal }): Promise<void> {
  if (hasReservation(libp2p)) {
    return
  }
  const bound = withTimeout(options.signal, options.timeoutMs)
  await new Promise<void>((resolve, reject) => {
    const onUpdate = (): void => {
      if (hasReservation(libp2p)) {
        cleanup()
        resolve()
      }
    }
    const onAbort = (): void => {
      cleanup()
      reject(options.signal?.aborted === true
        ? options.signal.reason
        : new NoReservationError('no relay reservation'))
    }
    const cleanup = (): void => {
      libp2p.removeEventListener('self:peer:update', onUpdate)
      bound.removeEventListener('abort', onAbort)
    }
    libp2p.addEventListener('self:peer:update', onUpdate)
    bound.addEventListener('abort', onAbort)
  })
}
