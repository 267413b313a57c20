import { formatNumber } from '../../bench/format.js'
import { reserveOnce } from '../attacker/reservations.js'
import { reachableThroughRelay } from '../host-probe.js'
import { checked, figure } from '../report.js'
import { hostDialRow, underAttack, usageRows, visitRows } from '../under-attack.js'
import type { ConnectionFloodInit, ConnectionFloodReport } from '../attacker/connection-flood.js'
import type { StressResult } from '../report.js'
import type { StressContext } from '../under-attack.js'

/**
 * Scenario 2a: new libp2p connections to the relay at a fixed rate (issue 14:
 * 1,000/s for 30 s), each from its own source address and one of `peers`
 * PeerIds, kept 2 s. The relay takes what its inbound bounds let through
 * their handshake and refuses the rest at the door; the report says how many
 * the attacker started, how many the relay opened and refused, and the
 * attacker's own CPU (on these 2 shared cores it is the attacker that runs
 * out first).
 */
export async function connectionFloodScenario (ctx: StressContext): Promise<{ results: StressResult[], details: unknown }> {
  const init: ConnectionFloodInit = {
    relay: ctx.relay.relayAddrs[0]!,
    perSecond: ctx.quick ? 50 : 1000,
    seconds: ctx.quick ? 5 : 30,
    holdMs: 2_000,
    // enough PeerIds for every attempt of 10 s (its hold and a slow handshake) to have one of its own
    peers: ctx.quick ? 500 : 10_000
  }
  const attack = `connection flood (${init.perSecond}/s × ${init.seconds} s asked, ${init.peers} PeerIds)`
  // a host online before the flood, with its reservation: does it keep its connection, and can visitors still reach it?
  const holder = await reserveOnce(init.relay)
  const holderConnection = holder.getConnections()[0]?.id
  let run: Awaited<ReturnType<typeof underAttack<ConnectionFloodReport>>>
  let holderKept: boolean
  let holderReachable: boolean
  try {
    run = await underAttack<ConnectionFloodReport>(ctx, 'connection-flood', init, (init.seconds + 60) * 1000)
    holderKept = holder.getConnections().some(c => c.id === holderConnection && c.status === 'open')
    holderReachable = await reachableThroughRelay(init.relay, holder)
  } finally {
    await holder.stop()
  }
  const r = run.report
  const { errors, ...counts } = r
  return {
    results: [
      figure({
        id: 'flood-connections',
        attack,
        what: 'connections opened / started (refused, timed out, not started: no PeerId free)',
        measured: `${r.opened} / ${r.started} (${r.refused}, ${r.timedOut}, ${r.skipped}); ${formatNumber(r.started / r.seconds)}/s started, ${formatNumber(r.opened / r.seconds)}/s opened`,
        values: { ...counts },
        notes: `connection flood: each attempt a libp2p dial (WebSockets, noise, yamux) from one of ${r.peers} PeerIds (a node each, made before the clock starts) in one attacker process, from its own 127.1.x.y address; attacker CPU ${formatNumber(r.cpu * 100)} % of one core; median time to open ${formatNumber(r.medianOpenMs ?? NaN)} ms; failures: ${Object.entries(errors ?? {}).map(([reason, n]) => `${n} × ${reason}`).join('; ') || 'none'}. The attacker, the relay and the harness share the machine's cores, so the rate reached is what these cores give, not the relay's limit alone.`
      }),
      ...visitRows('flood', attack, run.visits, ctx.baseline),
      hostDialRow('flood', attack, run.hostDials),
      checked({
        id: 'flood-host-kept',
        attack,
        what: 'a host connected (with a reservation) before the flood: its connection kept through it; reachable through the relay after it',
        measured: `${holderKept ? 'yes' : 'no'}; ${holderReachable ? 'yes' : 'no'}`,
        goal: 'yes; yes',
        values: { kept: Number(holderKept), reachable: Number(holderReachable) }
      }, holderKept && holderReachable),
      ...usageRows('flood', attack, run.usage, run.eventLoop)
    ],
    details: { init, report: r, visits: run.visits.visits.filter(v => !v.ok) }
  }
}
