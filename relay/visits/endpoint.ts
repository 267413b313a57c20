import { parseName } from '../../src/naming/index.js'
import { MAX_HOSTS_PER_QUERY } from './constants.js'
import type { DayReport } from './counter.js'
import type { ServerResponse } from 'node:http'

/** Path prefix of a site's visit report (`GET /_wia/visits/<name>`), on every origin. */
export const VISITS_PATH = '/_wia/visits/'

/** The body of `GET /_wia/visits/<name>` (`docs/http.md` §"Visits"). */
export interface VisitsReport {
  name: string
  /** The last `VISIT_DAYS` (30) UTC days, oldest first. */
  days: DayReport[]
}

/**
 * Answer `GET|HEAD /_wia/visits/<name>[?host=<PeerId>…]`: 200 with a
 * {@link VisitsReport} (zeros for a site the relay has not counted), 400 for
 * a malformed name or more than {@link MAX_HOSTS_PER_QUERY} `host`s, 405 for
 * other methods (`OPTIONS`: 204). Readable cross-origin (`*`), never cached.
 */
export function answerVisits (method: string, res: ServerResponse, url: URL, report: (name: string, hosts: string[]) => DayReport[]): void {
  res.setHeader('Access-Control-Allow-Origin', '*')
  res.setHeader('X-Content-Type-Options', 'nosniff')
  if (method === 'OPTIONS') {
    res.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS', 'Content-Length': '0' }).end()
    return
  }
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD, OPTIONS' }).end()
    return
  }
  let name: string
  try {
    name = decodeURIComponent(url.pathname.slice(VISITS_PATH.length))
    parseName(name)
  } catch {
    sendError(res, 'InvalidNameError', 'Not a WIA name')
    return
  }
  const hosts = url.searchParams.getAll('host')
  if (hosts.length > MAX_HOSTS_PER_QUERY) {
    sendError(res, 'InvalidParameterError', `At most ${MAX_HOSTS_PER_QUERY} host parameters`)
    return
  }
  const body = JSON.stringify({ name, days: report(name, hosts) } satisfies VisitsReport)
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
  res.end(method === 'HEAD' ? undefined : body)
}

function sendError (res: ServerResponse, error: string, message: string): void {
  res.writeHead(400, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify({ error, message }))
}
