/**
 * The gateway's router: which request paths it owns, the headers every
 * answer carries, and the handler per endpoint.
 */

import { logger } from '@libp2p/logger'
import {
  BLOCK_STALL_TIMEOUT_MS,
  FIRST_BYTE_TIMEOUT_MS,
  GATEWAY_PREFIX,
  MAX_PROVIDERS_JSON,
  MAX_PROVIDERS_NDJSON,
  NAME_LOOKUP_TIMEOUT_MS,
  PROVIDERS_TIMEOUT_MS
} from './constants.js'
import { handleNameRecord } from './name-record.js'
import { negotiateTrustless, requireTrustless } from './negotiate.js'
import { handleProviders } from './providers.js'
import { clientSignal, sendError, sendMethodNotAllowed, sendPreflight, setCommonHeaders, statusOf } from './respond.js'
import { handleTrustless, parseContentPath } from './trustless.js'
import type { GatewayBlockstore } from './blockstore.js'
import type { GetNameRecord } from './name-record.js'
import type { FindProviders } from './providers.js'
import type { CodecLoader } from '@helia/interface'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { CID } from 'multiformats/cid'
import type { IncomingMessage, ServerResponse } from 'node:http'

const log = logger('wia:relay:gateway')

export interface GatewayInit {
  /**
   * Path prefix of every endpoint on this origin: `<prefix>/name/…`,
   * `<prefix>/ipfs/…`, `<prefix>/routing/v1/providers/…`.
   *
   * @default GATEWAY_PREFIX ('/_wia')
   */
  prefix?: string
  /**
   * Also answer the specs' own root paths, `/ipfs/…` and
   * `/routing/v1/providers/…`, so a stock trustless-gateway or delegated
   * routing client given this origin works. For the app origin only (site
   * origins' root paths are the site's).
   *
   * @default false
   */
  standardPaths?: boolean
  /**
   * Leave `/ipfs/…` requests that ask for neither a raw block nor a CAR (no
   * `format`, no such `Accept`) to the caller, whose deserializing gateway
   * answers them: the handler returns `false`. Otherwise they get 400 (no
   * `Accept`, Trustless Gateway spec §"Accept") or 406 (other formats).
   *
   * @default false
   */
  passNonTrustless?: boolean
  /**
   * The relay's gateway as HTTP multiaddrs (see `httpMultiaddr`), listed with
   * `transport-ipfs-gateway-http` in its own provider record. Read per request.
   *
   * @default () => []
   */
  httpAddrs?: () => string[]
  /** Time to the status line of an `/ipfs/` answer (ms). @default FIRST_BYTE_TIMEOUT_MS (30 s) */
  firstByteTimeoutMs?: number
  /** Longest wait for one block once a CAR streams (ms). @default BLOCK_STALL_TIMEOUT_MS (20 s) */
  blockStallTimeoutMs?: number
  /** Longest name record lookup (ms). @default NAME_LOOKUP_TIMEOUT_MS (10 s) */
  nameLookupTimeoutMs?: number
  /** Longest provider lookup (ms). @default PROVIDERS_TIMEOUT_MS (10 s) */
  providersTimeoutMs?: number
  /** Most records in a JSON providers answer. @default MAX_PROVIDERS_JSON (100) */
  maxProvidersJson?: number
  /** Most records in an NDJSON providers stream. @default MAX_PROVIDERS_NDJSON (1000) */
  maxProvidersNdjson?: number
}

export interface GatewayComponents {
  /**
   * Where blocks come from: the relay's Helia. Its `blockstore.get` reads the
   * site cache or fetches over bitswap from connected peers (each fetched
   * block checked against its CID); `has` looks at the local store only.
   */
  helia: { blockstore: GatewayBlockstore, getCodec: CodecLoader }
  /** The relay's libp2p node (its PeerId and addresses for its provider record). */
  libp2p: { peerId: PeerId, getMultiaddrs(): Multiaddr[] }
  /** A name's record bytes: the registry's, else a DHT lookup. */
  getRecord: GetNameRecord
  /** Providers of a CID: libp2p's `contentRouting.findProviders`. */
  findProviders: FindProviders
  /**
   * The blockstore that answers one `/ipfs/` request (the relay counts the
   * bytes it serves per site through it: `relay/visits/`); `undefined`:
   * `helia.blockstore`.
   *
   * @default () => undefined
   */
  blockstoreFor?: (req: IncomingMessage, res: ServerResponse) => GatewayBlockstore | undefined
  /**
   * Told of the root of each CAR request for part of a DAG, with the request
   * (the relay fetches a small site whole for requests on its site origin:
   * `SiteWarmup`). Must not throw.
   */
  warmSite?: (req: IncomingMessage, root: CID) => void
  /**
   * The current root of the site whose origin made the request (by `Host`,
   * else `Origin`), if the relay holds its record: a raw block asked alone
   * is fetched from that root's providers (see `TrustlessContext.siteRoot`).
   * Must not throw.
   */
  siteRootFor?: (req: IncomingMessage) => Promise<CID | undefined>
}

