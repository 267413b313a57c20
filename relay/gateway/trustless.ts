/**
 * `GET|HEAD <prefix>/ipfs/<cid>[/<path>]`: the IPFS Trustless Gateway
 * (https://specs.ipfs.tech/http-gateways/trustless-gateway/): raw blocks and
 * CAR streams a client verifies itself. No deserialized responses here.
 */

import { bases } from 'multiformats/basics'
import { CID } from 'multiformats/cid'
import { BoundedBlockstore } from './blockstore.js'
import { respondCar } from './car.js'
import { IMMUTABLE_MAX_AGE_S, MAX_PATH_SEGMENTS } from './constants.js'
import { InvalidCidError, InvalidParameterError, NotCachedError } from './errors.js'
import { trustlessContentType } from './negotiate.js'
import { underRoot } from './provider-sessions.js'
import { matchesEtag } from './respond.js'
import type { GatewayBlockstore } from './blockstore.js'
import type { CarFormat, TrustlessFormat } from './negotiate.js'
import type { CodecLoader } from '@helia/interface'
import type { MultibaseDecoder } from 'multiformats/bases/interface'
import type { IncomingMessage, ServerResponse } from 'node:http'

/** `Cache-Control` of every `/ipfs/` answer: Path Gateway spec §"Cache-Control". */
export const IMMUTABLE_CACHE_CONTROL = `public, max-age=${IMMUTABLE_MAX_AGE_S}, immutable`

/** A parsed `/ipfs/<cid>[/<path>]`. */
export interface ContentPath {
  cid: CID
  /** The CID as written in the request (used in ETags and `X-Ipfs-Path`). */
  cidText: string
  /** The path below the CID, one decoded segment each (`['dir', 'file.txt']`). */
  segments: string[]
  /** `/ipfs/<cid>[/<path>]` as requested (still URL-encoded): `X-Ipfs-Path`. */
  ipfsPath: string
}

/** Decodes CIDs in every basic multibase (base32 `b…`, base36 `k…`, base58btc `z…`/`Qm…`, …). */
const DECODER_BY_PREFIX = new Map<string, MultibaseDecoder<string>>(Object.values(bases).map(base => [base.prefix, base.decoder]))
const CID_DECODER: MultibaseDecoder<string> = {
  decode (text: string): Uint8Array<ArrayBuffer> {
    const decoder = DECODER_BY_PREFIX.get(String.fromCodePoint(text.codePointAt(0) ?? 0))
    if (decoder == null) {
      throw new Error('Unknown multibase prefix')
    }
    return decoder.decode(text)
  }
}

/**
 * Parse what follows `/ipfs/` in a request path: a CID, then path segments
 * (URL-decoded; empty segments dropped).
 *
 * @throws {InvalidCidError} when the first segment is not a CID (400)
 * @throws {InvalidParameterError} for a segment that does not decode, holds a `/`, or more than {@link MAX_PATH_SEGMENTS} segments (400)
 */
export function parseContentPath (rest: string): ContentPath {
  const [cidText = '', ...encoded] = rest.split('/')
  let cid: CID
  try {
    cid = CID.parse(cidText, CID_DECODER)
  } catch (err) {
    throw new InvalidCidError(cidText, { cause: err })
  }
  const segments = encoded.filter(segment => segment !== '').map(segment => {
    let decoded: string
    try {
      decoded = decodeURIComponent(segment)
    } catch {
      throw new InvalidParameterError(`Path segment ${JSON.stringify(segment)} is not valid URL encoding`, 'path')
    }
    if (decoded.includes('/') || decoded.includes('\\')) {
      throw new InvalidParameterError(`Path segment ${JSON.stringify(decoded)} holds a slash`, 'path')
    }
    return decoded
  })
  if (segments.length > MAX_PATH_SEGMENTS) {
    throw new InvalidParameterError(`Content path has more than ${MAX_PATH_SEGMENTS} segments`, 'path')
  }
  return { cid, cidText, segments, ipfsPath: `/ipfs/${rest.replace(/\/+$/, '')}` }
}

