import { TEST_POW_BITS, startRelay } from '../../e2e/support/relay-process.js'
import { reserveOnce } from '../attacker/reservations.js'
import { reachableThroughRelay } from '../host-probe.js'
import { figure, kept } from '../report.js'
import { runAttacker } from '../under-attack.js'
import type { ReservationExhaustionInit, ReservationExhaustionReport } from '../attacker/reservations.js'
import type { StressResult } from '../report.js'
import type { StressContext } from '../under-attack.js'

/**
 * Scenario: one attacker takes every reservation of a relay of its own
 * (bound `--max-reservations`, small so the attack ends quickly), each with a
 * new PeerId, and hangs up. Measured: whether a host that held a reservation
 * before is still reachable through the relay, and whether a new host gets one.
 */
export async function reservationExhaustionScenario (ctx: StressContext): Promise<{ results: StressResult[], details: unknown }> {
  const bound = ctx.quick ? 16 : 128
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--max-reservations', String(bound)] })
  const addr = relay.relayAddrs[0]!
  const holder = await reserveOnce(addr)
  try {
    const before = await reachableThroughRelay(addr, holder)
    const init: ReservationExhaustionInit = { relay: addr, count: bound * 2, maxInFlight: 16 }
    const attack = `reservation exhaustion (${init.count} new PeerIds, relay bound ${bound})`
    const r = await runAttacker<ReservationExhaustionReport>('reservation-exhaustion', init, 120_000)
    const after = await reachableThroughRelay(addr, holder)
    const newHost = await reserveOnce(addr).then(async node => { await node.stop(); return true }, () => false)
    return {
      results: [
        figure({
          id: 'reservations-taken',
          attack,
          what: 'reservations the attacker took / asked (refused)',
          measured: `${r.reserved} / ${r.asked} (${r.refused}) in ${r.seconds.toFixed(1)} s`,
          values: { reserved: r.reserved, asked: r.asked, refused: r.refused, bound }
        }),
        kept({
          id: 'reservations-holder-kept',
          attack,
          what: 'a host holding a reservation before the attack reachable through the relay after it (before it)',
          measured: `${after ? 'yes' : 'no'} (${before ? 'yes' : 'no'})`,
          goal: 'yes',
          values: { before: Number(before), after: Number(after) }
        }, after),
        figure({
          id: 'reservations-new-host',
          attack,
          what: 'a new host gets a reservation after the attack',
          measured: newHost ? 'yes' : 'no',
          values: { newHost: Number(newHost) },
          notes: 'reservation exhaustion: circuit relay v2 lets a peer that holds a reservation refresh it at the bound, and on its own keeps a reservation after its holder hangs up, for its TTL (2 h), which shut new hosts out for two hours; the relay now frees a reservation when its holder disconnects (relay/reservations.ts). An attacker that keeps its connections open still holds its slots while it does (bounded by the connection limits); this scenario does not measure that.'
        })
      ],
      details: { init, report: r }
    }
  } finally {
    await holder.stop()
    await relay.stop()
  }
}
