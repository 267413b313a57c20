/**
 * `GET|HEAD <prefix>/routing/v1/providers/<cid>`: Delegated Routing V1
 * (https://specs.ipfs.tech/routing/http-routing-v1/), who provides a CID: the
 * relay itself when its store holds the block, then the peers its DHT knows.
 */

import { logger } from '@libp2p/logger'
import { raceSignal } from 'race-signal'
import {
  BITSWAP_PROTOCOL,
  GATEWAY_HTTP_PROTOCOL,
  JSON_MEDIA_TYPE,
  NDJSON_MEDIA_TYPE,
  PROVIDERS_EMPTY_MAX_AGE_S,
  PROVIDERS_MAX_AGE_S,
  PROVIDERS_STALE_S
} from './constants.js'
import { withTimeout } from '../../src/signals/index.js'
import { negotiateRouting } from './negotiate.js'
import type { GatewayBlockstore } from './blockstore.js'
import type { AbortOptions, PeerId, PeerInfo } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { CID } from 'multiformats/cid'
import type { IncomingMessage, ServerResponse } from 'node:http'

const log = logger('wia:relay:gateway')

/** Peers that provide a CID (libp2p's `contentRouting.findProviders`); must stop when `options.signal` aborts. */
export type FindProviders = (cid: CID, options: AbortOptions) => AsyncIterable<PeerInfo>

/** A Delegated Routing V1 provider record, schema `peer` (spec §"Peer Schema"). */
export interface PeerRecord {
  Schema: 'peer'
  /** PeerId, base58btc multihash or CIDv1 `libp2p-key`. */
  ID: string
  /** Its multiaddrs as strings; may be empty (then the client looks the peer up). */
  Addrs: string[]
  /** Transfer protocols known to be spoken, e.g. `transport-bitswap`; omitted when unknown (DHT results). */
  Protocols?: string[]
}

/** What a providers request is answered with. */
export interface ProvidersContext {
  blockstore: GatewayBlockstore
  /** The relay's own PeerId and libp2p addresses. */
  self: { peerId: PeerId, getMultiaddrs(): Multiaddr[] }
  /** The relay's gateway as HTTP multiaddrs (`/dns/example.org/tcp/443/tls/http`), see `httpMultiaddr`. */
  httpAddrs: () => string[]
  findProviders: FindProviders
  /** @see PROVIDERS_TIMEOUT_MS */
  timeoutMs: number
  /** Most records in a JSON answer. @see MAX_PROVIDERS_JSON */
  maxJson: number
  /** Most records in an NDJSON stream. @see MAX_PROVIDERS_NDJSON */
  maxNdjson: number
  /** Aborts when the client goes away. */
  clientSignal: AbortSignal
}

/**
 * Answer a providers request, `application/json` (`{"Providers":[…]}`, at
 * most `maxJson`) or, when `Accept` asks for it, `application/x-ndjson` (one
 * record per line, at most `maxNdjson`, streamed as found). The lookup ends
 * after `timeoutMs` with what was found by then. Always 200, with no records
 * too: the spec (§"Response Status Codes", 2025) says a server SHOULD NOT
 * send 404 and clients read 404 as an empty 200. `Cache-Control` per spec
 * §"Response Headers": 5 min with results, 15 s without.
 * `filter-addrs` / `filter-protocols` (IPIP-484) are not applied.
 */
