/**
 * Messages of the wia-home cache protocol (`CACHE_PROTOCOL`): a peer asks a
 * caching peer (a relay) to keep a site, or tells it that it visited one. One
 * request and one answer per stream, each a length-prefixed (unsigned varint)
 * DAG-CBOR map of at most `MAX_CACHE_MESSAGE_BYTES`.
 *
 * Requests name a site, never a root: the caching peer looks the name's
 * current root up itself (its registry or the DHT), so it only ever caches
 * what a registered name's owner signed, and never an old version.
 *
 * @module
 */

import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { MAX_CACHE_MESSAGE_BYTES } from './constants.js'
import { MalformedCacheMessageError } from './errors.js'

/**
 * - `keep`: fetch the whole site now and keep it (sent by the owner after publishing).
 * - `visit`: one visitor loaded the site (counts towards demand; see `docs/caching.md`).
 */
export type CacheOp = 'keep' | 'visit'

export interface CacheRequest {
  op: CacheOp
  /** Full WIA name, e.g. `alice.wia.home`. */
  name: string
}

/**
 * The answer to a request.
 * - `kept`: the peer holds every block of `root` (`bytes` of blocks) and announces itself as its provider.
 * - `counted`: the visit was counted; the peer does not (yet) keep the site.
 * - `error`: the request failed; `error` is the error class name, `message` says why.
 */
export type CacheAnswer =
  | { status: 'kept', root: CID, bytes: number }
  | { status: 'counted' }
  | { status: 'error', error: string, message: string }

export function encodeCacheRequest (request: CacheRequest): Uint8Array {
  return dagCbor.encode({ op: request.op, name: request.name })
}

/** @throws {MalformedCacheMessageError} */
export function decodeCacheRequest (bytes: Uint8Array): CacheRequest {
  const value = decode(bytes)
  if ((value.op !== 'keep' && value.op !== 'visit') || typeof value.name !== 'string' || Object.keys(value).length !== 2) {
    throw new MalformedCacheMessageError('A cache request needs exactly `op` ("keep" or "visit") and `name`')
  }
  return { op: value.op, name: value.name }
}

/** The `error` answer for a failure: its error class name and message. */
export function errorAnswer (err: unknown): CacheAnswer {
  const error = err instanceof Error ? err : new Error(String(err))
  return { status: 'error', error: error.name, message: error.message }
}

export function encodeCacheAnswer (answer: CacheAnswer): Uint8Array {
  return dagCbor.encode(answer)
}

/** @throws {MalformedCacheMessageError} */
export function decodeCacheAnswer (bytes: Uint8Array): CacheAnswer {
  const value = decode(bytes)
  switch (value.status) {
    case 'kept': {
      const root = CID.asCID(value.root)
      if (root == null || typeof value.bytes !== 'number' || !Number.isSafeInteger(value.bytes) || value.bytes < 0) {
        throw new MalformedCacheMessageError('A "kept" answer needs a root CID and a byte count')
      }
      return { status: 'kept', root, bytes: value.bytes }
    }
    case 'counted':
      return { status: 'counted' }
    case 'error':
      if (typeof value.error !== 'string' || typeof value.message !== 'string') {
        throw new MalformedCacheMessageError('An "error" answer needs `error` and `message` strings')
      }
      return { status: 'error', error: value.error, message: value.message }
    default:
      throw new MalformedCacheMessageError(`Unknown cache answer status ${String(value.status)}`)
  }
}

function decode (bytes: Uint8Array): Record<string, unknown> {
  if (bytes.byteLength > MAX_CACHE_MESSAGE_BYTES) {
    throw new MalformedCacheMessageError(`A cache message is at most ${MAX_CACHE_MESSAGE_BYTES} bytes`)
  }
  let value: unknown
  try {
    value = dagCbor.decode(bytes)
  } catch (err) {
    throw new MalformedCacheMessageError(undefined, { cause: err })
  }
  if (value == null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new MalformedCacheMessageError('A cache message is a DAG-CBOR map')
  }
  return value as Record<string, unknown>
}
