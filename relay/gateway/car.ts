/**
 * CAR answers of the trustless gateway (Trustless Gateway spec §"CAR
 * Responses", §"dag-scope", §"entity-bytes"), streamed with `@helia/car`.
 */

import { createHash } from 'node:crypto'
import { BlockExporter, CIDPath, SubgraphExporter, UnixFSExporter, car, depthFirstWalker } from '@helia/car'
import * as dagPb from '@ipld/dag-pb'
import { defaultLogger, logger } from '@libp2p/logger'
import { exporter, walkPath } from 'ipfs-unixfs-exporter'
import * as raw from 'multiformats/codecs/raw'
import { timeBound } from '../../src/signals/index.js'
import { BoundedBlockstore } from './blockstore.js'
import { underRoot } from './provider-sessions.js'
import { InvalidParameterError, PathNotFoundError } from './errors.js'
import { allChildren, fileChildren, readingAhead } from './read-ahead.js'
import { trustlessContentType } from './negotiate.js'
import { matchesEtag, writeChunks } from './respond.js'
import { IMMUTABLE_CACHE_CONTROL, checkOnlyIfCached } from './trustless.js'
import type { CarFormat } from './negotiate.js'
import type { ChildrenAhead } from './read-ahead.js'
import type { ContentPath, TrustlessContext } from './trustless.js'
import type { ExportStrategy } from '@helia/car'
import type { Filter } from '@libp2p/utils'
import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'
import type { IncomingMessage, ServerResponse } from 'node:http'

const log = logger('wia:relay:gateway')

/** `dag-scope` values (Trustless Gateway spec §"dag-scope"). */
export type DagScope = 'block' | 'entity' | 'all'

/** A parsed `entity-bytes=from:to`: byte offsets, inclusive; negative counts from the end; `'*'` is the last byte. */
export interface EntityBytes {
  from: number
  to: number | '*'
}

/**
 * Errors of `ipfs-unixfs-exporter`'s `walkPath` that mean "this path is not
 * in the DAG" (Path Gateway spec §"404 Not Found"). A block that could not be
 * had is a `BlockUnavailableError` instead (504).
 */
const PATH_ERRORS = new Set(['NotFoundError', 'NoResolverError', 'NotUnixFSError', 'BadPathError'])

/**
 * `?dag-scope=` (default `all`).
 *
 * @throws {InvalidParameterError} for another value (400)
 */
export function parseDagScope (value: string | null): DagScope {
  if (value == null) {
    return 'all'
  }
  if (value === 'block' || value === 'entity' || value === 'all') {
    return value
  }
  throw new InvalidParameterError(`dag-scope=${value} is not block, entity or all`, 'dag-scope')
}

/**
 * `?entity-bytes=from:to` (Trustless Gateway spec §"entity-bytes"), or
 * `undefined` when absent.
 *
 * @throws {InvalidParameterError} when malformed, or both ends are non-negative and `to < from` (400)
 */
export function parseEntityBytes (value: string | null): EntityBytes | undefined {
  if (value == null) {
    return undefined
  }
  const match = /^(-?\d{1,15}):(-?\d{1,15}|\*)$/.exec(value)
  if (match == null) {
    throw new InvalidParameterError(`entity-bytes=${value} is not from:to`, 'entity-bytes')
  }
  const from = Number(match[1])
  const to = match[2] === '*' ? '*' : Number(match[2])
  if (to !== '*' && from >= 0 && to >= 0 && to < from) {
    throw new InvalidParameterError(`entity-bytes=${value} ends before it starts`, 'entity-bytes')
  }
  return { from, to }
}

/**
 * The blocks of a file of `size` bytes that an `entity-bytes` range needs,
 * as `UnixFSExporter`'s offset and length, or `'empty'` when the range holds
 * no byte (answered as `dag-scope=block`).
 *
 * @throws {InvalidParameterError} when the range lies wholly outside the file (400, Trustless Gateway spec §"entity-bytes")
 */
