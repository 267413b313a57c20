/**
 * Errors of the relay's HTTP gateway. Messages are short and technical, data
 * is in fields; `respond.ts` maps each class's `name` to its HTTP status.
 */

import type { CID } from 'multiformats/cid'

/** The CID in a request path does not parse (400). */
export class InvalidCidError extends Error {
  static override name = 'InvalidCidError'
  override name = 'InvalidCidError'
  /** The text that was not a CID. */
  readonly cid: string

  constructor (cid: string, options?: { cause?: unknown }) {
    super(`Invalid CID ${JSON.stringify(cid)}`, options)
    this.cid = cid
  }
}

/** A query parameter, header value or path segment is malformed or not supported (400). */
export class InvalidParameterError extends Error {
  static override name = 'InvalidParameterError'
  override name = 'InvalidParameterError'
  /** The parameter at fault, e.g. `dag-scope`, `entity-bytes`, `path`. */
  readonly parameter: string

  constructor (message: string, parameter: string) {
    super(message)
    this.parameter = parameter
  }
}

/** None of the response formats the request accepts is one this endpoint produces (406). */
export class NotAcceptableError extends Error {
  static override name = 'NotAcceptableError'
  override name = 'NotAcceptableError'
  /** The `Accept` header (or `format` parameter) that matched nothing. */
  readonly accept: string

  constructor (accept: string) {
    super(`None of the accepted formats is served here: ${accept}`)
    this.accept = accept
  }
}

/** A block could not be had in time, from the relay's store or from its peers (504). */
export class BlockUnavailableError extends Error {
  static override name = 'BlockUnavailableError'
  override name = 'BlockUnavailableError'
  readonly cid: CID

  constructor (cid: CID, options?: { cause?: unknown }) {
    super(`Block ${cid.toString()} is not available`, options)
    this.cid = cid
  }
}

/** The relay already looks for as many blocks from its peers as it may (answered like {@link BlockUnavailableError}: 504). */
export class NetworkFetchesBusyError extends Error {
  static override name = 'NetworkFetchesBusyError'
  override name = 'NetworkFetchesBusyError'
  /** The bound that was reached (blocks fetched at once). */
  readonly maxInFlight: number

  constructor (maxInFlight: number) {
    super(`${maxInFlight} blocks are being fetched from peers already`)
    this.maxInFlight = maxInFlight
  }
}

/** The content path does not resolve in the DAG (404). */
export class PathNotFoundError extends Error {
  static override name = 'PathNotFoundError'
  override name = 'PathNotFoundError'
  /** The content path asked for, `/ipfs/<cid>/…`. */
  readonly path: string

  constructor (path: string, options?: { cause?: unknown }) {
    super(`No DAG node at ${path}`, options)
    this.path = path
  }
}

/** `Cache-Control: only-if-cached` was asked and the root block is not in the relay's store (412). */
export class NotCachedError extends Error {
  static override name = 'NotCachedError'
  override name = 'NotCachedError'
  readonly cid: CID

  constructor (cid: CID) {
    super(`Block ${cid.toString()} is not cached here`)
    this.cid = cid
  }
}

/** A lookup (name record, providers) did not finish within its bound (504). */
export class LookupTimeoutError extends Error {
  static override name = 'LookupTimeoutError'
  override name = 'LookupTimeoutError'
  /** The bound that passed (ms). */
  readonly timeoutMs: number

  constructor (message: string, timeoutMs: number) {
    super(message)
    this.timeoutMs = timeoutMs
  }
}

/** A name record the relay holds is larger than a record may be (502): it is not served. */
export class OversizedRecordError extends Error {
  static override name = 'OversizedRecordError'
  override name = 'OversizedRecordError'
  readonly bytes: number
  readonly maxBytes: number

  constructor (bytes: number, maxBytes: number) {
    super(`Name record of ${bytes} bytes exceeds ${maxBytes}`)
    this.bytes = bytes
    this.maxBytes = maxBytes
  }
}
