import { httpGet } from './http-get.js'

/** How long a `/metrics` scrape may take (ms). */
const SCRAPE_TIMEOUT_MS = 10_000

/** The relay's event-loop delay since the previous scrape (s), from prom-client's default metrics. */
export interface EventLoopDelay {
  p99: number
  max: number
}

/**
 * Scrape the relay's `/metrics` (app origin) for its event-loop delay.
 * prom-client resets its event-loop histogram at every scrape, so one scrape
 * before a stretch and one after give the delay during it; `undefined` when
 * the relay did not answer.
 */
export async function scrapeEventLoopDelay (httpPort: number): Promise<EventLoopDelay | undefined> {
  try {
    const text = (await httpGet(httpPort, 'localhost', '/metrics', { timeoutMs: SCRAPE_TIMEOUT_MS })).body.toString()
    const gauge = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
    return { p99: gauge('nodejs_eventloop_lag_p99_seconds'), max: gauge('nodejs_eventloop_lag_max_seconds') }
  } catch {
    return undefined
  }
}
