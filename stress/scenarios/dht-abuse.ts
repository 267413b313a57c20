import { formatNumber } from '../../bench/format.js'
import { TEST_POW_BITS } from '../../e2e/support/relay-process.js'
import { HOSTILE_KINDS } from '../attacker/hostile-records.js'
import { toBase64 } from '../attacker/dht-abuse.js'
import { checkNames, namesOff } from '../name-check.js'
import { figure, kept } from '../report.js'
import { hostDialRow, underAttack, usageRows, visitRows } from '../under-attack.js'
import type { DhtAbuseInit, DhtAbuseReport } from '../attacker/dht-abuse.js'
import type { HostileKind } from '../attacker/hostile-records.js'
import type { StressResult } from '../report.js'
import type { StressContext } from '../under-attack.js'

const ATTACK = 'DHT abuse over the wire'

/** What each kind of hostile record is, for the report. */
const KIND_WORDS: Record<HostileKind, string> = {
  fuzzed: 'fuzzed records (bytes flipped, cut, appended; random envelopes and messages)',
  forged: 'forged records (owner\'s key, attacker\'s root and seq, bad signature)',
  replayed: 'replayed records (the owner\'s older seq)',
  oversize: 'oversize records (2 KiB + 1 to 6 MiB)',
  'wrong-key': 'wrong-key records (another key with valid proof of work, forged transfer, another name\'s record)'
}

/**
 * Scenario 1: a peer speaking the WIA DHT's wire protocol sends hostile
 * `PUT_VALUE`s for the legit names (see `attacker/hostile-records.ts`), then
 * floods `GET_VALUE`/`FIND_NODE` queries. Goal: no record stored, every name
 * still resolves to its owner's current record over HTTP and over the DHT;
 * legit visits served, the relay's RSS bounded.
 */
export async function dhtAbuseScenario (ctx: StressContext): Promise<{ results: StressResult[], details: unknown }> {
  const init: DhtAbuseInit = {
    relay: ctx.relay.relayAddrs[0]!,
    names: ctx.sites.map(site => ({ name: site.name, current: toBase64(site.current), previous: toBase64(site.previous) })),
    powBits: TEST_POW_BITS,
    putsPerKind: ctx.quick ? 25 : 250,
    queryConnections: ctx.quick ? 2 : 4,
    queriesInFlight: 16,
    querySeconds: ctx.quick ? 5 : 30
  }
  const run = await underAttack<DhtAbuseReport>(ctx, 'dht-abuse', init, (ctx.quick ? 60 : 300) * 1000)
  const overHttp = await checkNames(ctx.relay.httpPort, ctx.sites)
  const { puts, queries, readBack } = run.report
  const overDht = Object.values(readBack).filter(state => state !== 'current').length
  const unanswered = Object.values(readBack).filter(state => state === 'unanswered').length
  const reasons = Object.entries(queries.reasons).map(([reason, n]) => `${n} × ${reason}`).join('; ')
  const results: StressResult[] = [
    ...HOSTILE_KINDS.map(kind => kept({
      id: `dht-put-${kind}`,
      attack: ATTACK,
      what: `${KIND_WORDS[kind]} stored / sent`,
      measured: `${puts[kind].answered} / ${puts[kind].sent}`,
      goal: '0',
      values: { ...puts[kind] },
      ...(puts[kind]['timed-out'] > 0 ? { notes: `${kind}: ${puts[kind]['timed-out']} puts had no answer within 5 s` } : {})
    }, puts[kind].answered === 0)),
    kept({
      id: 'dht-names-changed',
      attack: ATTACK,
      what: 'legit names not at their current record afterwards (HTTP /_wia/name; DHT GET_VALUE)',
      measured: `${namesOff(overHttp)}; ${overDht} of ${ctx.sites.length}${unanswered > 0 ? ` (${unanswered} unanswered after 5 tries)` : ''}`,
      goal: '0',
      values: { overHttp: namesOff(overHttp), overDht, unanswered }
    }, namesOff(overHttp) === 0 && overDht === 0),
    figure({
      id: 'dht-query-flood',
      attack: ATTACK,
      what: `GET_VALUE/FIND_NODE flood answered (${init.queryConnections} connections × ${init.queriesInFlight} in flight)`,
      measured: `${formatNumber(queries.answered / queries.seconds)}/s, ${queries.answered} of ${queries.sent} (${queries.refused} refused, ${queries['timed-out']} timed out)`,
      values: { answered: queries.answered, refused: queries.refused, timedOut: queries['timed-out'], sent: queries.sent, seconds: queries.seconds, getValue: queries.getValue, findNode: queries.findNode },
      ...(reasons === '' ? {} : { notes: `the flood's refusals said ${reasons}` })
    }),
    ...visitRows('dht', ATTACK, run.visits, ctx.baseline),
      hostDialRow('dht', ATTACK, run.hostDials),
    ...usageRows('dht', ATTACK, run.usage, run.eventLoop)
  ]
  return { results, details: { init: { ...init, names: init.names.map(n => n.name) }, report: run.report, overHttp, visits: run.visits.visits.filter(v => !v.ok) } }
}