/** What a trustless request is answered with. */
export interface TrustlessContext {
  blockstore: GatewayBlockstore
  getCodec: CodecLoader
  /** @see FIRST_BYTE_TIMEOUT_MS */
  firstByteTimeoutMs: number
  /** @see BLOCK_STALL_TIMEOUT_MS */
  blockStallTimeoutMs: number
  /** Aborts when the client goes away. */
  clientSignal: AbortSignal
  /**
   * Told of the root of each CAR request for part of a DAG (a page, a
   * file; not `dag-scope=all`) as it starts: a site origin's gateway fetches
   * the rest of a small site ahead of the worker's request for it
   * (`SiteWarmup`). Must not throw.
   */
  warmSite?: (root: CID) => void
  /**
   * The current root of the site on whose origin a raw block was asked for
   * (the site worker's block-by-block reads: a byte range of a video, a
   * block a CAR did not bring), if known: the block is then fetched from
   * that root's providers ({@link underRoot}), not from every peer
   * connected to the relay. Called only when the block is not in the
   * relay's store. Must not throw.
   */
  siteRoot?: () => Promise<CID | undefined>
}

/**
 * Answer a trustless request in the negotiated format.
 *
 * @throws {InvalidParameterError} a raw block asked with a path, or bad CAR parameters (400)
 * @throws {NotCachedError} `Cache-Control: only-if-cached` and the root block is not here (412)
 * @throws {PathNotFoundError} the path does not resolve (404)
 * @throws {BlockUnavailableError} a block needed before the status line was not had in time (504)
 */
export async function handleTrustless (req: IncomingMessage, res: ServerResponse, url: URL, path: ContentPath, format: TrustlessFormat, context: TrustlessContext): Promise<void> {
  if (format.format === 'raw') {
    await respondRaw(req, res, path, context)
  } else {
    await respondCar(req, res, url, path, format satisfies CarFormat, context)
  }
}

/**
 * A raw block (Trustless Gateway spec §"Block Responses"): only `/ipfs/<cid>`;
 * strong ETag `"<cid>.raw"` (Path Gateway spec §"Etag"), 304 on a matching
 * `If-None-Match` without touching the store.
 */
async function respondRaw (req: IncomingMessage, res: ServerResponse, path: ContentPath, context: TrustlessContext): Promise<void> {
  if (path.segments.length > 0) {
    throw new InvalidParameterError('A raw block is asked for by CID alone: /ipfs/{cid}?format=raw', 'path')
  }
  const etag = `"${path.cidText}.raw"`
  const cacheHeaders = { ETag: etag, 'Cache-Control': IMMUTABLE_CACHE_CONTROL, Vary: 'Accept' }
  if (matchesEtag(req.headers['if-none-match'], etag)) {
    res.writeHead(304, cacheHeaders).end()
    return
  }
  // the site's root is looked up only if the block is not in the relay's store
  const blocks = context.siteRoot == null ? context.blockstore : underRoot(context.blockstore, context.siteRoot)
  const store = new BoundedBlockstore(blocks, { timeoutMs: context.firstByteTimeoutMs, clientSignal: context.clientSignal })
  await checkOnlyIfCached(req, store, path.cid)
  const bytes = await store.getBlock(path.cid)
  res.writeHead(200, {
    ...cacheHeaders,
    'Content-Type': trustlessContentType({ format: 'raw' }),
    'Content-Length': String(bytes.byteLength),
    'Content-Disposition': `attachment; filename="${path.cidText}.bin"`,
    'X-Ipfs-Path': path.ipfsPath,
    'X-Ipfs-Roots': path.cid.toString()
  })
  res.end(req.method === 'HEAD' ? undefined : bytes)
}

/**
 * `Cache-Control: only-if-cached`: 412 unless the root block is in the
 * relay's own store (Trustless Gateway spec §"Cache-Control: only-if-cached").
 *
 * @throws {NotCachedError}
 */
export async function checkOnlyIfCached (req: IncomingMessage, store: BoundedBlockstore, cid: CID): Promise<void> {
  const cacheControl = req.headers['cache-control'] ?? ''
  if (/(^|,)\s*only-if-cached\s*(,|$)/i.test(cacheControl) && !(await store.has(cid))) {
    throw new NotCachedError(cid)
  }
}
