import { figure } from '../report.js'
import { hostDialRow, underAttack, usageRows, visitRows } from '../under-attack.js'
import type { SlowlorisInit, SlowlorisReport } from '../attacker/slowloris.js'
import type { StressResult } from '../report.js'
import type { StressContext } from '../under-attack.js'

/**
 * Scenario 2c: slowloris against the relay's HTTP port: requests whose
 * headers arrive one byte at a time and never end, held while legit
 * visitors load sites.
 */
export async function slowlorisScenario (ctx: StressContext): Promise<{ results: StressResult[], details: unknown }> {
  const init: SlowlorisInit = {
    host: '127.0.0.1',
    httpPort: ctx.relay.httpPort,
    siteHost: `${ctx.sites[0]!.name}.localhost:${ctx.relay.httpPort}`,
    sockets: ctx.quick ? 500 : 4000,
    seconds: ctx.quick ? 8 : 75,
    byteIntervalMs: 1_000
  }
  const attack = `slowloris (${init.sockets} requests, a header byte each per ${init.byteIntervalMs / 1000} s, ${init.seconds} s)`
  const run = await underAttack<SlowlorisReport>(ctx, 'slowloris', init, (init.seconds + 60) * 1000)
  const r = run.report
  return {
    results: [
      figure({
        id: 'slowloris-held',
        attack,
        what: 'slow requests held open / opened',
        measured: `${r.opened - r.closedByRelay} / ${r.opened} (${r.closedByRelay} closed by the relay${r.medianCloseMs == null ? '' : `, median after ${(r.medianCloseMs / 1000).toFixed(1)} s`})`,
        values: { ...r }
      }),
      ...visitRows('slowloris', attack, run.visits, ctx.baseline),
      hostDialRow('slowloris', attack, run.hostDials),
      ...usageRows('slowloris', attack, run.usage, run.eventLoop)
    ],
    details: { init, report: r, visits: run.visits.visits.filter(v => !v.ok) }
  }
}