export async function handleProviders (req: IncomingMessage, res: ServerResponse, cid: CID, context: ProvidersContext): Promise<void> {
  const mediaType = negotiateRouting(req.headers.accept)
  const max = mediaType === NDJSON_MEDIA_TYPE ? context.maxNdjson : context.maxJson
  const head = req.method === 'HEAD'
  const headers = (found: boolean): Record<string, string> => ({
    'Content-Type': mediaType,
    'Cache-Control': found
      ? `public, max-age=${PROVIDERS_MAX_AGE_S}, stale-while-revalidate=${PROVIDERS_STALE_S}, stale-if-error=${PROVIDERS_STALE_S}`
      : `public, max-age=${PROVIDERS_EMPTY_MAX_AGE_S}`,
    'Last-Modified': new Date().toUTCString(),
    Vary: 'Accept'
  })

  if (mediaType === JSON_MEDIA_TYPE) {
    const records: PeerRecord[] = []
    for await (const record of findProviderRecords(cid, context, max)) {
      records.push(record)
    }
    const body = Buffer.from(JSON.stringify({ Providers: records }))
    res.writeHead(200, { ...headers(records.length > 0), 'Content-Length': String(body.byteLength) })
    res.end(head ? undefined : body)
    return
  }

  // NDJSON: the status line waits for the first record (or the end), so the caching headers can say which
  for await (const record of findProviderRecords(cid, context, max)) {
    if (!res.headersSent) {
      res.writeHead(200, headers(true))
      if (head) {
        break
      }
    }
    res.write(`${JSON.stringify(record)}\n`)
  }
  if (!res.headersSent) {
    res.writeHead(200, headers(false))
  }
  res.end()
}

/**
 * Provider records of a CID, at most `max`: the relay first when its own
 * store holds the block, then the DHT's, each peer once, until `timeoutMs`
 * passes, the client goes away or the lookup ends. Lookup errors end the list.
 */
export async function * findProviderRecords (cid: CID, context: ProvidersContext, max: number): AsyncGenerator<PeerRecord> {
  const selfId = context.self.peerId.toString()
  const seen = new Set([selfId])
  let count = 0
  if (max > 0 && await context.blockstore.has(cid)) {
    count++
    yield selfRecord(context)
  }
  const signal = withTimeout(context.clientSignal, context.timeoutMs)
  const providers = context.findProviders(cid, { signal })[Symbol.asyncIterator]()
  try {
    while (count < max) {
      const next = await raceSignal(providers.next(), signal)
      if (next.done === true) {
        break
      }
      const id = next.value.id.toString()
      if (seen.has(id)) {
        continue
      }
      seen.add(id)
      count++
      yield { Schema: 'peer', ID: id, Addrs: next.value.multiaddrs.map(ma => ma.toString()) }
    }
  } catch (err) {
    if (!signal.aborted) {
      // kad-dht throws NotFoundError when no peer provides the CID: the list just ends
      log('provider lookup for %c ended: %e', cid, err)
    }
  } finally {
    // not awaited: a lookup that ignores its signal must not hold the answer
    providers.return?.().catch(() => {})
  }
}

/** The relay's own record: bitswap on its libp2p addresses, the trustless gateway on its HTTP ones. */
function selfRecord (context: ProvidersContext): PeerRecord {
  const id = context.self.peerId.toString()
  const httpAddrs = context.httpAddrs()
  return {
    Schema: 'peer',
    ID: id,
    Addrs: [
      ...context.self.getMultiaddrs().map(ma => ma.toString().replace(new RegExp(`/p2p/${id}$`), '')),
      ...httpAddrs
    ],
    Protocols: [BITSWAP_PROTOCOL, ...(httpAddrs.length > 0 ? [GATEWAY_HTTP_PROTOCOL] : [])]
  }
}

/**
 * The multiaddr of an HTTP(S) origin, for the `Addrs` of a provider record
 * (IPIP-484 / `transport-ipfs-gateway-http`): `https://example.org` →
 * `/dns/example.org/tcp/443/tls/http`, `http://127.0.0.1:8080` →
 * `/ip4/127.0.0.1/tcp/8080/http`. A path on the URL is not expressible and
 * is dropped: the gateway must answer at the origin's `/ipfs/`.
 */
export function httpMultiaddr (origin: string | URL): string {
  const url = new URL(origin)
  const tls = url.protocol === 'https:'
  const port = url.port === '' ? (tls ? '443' : '80') : url.port
  const host = url.hostname
  const hostPart = /^\d{1,3}(\.\d{1,3}){3}$/.test(host)
    ? `/ip4/${host}`
    : host.startsWith('[') ? `/ip6/${host.slice(1, -1)}` : `/dns/${host}`
  return `${hostPart}/tcp/${port}${tls ? '/tls' : ''}/http`
}
