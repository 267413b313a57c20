import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'
import { useDistinctSourceAddresses } from '../../bench/distinct-source.js'
import { wiaYamux } from '../../src/node/index.js'
import type { Libp2p } from '@libp2p/interface'

/** How long taking one reservation may take (ms). */
export const RESERVE_TIMEOUT_MS = 10_000

export interface ReservationExhaustionInit {
  relay: string
  /** Reservations asked for, each by a new PeerId. */
  count: number
  /** Attempts at once. */
  maxInFlight: number
}

export interface ReservationExhaustionReport {
  asked: number
  /** Reservations the relay granted. */
  reserved: number
  /** Attempts refused or timed out. */
  refused: number
  seconds: number
  /** The first few reasons attempts failed, each with its count. */
  errors?: Record<string, number>
}

/**
 * A new libp2p node (new PeerId) that takes a circuit relay v2 reservation on
 * `relay`, as a hosting tab does; resolves once its relayed address is up.
 * The caller stops it.
 *
 * @throws when the relay refuses, or gives none within {@link RESERVE_TIMEOUT_MS}
 */
export async function reserveOnce (relay: string): Promise<Libp2p> {
  const node = await createLibp2p({
    addresses: { listen: [`${relay}/p2p-circuit`] },
    transports: [webSockets(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [wiaYamux()],
    services: { identify: identify() }
  })
  const deadline = Date.now() + RESERVE_TIMEOUT_MS
  while (!node.getMultiaddrs().some(ma => ma.toString().includes('/p2p-circuit'))) {
    if (Date.now() > deadline) {
      await node.stop()
      throw new Error(`no reservation within ${RESERVE_TIMEOUT_MS} ms`)
    }
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  return node
}

/**
 * Reservation exhaustion: one attacker takes `count` reservations, each with
 * a new PeerId from its own loopback address, and hangs up once it has it
 * (a reservation outlives its connection, for the relay's reservation TTL).
 */
export async function reservationExhaustion (init: ReservationExhaustionInit): Promise<ReservationExhaustionReport> {
  useDistinctSourceAddresses(0)
  const report: ReservationExhaustionReport = { asked: 0, reserved: 0, refused: 0, seconds: 0 }
  const errors = new Map<string, number>()
  const start = performance.now()
  const attempt = async (): Promise<void> => {
    try {
      const node = await reserveOnce(init.relay)
      report.reserved++
      await node.stop()
    } catch (err) {
      report.refused++
      const reason = `${(err as Error).name}: ${(err as Error).message}`.slice(0, 160)
      errors.set(reason, (errors.get(reason) ?? 0) + 1)
    }
  }
  while (report.asked < init.count) {
    const batch = Math.min(init.maxInFlight, init.count - report.asked)
    report.asked += batch
    await Promise.all(Array.from({ length: batch }, attempt))
  }
  report.seconds = (performance.now() - start) / 1000
  return { ...report, ...(errors.size === 0 ? {} : { errors: Object.fromEntries([...errors].slice(0, 4)) }) }
}
