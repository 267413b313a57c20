/**
 * Content negotiation of the gateway's endpoints: which response format a
 * request asks for, from its `format` / `car-*` query parameters and its
 * `Accept` header (RFC 9110 §12.5.1, Trustless Gateway spec §"Accept",
 * §"format", §"CAR format signaling in Request", IPIP-412).
 */

import { CAR_MEDIA_TYPE, JSON_MEDIA_TYPE, NDJSON_MEDIA_TYPE, RAW_MEDIA_TYPE } from './constants.js'
import { InvalidParameterError, NotAcceptableError } from './errors.js'

/** One media range of an `Accept` header. */
export interface MediaRange {
  /** `type/subtype`, lowercased, e.g. `application/vnd.ipld.car` or `*\/*`. */
  type: string
  /** Its parameters other than `q`, names lowercased, e.g. `{ version: '1', order: 'dfs' }`. */
  params: Record<string, string>
  /** Its weight, 0–1 (`q`, default 1). */
  q: number
}

/**
 * The media ranges of an `Accept` header, highest weight first (ranges of
 * equal weight keep their order). Malformed ranges are skipped.
 */
export function parseAccept (header: string | undefined): MediaRange[] {
  if (header == null) {
    return []
  }
  const ranges: MediaRange[] = []
  for (const part of header.split(',')) {
    const [type = '', ...rawParams] = part.split(';').map(s => s.trim())
    if (!/^[\w.+*-]+\/[\w.+*-]+$/.test(type)) {
      continue
    }
    const params: Record<string, string> = {}
    let q = 1
    for (const param of rawParams) {
      const eq = param.indexOf('=')
      if (eq < 1) {
        continue
      }
      const name = param.slice(0, eq).trim().toLowerCase()
      const value = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')
      if (name === 'q') {
        const weight = Number(value)
        q = Number.isFinite(weight) ? Math.min(Math.max(weight, 0), 1) : 0
      } else {
        params[name] = value
      }
    }
    ranges.push({ type: type.toLowerCase(), params, q })
  }
  // Array.prototype.sort is stable: equal weights keep the header's order
  return ranges.sort((a, b) => b.q - a.q)
}

/** A CAR response's variant (IPIP-412): what the `Content-Type` will say. */
export interface CarFormat {
  format: 'car'
  /** CAR version; only 1 is produced. */
  version: 1
  /** Block order; always depth-first (`unk` requests are answered in `dfs`). */
  order: 'dfs'
  /** Whether a block that occurs twice in the walk is sent twice. @default 'n' */
  dups: 'y' | 'n'
}

/** A raw block response. */
export interface RawFormat {
  format: 'raw'
}

/** The response format of a trustless-gateway request. */
export type TrustlessFormat = RawFormat | CarFormat

/** Why a request is not a trustless one: it named no format (`missing`) or only others (`other`). */
export type NotTrustless = 'missing' | 'other'

/**
 * The trustless response format a request asks for, or why it asks for none.
 *
 * - `?format=raw|car` wins over `Accept` (Trustless Gateway spec §"format");
 *   `?car-version`, `?car-order`, `?car-dups` win over the CAR media type's
 *   parameters (§"car-version", §"car-order", §"car-dups").
 * - Otherwise the first `Accept` range (by weight) that is
 *   `application/vnd.ipld.raw` or `application/vnd.ipld.car` with parameters
 *   this gateway produces (`version=1`, `order=dfs|unk`, `dups=y|n`).
 *   Wildcards (`*\/*`) never select a trustless format.
 *
 * @returns the format, `'missing'` (no `format`, no `Accept`) or `'other'` (only other formats)
 * @throws {InvalidParameterError} for an unsupported `car-version`, `car-order` or `car-dups` value (400)
 */
