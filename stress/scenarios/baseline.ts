import { sampleUsage } from '../../bench/process-usage.js'
import { scrapeEventLoopDelay } from '../event-loop.js'
import { startHostDials } from '../host-probe.js'
import { hostDialRow, usageRows, visitRows } from '../under-attack.js'
import { startVisits } from '../visitor.js'
import type { StressResult } from '../report.js'
import type { StressContext } from '../under-attack.js'

const ATTACK = 'no attack (baseline)'

/**
 * The same legit visits and host connections as during the attacks, with no
 * attack, for as long as one attack lasts; sets `ctx.baseline`, which every
 * attack's visit times stand beside.
 */
export async function baselineScenario (ctx: StressContext): Promise<{ results: StressResult[], details: unknown }> {
  await scrapeEventLoopDelay(ctx.relay.httpPort)
  const usage = sampleUsage(ctx.relay.process.pid!)
  const visits = startVisits(ctx.relay.httpPort, ctx.sites, ctx.visitsPerSecond)
  const hostDials = startHostDials(ctx.relay.relayAddrs[0]!)
  await new Promise(resolve => setTimeout(resolve, (ctx.quick ? 5 : 30) * 1000))
  ctx.baseline = await visits.stop()
  const dials = await hostDials.stop()
  const used = await usage.stop()
  const eventLoop = await scrapeEventLoopDelay(ctx.relay.httpPort)
  return {
    results: [...visitRows('baseline', ATTACK, ctx.baseline, ctx.baseline), hostDialRow('baseline', ATTACK, dials), ...usageRows('baseline', ATTACK, used, eventLoop)],
    details: { visits: ctx.baseline.visits.filter(v => !v.ok), dials }
  }
}
