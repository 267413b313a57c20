/**
 * The relay's HTTP gateway: what visitors' service workers (and any IPFS
 * client) fetch from a relay without libp2p, verifying everything themselves.
 * Specification: `docs/http.md`.
 *
 * - `GET|HEAD /_wia/name/<name>`: a WIA name record's signed bytes.
 * - `GET|HEAD /_wia/ipfs/<cid>[/<path>]`: the IPFS Trustless Gateway (raw
 *   blocks, CAR streams), blocks from the relay's Helia (its site cache, or
 *   bitswap from connected hosts and caching peers).
 * - `GET|HEAD /_wia/routing/v1/providers/<cid>`: Delegated Routing V1.
 *
 * On the app origin also at `/ipfs/…` and `/routing/v1/providers/…`
 * (`standardPaths`). Every answer carries `Access-Control-Allow-Origin: *`
 * and `X-Content-Type-Options: nosniff`; `OPTIONS` answers preflights.
 *
 * @example
 * ```ts
 * import { createGatewayHandler, httpMultiaddr } from './gateway/index.js'
 *
 * const gateway = createGatewayHandler({ standardPaths: true, httpAddrs: () => [httpMultiaddr(appUrl)] }, {
 *   helia,
 *   libp2p: helia.libp2p,
 *   getRecord: async (name, { signal }) => await recordBytes(name, signal),
 *   findProviders: (cid, options) => helia.libp2p.contentRouting.findProviders(cid, options)
 * })
 * createServer((req, res) => {
 *   const url = new URL(req.url ?? '/', 'http://localhost')
 *   if (gateway(req, res, url)) return
 *   // … the rest of the server
 * })
 * ```
 *
 * @module
 */

export { createGatewayHandler } from './router.js'
export type { GatewayComponents, GatewayHandler, GatewayInit } from './router.js'
export { httpMultiaddr } from './providers.js'
export type { FindProviders, PeerRecord } from './providers.js'
export type { GetNameRecord } from './name-record.js'
export { localFirst, onFetched, sharedFetches, type GatewayBlockstore, type OnServed, type ServedFrom, type StoredFrom } from './blockstore.js'
export { boundedFetches, forClient, forKeeping } from './fetch-slots.js'
export { SiteWarmup, type SiteWarmupComponents, type SiteWarmupInit } from './site-warmup.js'
export { negotiateRouting, negotiateTrustless, parseAccept, trustlessContentType } from './negotiate.js'
export type { CarFormat, MediaRange, NotTrustless, RawFormat, TrustlessFormat } from './negotiate.js'
export { clientSignal, sendAnswer, STATUS_BY_ERROR } from './respond.js'
export * from './constants.js'
export { ProviderSessions, underRoot, type ProviderSessionsComponents, type ProviderSessionsInit } from './provider-sessions.js'
export * from './errors.js'
