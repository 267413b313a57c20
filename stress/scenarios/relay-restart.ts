import { once } from 'node:events'
import { formatNumber } from '../../bench/format.js'
import { checkNames, namesOff } from '../name-check.js'
import { checked, kept } from '../report.js'
import { visitLog, visitSite } from '../visitor.js'
import type { StressResult } from '../report.js'
import type { StressContext } from '../under-attack.js'
import type { Visit } from '../visitor.js'

const FAULT = 'relay killed (SIGKILL), restarted on its data dir'
/** Time from restart to the first served visit (ms): issue 14's goal. */
const MAX_FIRST_VISIT_MS = 5_000
/** How often a visitor tries while the relay is down or starting (ms). */
const RETRY_MS = 50
/** How long a try may take while the relay starts (ms). */
const TRY_TIMEOUT_MS = 2_000
/** Longest wait for a first served visit before giving up (ms). */
const GIVE_UP_MS = 60_000

/**
 * Scenario 4: the relay is killed with SIGKILL (no shutdown: LevelDB and
 * every socket left as they were) and started again on the same data
 * directory, ports and flags. A visitor retries from the moment the new
 * process is spawned; measured: time to its first served visit, then whether
 * every name still resolves to its current record and every site is served
 * whole. Replaces `ctx.relay` with the new process.
 */
export async function relayRestartScenario (ctx: StressContext): Promise<{ results: StressResult[], details: unknown }> {
  const old = ctx.relay
  const exited = once(old.process, 'exit')
  old.process.kill('SIGKILL')
  await exited

  const restartedAt = performance.now()
  const starting = old.startAgain()
  let firstServedMs: number | undefined
  const tries: Visit[] = []
  while (performance.now() - restartedAt < GIVE_UP_MS) {
    const visit = await visitSite(old.httpPort, ctx.sites[tries.length % ctx.sites.length]!, TRY_TIMEOUT_MS)
    tries.push(visit)
    if (visit.ok) {
      firstServedMs = performance.now() - restartedAt
      break
    }
    await new Promise(resolve => setTimeout(resolve, RETRY_MS))
  }
  ctx.relay = await starting
  const startedMs = performance.now() - restartedAt
  const names = await checkNames(ctx.relay.httpPort, ctx.sites)
  const after = visitLog(await Promise.all(ctx.sites.map(async site => visitSite(ctx.relay.httpPort, site))))
  return {
    results: [
      checked({
        id: 'restart-first-visit',
        attack: FAULT,
        what: 'time from restart to the first served visit (relay printed its addresses after)',
        measured: firstServedMs == null ? `none within ${GIVE_UP_MS / 1000} s` : `${formatNumber(firstServedMs / 1000)} s (${formatNumber(startedMs / 1000)} s)`,
        goal: '≤ 5 s',
        values: { firstServedMs: firstServedMs ?? NaN, startedMs, tries: tries.length }
      }, firstServedMs != null && firstServedMs <= MAX_FIRST_VISIT_MS),
      kept({
        id: 'restart-names',
        attack: FAULT,
        what: 'names at their current record after the restart (HTTP /_wia/name)',
        measured: `${ctx.sites.length - namesOff(names)} / ${ctx.sites.length}`,
        goal: 'all',
        values: { off: namesOff(names) }
      }, namesOff(names) === 0),
      kept({
        id: 'restart-sites',
        attack: FAULT,
        what: 'sites served whole after the restart',
        measured: `${after.served} / ${ctx.sites.length}`,
        goal: 'all',
        values: { served: after.served }
      }, after.served === ctx.sites.length)
    ],
    details: { names, lastFailedTry: tries.filter(t => !t.ok).at(-1), after: after.visits }
  }
}
