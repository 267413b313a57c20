import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Libp2p } from '@libp2p/interface'

/**
 * Free the circuit relay v2 reservation of a peer once its last connection
 * to the relay closed. The library keeps a reservation for its TTL (2 h)
 * whether or not its holder stays connected, so one attacker could take every
 * slot with new PeerIds, hang up, and shut new hosts out for two hours
 * (`stress/scenarios/reservation-exhaustion.ts`). A relay cannot reach a host
 * that hung up anyway, and a host that reconnects reserves again (the app's
 * reservation keeper does); a host that stays connected keeps its
 * reservation, which it may refresh at the bound. Holding a slot now costs
 * the attacker an open connection, bounded by the connection limits.
 */
export function freeReservationsOnDisconnect (node: Pick<Libp2p<{ relay: CircuitRelayService }>, 'addEventListener' | 'services'>): void {
  node.addEventListener('peer:disconnect', event => {
    const { reservations } = node.services.relay
    const reservation = reservations.get(event.detail)
    if (reservation != null) {
      // its expiry timer would otherwise live on for the TTL
      reservation.signal.clear()
      reservations.delete(event.detail)
    }
  })
}
