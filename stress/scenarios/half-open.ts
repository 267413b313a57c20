import { figure } from '../report.js'
import { hostDialRow, underAttack, usageRows, visitRows } from '../under-attack.js'
import type { HalfOpenInit, HalfOpenReport } from '../attacker/half-open.js'
import type { HeldReport } from '../attacker/sockets.js'
import type { StressResult } from '../report.js'
import type { StressContext } from '../under-attack.js'

const held = (r: HeldReport): string => `${r.opened}/${r.tried} opened, ${r.closedByRelay} closed by the relay${r.medianCloseMs == null ? '' : ` (median after ${(r.medianCloseMs / 1000).toFixed(1)} s)`}`

/**
 * Scenario 2b: connections that start and never finish: silent TCP
 * connections to the libp2p WebSocket port and to the HTTP port, and
 * WebSocket upgrades that never begin libp2p's handshake, all held while
 * legit visitors load sites.
 */
export async function halfOpenScenario (ctx: StressContext): Promise<{ results: StressResult[], details: unknown }> {
  const init: HalfOpenInit = {
    host: '127.0.0.1',
    wsPort: ctx.relay.relayPort,
    httpPort: ctx.relay.httpPort,
    sockets: ctx.quick ? 300 : 2000,
    seconds: ctx.quick ? 8 : 75
  }
  const attack = `half-open connections (${init.sockets} of each kind, ${init.seconds} s)`
  const run = await underAttack<HalfOpenReport>(ctx, 'half-open', init, (init.seconds + 60) * 1000)
  const r = run.report
  return {
    results: [
      figure({ id: 'half-open-ws-silent', attack, what: 'silent TCP connections to the libp2p WebSocket port', measured: held(r.wsSilent), values: { ...r.wsSilent } }),
      figure({ id: 'half-open-ws-upgraded', attack, what: 'WebSocket upgrades never starting libp2p\'s handshake', measured: held(r.wsUpgraded), values: { ...r.wsUpgraded } }),
      figure({ id: 'half-open-http-silent', attack, what: 'silent TCP connections to the HTTP port', measured: held(r.httpSilent), values: { ...r.httpSilent } }),
      ...visitRows('half-open', attack, run.visits, ctx.baseline),
      hostDialRow('half-open', attack, run.hostDials),
      ...usageRows('half-open', attack, run.usage, run.eventLoop)
    ],
    details: { init, report: r, visits: run.visits.visits.filter(v => !v.ok) }
  }
}
