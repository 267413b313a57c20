import { Agent } from 'node:http'
import { summarize } from '../bench/stats.js'
import { httpGet } from './http-get.js'
import type { Summary } from '../bench/stats.js'
import type { LegitSite } from './legit-host.js'

/** How long a visitor waits for a whole site before it counts the visit as failed (ms). */
export const VISIT_TIMEOUT_MS = 10_000

/** One visit: every file of a site, in order, over one new keep-alive connection. */
export interface Visit {
  ok: boolean
  /** From the first request to the last byte (ms). */
  ms: number
  /** Why it failed. */
  error?: string
}

/** The visits made while something ran. */
export interface VisitLog {
  visits: Visit[]
  served: number
  /** Served visits / visits (0 … 1). */
  share: number
  /** Times of the served visits (ms); absent when none was served. */
  times?: Summary
}

/** Path a site's file is asked at: the index page at `/`. */
const pathOf = (file: string): string => file === 'index.html' ? '/' : `/${file}`

/**
 * Load `site` as a plain HTTP visitor (the relay's trusted gateway, `Host:
 * <name>.localhost:<port>`): every file, each answer `200` with exactly the
 * current version's bytes, within `timeoutMs`.
 */
export async function visitSite (httpPort: number, site: LegitSite, timeoutMs = VISIT_TIMEOUT_MS): Promise<Visit> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const start = performance.now()
  const deadline = start + timeoutMs
  try {
    for (const [file, bytes] of site.files) {
      const answer = await httpGet(httpPort, `${site.name}.localhost`, pathOf(file), { agent, timeoutMs: Math.max(1, deadline - performance.now()) })
        .catch((err: Error) => { throw new Error(`${pathOf(file)}: ${err.message}`) })
      if (answer.status !== 200 || !answer.body.equals(bytes)) {
        return { ok: false, ms: performance.now() - start, error: `${pathOf(file)}: ${answer.status}${answer.status === 200 ? ' with other bytes' : ` ${answer.body.toString().slice(0, 120)}`}` }
      }
    }
    return { ok: true, ms: performance.now() - start }
  } catch (err) {
    return { ok: false, ms: performance.now() - start, error: (err as Error).message }
  } finally {
    agent.destroy()
  }
}

/** Tally a list of visits. */
export function visitLog (visits: Visit[]): VisitLog {
  const servedTimes = visits.filter(v => v.ok).map(v => v.ms)
  return {
    visits,
    served: servedTimes.length,
    share: visits.length === 0 ? 0 : servedTimes.length / visits.length,
    ...(servedTimes.length === 0 ? {} : { times: summarize(servedTimes) })
  }
}

/**
 * A legit visitor that starts a visit `perSecond` times a second, round
 * robin over `sites`, on schedule (a slow visit does not delay the next),
 * until `stop()`, which waits for the visits still under way. `once`:
 * each site is visited once at most (sites the relay must fetch anew).
 */
export function startVisits (httpPort: number, sites: LegitSite[], perSecond: number, options: { once?: boolean } = {}): { stop: () => Promise<VisitLog> } {
  const under: Array<Promise<Visit>> = []
  const tick = (): void => {
    if (options.once !== true || under.length < sites.length) {
      under.push(visitSite(httpPort, sites[under.length % sites.length]!))
    }
  }
  tick()
  const timer = setInterval(tick, 1000 / perSecond)
  return {
    async stop () {
      clearInterval(timer)
      return visitLog(await Promise.all(under))
    }
  }
}
