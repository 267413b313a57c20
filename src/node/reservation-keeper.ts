import { serviceDependencies } from '@libp2p/interface'
import { hasReservationOn, parseRelayAddrs, relayPeerId } from './relays.js'
import { withTimeout } from '../signals/index.js'
import type { ComponentLogger, Libp2pEvents, Logger, PeerId, Startable } from '@libp2p/interface'
import type { AddressManager, ConnectionManager, TransportManager } from '@libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { TypedEventTarget } from 'main-event'

/** First wait before a lost relay reservation is taken again (ms). */
export const DEFAULT_MIN_BACKOFF_MS = 1_000
/**
 * Longest wait between two attempts on a relay that stays out of reach (ms):
 * short, so a relay that restarts has its hosts back within a few seconds of
 * listening again (a visit waits on that), while an attempt on a relay that
 * is down costs one refused connection.
 */
export const DEFAULT_MAX_BACKOFF_MS = 2_000
/**
 * How long after start a configured relay may still be without a reservation
 * before the keeper takes over (ms): the node's own first reservation attempt
 * (10 s, see `browser.ts`) gets to finish first.
 */
export const DEFAULT_START_GRACE_MS = 15_000
/** How long one dial to a relay may take (ms). */
const DIAL_TIMEOUT_MS = 10_000

export interface ReservationKeeperInit {
  /** The relays whose reservations the node keeps: multiaddrs ending in `/p2p/<relay PeerId>`. */
  relays: string[]
  /** @default DEFAULT_MIN_BACKOFF_MS */
  minBackoffMs?: number
  /** @default DEFAULT_MAX_BACKOFF_MS */
  maxBackoffMs?: number
  /** @default DEFAULT_START_GRACE_MS */
  startGraceMs?: number
}

export interface ReservationKeeperComponents {
  events: TypedEventTarget<Libp2pEvents>
  addressManager: Pick<AddressManager, 'getAddresses'>
  connectionManager: Pick<ConnectionManager, 'openConnection'>
  transportManager: Pick<TransportManager, 'listen'>
  logger: ComponentLogger
}

interface KeptRelay {
  peerId: string
  /** The relay's multiaddr (with `/p2p/`). */
  addr: Multiaddr
  /** The listen address that asks this relay for a reservation (`…/p2p-circuit`). */
  circuit: Multiaddr
  /** The node held a reservation on this relay at some point. */
  held: boolean
  /** A repair is under way. */
  repairing: boolean
}

/**
 * Keeps the node's circuit relay v2 reservations on its configured relays.
 *
 * libp2p's circuit relay transport takes a reservation on each configured
 * relay (a `…/p2p-circuit` listen address) once, at start; when the relay
 * connection closes (the relay restarted, the network changed, a failed
 * ping aborted it) the reservation and the node's circuit address are gone
 * for good, and the node silently stops being reachable (seen with
 * `@libp2p/circuit-relay-v2` 4.2.13: only *discovered* relays are replaced).
 * This service notices the loss (`peer:disconnect` of a relay,
 * `self:peer:update` without the relay's circuit address) and takes the
 * reservation again: it dials the relay, then listens on its circuit address,
 * waiting `minBackoffMs`, doubling up to `maxBackoffMs`, between failed
 * attempts. It runs no timer while every reservation is held, so a sleeping
 * host stays idle.
 */
export class ReservationKeeper implements Startable {
  readonly [Symbol.toStringTag] = 'wia:reservation-keeper'
  readonly [serviceDependencies]: string[] = ['@libp2p/circuit-relay-v2-transport']

  private readonly log: Logger
  private readonly relays: KeptRelay[]
  private readonly minBackoffMs: number
  private readonly maxBackoffMs: number
  private readonly startGraceMs: number
  private controller = new AbortController()
  private graceTimer?: ReturnType<typeof setTimeout>
  private started = false

  constructor (private readonly components: ReservationKeeperComponents, init: ReservationKeeperInit) {
    this.log = components.logger.forComponent('wia:reservation-keeper')
    this.relays = parseRelayAddrs(init.relays).map(addr => ({
      peerId: relayPeerId(addr),
      addr,
      circuit: addr.encapsulate('/p2p-circuit'),
      held: false,
      repairing: false
    }))
    this.minBackoffMs = init.minBackoffMs ?? DEFAULT_MIN_BACKOFF_MS
    this.maxBackoffMs = init.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS
    this.startGraceMs = init.startGraceMs ?? DEFAULT_START_GRACE_MS
  }

  isStarted (): boolean {
    return this.started
  }

  start (): void {
    this.controller = new AbortController()
    this.components.events.addEventListener('self:peer:update', this.check)
    this.components.events.addEventListener('peer:disconnect', this.onDisconnect)
    this.started = true
  }

  afterStart (): void {
    // a relay that was out of reach at start gets its reservation once it is back
    this.graceTimer = setTimeout(() => {
      this.graceTimer = undefined
      for (const relay of this.relays) {
        relay.held = true
      }
      this.check()
    }, this.startGraceMs)
  }

  stop (): void {
    this.components.events.removeEventListener('self:peer:update', this.check)
    this.components.events.removeEventListener('peer:disconnect', this.onDisconnect)
    clearTimeout(this.graceTimer)
    this.controller.abort()
    this.started = false
  }

  /** Relays (PeerId strings) on which the node holds a reservation now. */
  reservedOn (): string[] {
    return this.relays.filter(relay => this.hasReservation(relay)).map(relay => relay.peerId)
  }

  private readonly onDisconnect = (evt: CustomEvent<PeerId>): void => {
    if (this.relays.some(relay => relay.peerId === evt.detail.toString())) {
      this.check()
    }
  }

  private readonly check = (): void => {
    for (const relay of this.relays) {
      if (this.hasReservation(relay)) {
        relay.held = true
      } else if (relay.held && !relay.repairing) {
        void this.repair(relay)
      }
    }
  }

  private hasReservation (relay: KeptRelay): boolean {
    return hasReservationOn(this.components.addressManager.getAddresses(), relay.peerId)
  }

  private async repair (relay: KeptRelay): Promise<void> {
    relay.repairing = true
    const signal = this.controller.signal
    let backoff = this.minBackoffMs
    try {
      while (!signal.aborted) {
        this.log('no reservation on relay %s: taking one again in %d ms', relay.peerId, backoff)
        await sleep(backoff, signal)
        if (signal.aborted || this.hasReservation(relay)) {
          return
        }
        try {
          await this.components.connectionManager.openConnection(relay.addr, { signal: withTimeout(signal, DIAL_TIMEOUT_MS) })
          await this.components.transportManager.listen([relay.circuit])
          if (this.hasReservation(relay)) {
            this.log('reservation on relay %s taken again', relay.peerId)
            return
          }
        } catch (err) {
          this.log('relay %s still out of reach - %e', relay.peerId, err)
        }
        backoff = Math.min(backoff * 2, this.maxBackoffMs)
      }
    } finally {
      relay.repairing = false
    }
  }
}

/** Resolve after `ms`, or at once when `signal` aborts (ms). */
async function sleep (ms: number, signal: AbortSignal): Promise<void> {
  await new Promise<void>(resolve => {
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
    function done (): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
  })
}

/**
 * The {@link ReservationKeeper} as a libp2p service, for nodes that listen on
 * their relays (the hosting tab).
 */
export function reservationKeeper (init: ReservationKeeperInit): (components: ReservationKeeperComponents) => ReservationKeeper {
  return components => new ReservationKeeper(components, init)
}