export function entityRange (range: EntityBytes, size: number): { offset: number, length: number } | 'empty' {
  if (size === 0) {
    return 'empty'
  }
  const from = range.from < 0 ? Math.max(size + range.from, 0) : range.from
  const to = range.to === '*' ? size - 1 : (range.to < 0 ? size + range.to : range.to)
  if (from >= size || to < 0) {
    throw new InvalidParameterError(`entity-bytes lies outside the entity's ${size} bytes`, 'entity-bytes')
  }
  const last = Math.min(to, size - 1)
  return last < from ? 'empty' : { offset: from, length: last - from + 1 }
}

/**
 * The CAR's ETag: weak, from the CID, the path and every parameter that
 * changes the blocks or their order (Trustless Gateway spec §"Etag",
 * §"dag-scope", §"entity-bytes"; the form `W/"<cid>.car.<hash>"` is boxo's).
 */
export function carEtag (path: ContentPath, scope: DagScope, entityBytes: string | null, format: CarFormat): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([path.segments, scope, entityBytes, format.version, format.order, format.dups]))
    .digest('base64url')
    .slice(0, 16)
  return `W/"${path.cidText}.car.${hash}"`
}

/**
 * Answer with a CAR: resolve the content path and fetch its last block first
 * (so 404 and 504 can still be said), then send 200 and stream the blocks.
 * A block missing after that cuts the stream: the client sees a truncated
 * CAR, never a wrong one (Trustless Gateway spec §"Streaming and Missing
 * Child Blocks"). The stream stops when the client goes away.
 */
export async function respondCar (req: IncomingMessage, res: ServerResponse, url: URL, path: ContentPath, format: CarFormat, context: TrustlessContext): Promise<void> {
  const entityBytesText = url.searchParams.get('entity-bytes')
  const entityBytes = parseEntityBytes(entityBytesText)
  // entity-bytes implies dag-scope=entity
  const scope = entityBytes == null ? parseDagScope(url.searchParams.get('dag-scope')) : 'entity'
  const etag = carEtag(path, scope, entityBytesText, format)
  const cacheHeaders = { ETag: etag, 'Cache-Control': IMMUTABLE_CACHE_CONTROL, Vary: 'Accept' }
  if (matchesEtag(req.headers['if-none-match'], etag)) {
    res.writeHead(304, cacheHeaders).end()
    return
  }

  const { clientSignal } = context
  if (scope !== 'all') {
    context.warmSite?.(path.cid)
  }
  // blocks missing at the relay are asked of the providers of the CAR's root
  const blocks = underRoot(context.blockstore, path.cid)
  const first = new BoundedBlockstore(blocks, { timeoutMs: context.firstByteTimeoutMs, clientSignal })
  await checkOnlyIfCached(req, first, path.cid)
  // the bound on the first byte ends with it (timeBound, not a 20 s timer left for each CAR asked)
  const deadline = timeBound(context.firstByteTimeoutMs, clientSignal)
  let cids: CID[]
  let walk: CarWalk
  try {
    cids = await resolvePath(path, first, deadline.signal)
    const target = cids[cids.length - 1] ?? path.cid
    await first.getBlock(target, { signal: deadline.signal })
    walk = await chooseWalk(target, scope, entityBytes, first, deadline.signal)
  } finally {
    deadline.clear()
  }

  res.writeHead(200, {
    ...cacheHeaders,
    'Content-Type': trustlessContentType(format),
    'Content-Disposition': `attachment; filename="${path.cidText}.car"`,
    'X-Ipfs-Path': path.ipfsPath,
    'X-Ipfs-Roots': cids.map(cid => cid.toString()).join(',')
  })
  if (req.method === 'HEAD') {
    res.end()
    return
  }

  const stop = new AbortController()
  const signal = AbortSignal.any([clientSignal, stop.signal])
  const blockstore = new BoundedBlockstore(blocks, {
    timeoutMs: context.blockStallTimeoutMs,
    clientSignal,
    onFailure: err => { stop.abort(err) }
  })
  const reader = walk.ahead == null ? blockstore : readingAhead(blockstore, blocks, { signal, timeoutMs: context.blockStallTimeoutMs, children: walk.ahead })
  // @helia/car reads only `get`; BoundedBlockstore yields the bytes as Blockstore.get does
  const exporterComponents = { blockstore: reader as unknown as Blockstore, getCodec: context.getCodec, logger: defaultLogger() }
  try {
    const chunks = car(exporterComponents).export(path.cid, {
      signal,
      exporter: walk.strategy,
      ...(path.segments.length > 0 ? { traversal: new CIDPath(cids) } : {}),
      ...(format.dups === 'n' ? { blockFilter: exactFilter() } : {})
    })
    await writeChunks(res, chunks, signal)
  } catch (err) {
    if (!clientSignal.aborted) {
      log.error('CAR of %s cut short: %e', path.ipfsPath, err)
    }
    res.destroy(err as Error)
  } finally {
    stop.abort()
  }
}

