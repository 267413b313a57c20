/**
 * Caching peers (a CDN without a CDN): whole sites kept in a Helia
 * blockstore, bounded and ranked by demand, and the small protocol with which
 * owners ask relays to keep their site and visitors report their visits.
 * Shared by the relay, the app and the service worker. Rules: `docs/caching.md`.
 *
 * @module
 */

export { CacheRequestFailedError, FetchQueueBusyError, MalformedCacheMessageError, SiteTooLargeError } from './errors.js'
export { CACHE_PROTOCOL, DEFAULT_CACHE_SIZE_BYTES, DEMAND_HALF_LIFE_MS, FETCH_STALL_MS, GC_PAUSE_SHARE, MAX_CACHE_MESSAGE_BYTES, MAX_CONCURRENT_FETCHES, MAX_FETCH_ATTEMPTS, MAX_HOT_FETCHES, MAX_TRACKED_SITES, PROVIDE_TIMEOUT_MS, VISIT_TIMEOUT_MS } from './constants.js'
export { decodeCacheAnswer, decodeCacheRequest, encodeCacheAnswer, encodeCacheRequest, errorAnswer } from './protocol.js'
export type { CacheAnswer, CacheOp, CacheRequest } from './protocol.js'
export { DemandCounter, decayedScore } from './demand.js'
export type { DemandCounterInit, DemandScore } from './demand.js'
export { SiteCache } from './site-cache.js'
export { addPin, releaseOrphanedPins, releasePinCutShort } from './orphaned-pins.js'
export type { CachedSite, KeepOptions, KeepOutcome, SiteCacheComponents, SiteCacheInit } from './site-cache.js'
export { askToKeep, reportVisit, sendCacheRequest } from './client.js'
export type { KeptCopy } from './client.js'
