/**
 * The relay's visit counting (`README.md` "Visits", `docs/http.md`
 * §"Visits"): per site and UTC day, page visits and the bytes the relay
 * served by where they came from (its own store, the site's host, other
 * peers), for the last 30 days, kept in the relay's datastore. Counts only:
 * no visitor address, user agent, referrer or identifier is kept.
 *
 * @example
 * ```ts
 * import { SiteVisits, VisitCounter, VISITS_PATH, answerVisits } from './visits/index.js'
 *
 * const counter = new VisitCounter({ datastore })
 * await counter.start()
 * const visits = new SiteVisits({ counter, isRegistered, local: store, network: helia.blockstore }, { gatewaySuffix })
 * // a worker's ping: await visits.visit(name)
 * // GET /_wia/visits/<name>: answerVisits(req.method, res, url, (name, hosts) => visits.report(name, hosts))
 * ```
 *
 * @module
 */

export { VisitCounter, dayOf, windowDays } from './counter.js'
export type { DayCounts, DayReport, VisitCounterInit } from './counter.js'
export { SiteVisits } from './site-visits.js'
export type { SiteVisitsComponents, SiteVisitsInit } from './site-visits.js'
export { answerVisits, VISITS_PATH } from './endpoint.js'
export type { VisitsReport } from './endpoint.js'
export * from './constants.js'
export * from './errors.js'