/**
 * A request handler for one origin. Returns `true` when the request is one
 * of the gateway's (it answers it, asynchronously; errors become status
 * codes), `false` when it is not (nothing was written: the caller answers).
 * Never throws.
 */
export type GatewayHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean

type Route =
  | { kind: 'name', rest: string }
  | { kind: 'ipfs', rest: string }
  | { kind: 'providers', rest: string }

/**
 * Create the gateway's request handler. Mount one per kind of origin: site
 * origins with the defaults (`/_wia/…` only), the app origin with
 * `standardPaths: true`.
 *
 * @example
 * ```ts
 * const siteGateway = createGatewayHandler({ httpAddrs }, components)
 * const appGateway = createGatewayHandler({ httpAddrs, standardPaths: true, passNonTrustless: true }, components)
 * // in the request listener, before static files:
 * if ((isAppOrigin ? appGateway : siteGateway)(req, res, url)) return
 * ```
 */
export function createGatewayHandler (init: GatewayInit, components: GatewayComponents): GatewayHandler {
  const prefix = init.prefix ?? GATEWAY_PREFIX
  const standardPaths = init.standardPaths ?? false
  const passNonTrustless = init.passNonTrustless ?? false
  const httpAddrs = init.httpAddrs ?? (() => [])
  const firstByteTimeoutMs = init.firstByteTimeoutMs ?? FIRST_BYTE_TIMEOUT_MS
  const blockStallTimeoutMs = init.blockStallTimeoutMs ?? BLOCK_STALL_TIMEOUT_MS
  const nameLookupTimeoutMs = init.nameLookupTimeoutMs ?? NAME_LOOKUP_TIMEOUT_MS
  const providersTimeoutMs = init.providersTimeoutMs ?? PROVIDERS_TIMEOUT_MS
  const maxJson = init.maxProvidersJson ?? MAX_PROVIDERS_JSON
  const maxNdjson = init.maxProvidersNdjson ?? MAX_PROVIDERS_NDJSON

  function route (pathname: string): Route | undefined {
    const bases = standardPaths ? [prefix, ''] : [prefix]
    for (const base of bases) {
      if (pathname.startsWith(`${base}/ipfs/`)) {
        return { kind: 'ipfs', rest: pathname.slice(`${base}/ipfs/`.length) }
      }
      const providers = `${base}/routing/v1/providers/`
      if (pathname.startsWith(providers) && !pathname.slice(providers.length).includes('/')) {
        return { kind: 'providers', rest: pathname.slice(providers.length) }
      }
    }
    const name = `${prefix}/name/`
    if (pathname.startsWith(name) && !pathname.slice(name.length).includes('/')) {
      return { kind: 'name', rest: pathname.slice(name.length) }
    }
    return undefined
  }

  return (req, res, url) => {
    const matched = route(url.pathname)
    if (matched == null) {
      return false
    }
    const method = req.method ?? 'GET'
    let trustless
    if (matched.kind === 'ipfs' && (method === 'GET' || method === 'HEAD')) {
      try {
        trustless = negotiateTrustless(url.searchParams, req.headers.accept)
      } catch (err) {
        setCommonHeaders(res)
        sendError(res, err)
        return true
      }
      if (passNonTrustless && (trustless === 'missing' || trustless === 'other')) {
        return false
      }
    }

    setCommonHeaders(res)
    if (method === 'OPTIONS') {
      sendPreflight(res)
      return true
    }
    if (method !== 'GET' && method !== 'HEAD') {
      sendMethodNotAllowed(res)
      return true
    }

    const signal = clientSignal(res)
    let answer: Promise<void>
    try {
      switch (matched.kind) {
        case 'name':
          answer = handleNameRecord(req, res, matched.rest, { getRecord: components.getRecord, timeoutMs: nameLookupTimeoutMs, clientSignal: signal })
          break
        case 'ipfs':
          answer = handleTrustless(req, res, url, parseContentPath(matched.rest), requireTrustless(trustless ?? 'missing', req.headers.accept, url.searchParams), {
            blockstore: components.blockstoreFor?.(req, res) ?? components.helia.blockstore,
            getCodec: components.helia.getCodec,
            firstByteTimeoutMs,
            blockStallTimeoutMs,
            clientSignal: signal,
            ...(components.warmSite == null ? {} : { warmSite: root => { components.warmSite?.(req, root) } }),
            ...(components.siteRootFor == null ? {} : { siteRoot: async () => components.siteRootFor?.(req) })
          })
          break
        case 'providers':
          answer = handleProviders(req, res, parseContentPath(matched.rest).cid, {
            blockstore: components.helia.blockstore,
            self: components.libp2p,
            httpAddrs,
            findProviders: components.findProviders,
            timeoutMs: providersTimeoutMs,
            maxJson,
            maxNdjson,
            clientSignal: signal
          })
          break
      }
    } catch (err) {
      answer = Promise.reject(err)
    }
    answer.catch(err => {
      if (signal.aborted) {
        return
      }
      if (statusOf(err) === 500) {
        log.error('%s %s failed: %e', method, url.pathname, err)
      }
      if (res.headersSent) {
        res.destroy(err as Error)
      } else {
        sendError(res, err)
      }
    })
    return true
  }
}