/**
 * The CIDs from the request's CID to the end of its path (HAMT shards
 * included), fetching each block on the way within the deadline.
 *
 * @throws {PathNotFoundError} when the path is not in the DAG (404)
 * @throws {BlockUnavailableError} when a block on the way is not had in time (504)
 */
async function resolvePath (path: ContentPath, store: BoundedBlockstore, signal: AbortSignal): Promise<CID[]> {
  if (path.segments.length === 0) {
    return [path.cid]
  }
  let cids = [path.cid]
  try {
    for await (const entry of walkPath(`${path.cid.toString()}/${path.segments.join('/')}`, store, { signal })) {
      cids = entry.roots
    }
  } catch (err) {
    if (PATH_ERRORS.has((err as Error).name)) {
      throw new PathNotFoundError(path.ipfsPath, { cause: err })
    }
    throw err
  }
  return cids
}

/** How a CAR is walked: `@helia/car`'s export strategy, and which blocks are read ahead of the walk (none: one at a time). */
interface CarWalk {
  strategy: ExportStrategy
  ahead?: ChildrenAhead
}

/**
 * The `@helia/car` export strategy for a scope (Trustless Gateway spec
 * §"dag-scope"): `block` the target block; `entity` a UnixFS file's blocks
 * (those of the `entity-bytes` range) or a directory's own blocks (HAMT shards
 * included, no children), and for non-UnixFS data the block alone; `all` the
 * whole DAG below the target, depth first. `all` reads every child ahead,
 * `entity` a file's children in the range.
 */
async function chooseWalk (target: CID, scope: DagScope, entityBytes: EntityBytes | undefined, store: BoundedBlockstore, signal: AbortSignal): Promise<CarWalk> {
  if (scope === 'all') {
    return { strategy: new SubgraphExporter({ walker: depthFirstWalker() }), ahead: allChildren }
  }
  if (scope === 'block' || (target.code !== dagPb.code && target.code !== raw.code)) {
    return { strategy: new BlockExporter() }
  }
  if (entityBytes == null) {
    return { strategy: new UnixFSExporter({ listingOnly: true }), ahead: fileChildren() }
  }
  const entry = await exporter(target, store, { signal })
  if (entry.type !== 'file' && entry.type !== 'raw') {
    // not a byte array: entity-bytes is ignored (the request is dag-scope=entity)
    return { strategy: new UnixFSExporter({ listingOnly: true }), ahead: fileChildren() }
  }
  const range = entityRange(entityBytes, Number(entry.size))
  return range === 'empty' ? { strategy: new BlockExporter() } : { strategy: new UnixFSExporter({ ...range, listingOnly: true }), ahead: fileChildren(range) }
}

/** An exact `dups=n` filter (a probabilistic one could drop a needed block). */
function exactFilter (): Filter {
  const seen = new Set<string>()
  const key = (item: Uint8Array | string): string => typeof item === 'string' ? item : Buffer.from(item.buffer, item.byteOffset, item.byteLength).toString('base64')
  return {
    add: item => { seen.add(key(item)) },
    has: item => seen.has(key(item))
  }
}