export function negotiateTrustless (query: URLSearchParams, accept: string | undefined): TrustlessFormat | NotTrustless {
  const ranges = parseAccept(accept)
  const format = query.get('format')
  if (format === 'raw') {
    return { format: 'raw' }
  }
  if (format === 'car') {
    const fromAccept = ranges.find(range => range.q > 0 && range.type === CAR_MEDIA_TYPE)?.params ?? {}
    const fromQuery = carQueryParams(query)
    // Accept parameters this gateway does not produce give way to `format=car`'s defaults
    return carFormat({ ...fromAccept, ...fromQuery }) ?? carFormat(fromQuery) ?? 'other'
  }
  if (format != null) {
    return 'other'
  }
  const queryParams = carQueryParams(query)
  for (const range of ranges) {
    if (range.q === 0) {
      continue
    }
    if (range.type === RAW_MEDIA_TYPE) {
      return { format: 'raw' }
    }
    if (range.type === CAR_MEDIA_TYPE) {
      const car = carFormat({ ...range.params, ...queryParams })
      if (car != null) {
        return car
      }
    }
  }
  return accept == null || accept.trim() === '' ? 'missing' : 'other'
}

/** The `car-*` query parameters as CAR media type parameters, checked. */
function carQueryParams (query: URLSearchParams): Record<string, string> {
  const params: Record<string, string> = {}
  const checks: Array<[string, string, readonly string[]]> = [
    ['car-version', 'version', ['1']],
    ['car-order', 'order', ['dfs', 'unk']],
    ['car-dups', 'dups', ['y', 'n']]
  ]
  for (const [name, param, allowed] of checks) {
    const value = query.get(name)
    if (value == null) {
      continue
    }
    if (!allowed.includes(value)) {
      throw new InvalidParameterError(`${name}=${value} is not supported (supported: ${allowed.join(', ')})`, name)
    }
    params[param] = value
  }
  return params
}

/** The CAR variant these parameters ask for, or `undefined` when this gateway does not produce it. */
function carFormat (params: Record<string, string>): CarFormat | undefined {
  const { version = '1', order = 'dfs', dups = 'n' } = params
  if (version !== '1' || (order !== 'dfs' && order !== 'unk') || (dups !== 'y' && dups !== 'n')) {
    return undefined
  }
  return { format: 'car', version: 1, order: 'dfs', dups }
}

/** The `Content-Type` of a trustless response (Trustless Gateway spec §"CAR format signaling in Response"). */
export function trustlessContentType (format: TrustlessFormat): string {
  return format.format === 'raw'
    ? RAW_MEDIA_TYPE
    : `${CAR_MEDIA_TYPE}; version=${format.version}; order=${format.order}; dups=${format.dups}`
}

/**
 * The format of a Delegated Routing V1 answer: NDJSON when the request
 * accepts `application/x-ndjson` ranked at least as high as JSON, else JSON
 * (spec §"Streaming": no stream unless explicitly asked for).
 */
export function negotiateRouting (accept: string | undefined): typeof JSON_MEDIA_TYPE | typeof NDJSON_MEDIA_TYPE {
  for (const range of parseAccept(accept)) {
    if (range.q === 0) {
      continue
    }
    if (range.type === NDJSON_MEDIA_TYPE) {
      return NDJSON_MEDIA_TYPE
    }
    if (range.type === JSON_MEDIA_TYPE) {
      return JSON_MEDIA_TYPE
    }
  }
  return JSON_MEDIA_TYPE
}

/** Throws {@link NotAcceptableError} for a request that asked for no trustless format; returns the format otherwise. */
export function requireTrustless (format: TrustlessFormat | NotTrustless, accept: string | undefined, query: URLSearchParams): TrustlessFormat {
  if (format === 'missing') {
    throw new InvalidParameterError('Ask for application/vnd.ipld.raw or application/vnd.ipld.car (Accept header or ?format=raw|car)', 'accept')
  }
  if (format === 'other') {
    throw new NotAcceptableError(query.get('format') ?? accept ?? '')
  }
  return format
}
