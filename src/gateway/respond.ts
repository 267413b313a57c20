import { contentTypeFor } from '../content/index.js'
import { toResponse } from './answer.js'
import { errorPage } from './error-page.js'
import { errorName } from './errors.js'
import type { GatewayAnswer } from './answer.js'
import { PAGE_ERROR_WORDS, unexpected } from './words.js'
import type { ErrorContext, PageErrorName, PageWords } from './words.js'

/**
 * Turn an error into the HTTP response a visitor sees: the one place where
 * errors become responses, shared by the service worker and the relay.
 * Errors are matched by `name` in {@link PAGE_ERROR_WORDS}:
 *
 * | error | status |
 * |---|---|
 * | `NameNotFoundError` | 404 "No site is registered under <name>" |
 * | `PathNotFoundError` | 404 "Not found", naming the path |
 * | `InvalidPathError` | 400 |
 * | `MethodNotAllowedError` | 405, `Allow: GET, HEAD` |
 * | a name record error (`MalformedRecordError`, `InvalidSignatureError`, …) | 502 "The record for <name> is invalid" |
 * | `OwnerKeyChangedError` | 409 warning "The owner of <name> has changed", no content |
 * | `SiteUnpublishedError` | 410 "This site was unpublished" (`docs/naming.md` §6a) |
 * | `ContentUnavailableError`, no provider (`LoadBlockFailedError`, `GatewaysUnavailableError`, …), `AbortError`, `TimeoutError` | 504 "<name> could not be fetched" |
 * | anything else | 500 |
 *
 * @returns an HTML page with `Content-Type: text/html; charset=utf-8` and
 * `Cache-Control: no-store`
 */
export function errorAnswer (err: unknown, context: ErrorContext): GatewayAnswer {
  const { status, title, what, todo, headers } = pageWords(err, context)
  return {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers
    },
    body: errorPage({ status, title, message: what, hint: todo, name: context.name })
  }
}

/** {@link errorAnswer} as a web `Response` (the site worker's). */
export function errorResponse (err: unknown, context: ErrorContext): Response {
  return toResponse(errorAnswer(err, context))
}

function isKnown (name: string | undefined): name is PageErrorName {
  return name != null && Object.hasOwn(PAGE_ERROR_WORDS, name)
}

/** The words of {@link PAGE_ERROR_WORDS} for `err`, or the 500 page's. */
export function pageWords (err: unknown, context: ErrorContext): PageWords {
  const name = errorName(err)
  if (isKnown(name)) {
    const entry = PAGE_ERROR_WORDS[name] as (err: unknown, context: ErrorContext) => PageWords
    return entry(err, context)
  }
  return unexpected(err, context)
}

/** A file to send. */
export interface FileResponseInit {
  /** The file's path in the site, for its content type (`'css/site.css'`). */
  path: string
  /** The file's bytes; an iterable is read lazily, one chunk per pull. */
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>
  /** Size in bytes; sent as `Content-Length` when given. */
  size?: number | bigint
  /** @default 200 */
  status?: number
  /** The file's CID, sent as the `ETag` (`"bafy…"`). */
  cid?: string
  /** The request method; `HEAD` gets the headers and no body. @default 'GET' */
  method?: string
  /** The part of the file `body` holds, for a 206 answer (`Content-Range`). */
  range?: { start: number, end: number, size: number | bigint }
  /** `Cache-Control` to send. @default none */
  cacheControl?: string
}

/**
 * The answer for a site file: `Content-Type` from its extension,
 * `Content-Length` when the size is known, `X-Content-Type-Options: nosniff`,
 * and `ETag` when the CID is given. A HEAD answer has no body (a given
 * stream is cancelled; an iterable is never started).
 */
export function fileAnswer (init: FileResponseInit): GatewayAnswer {
  const headers: Record<string, string> = {
    'Content-Type': contentTypeFor(init.path),
    'X-Content-Type-Options': 'nosniff'
  }
  if (init.size != null) {
    headers['Content-Length'] = init.size.toString()
  }
  if (init.cid != null) {
    headers.ETag = `"${init.cid}"`
  }
  headers['Accept-Ranges'] = 'bytes'
  if (init.range != null) {
    headers['Content-Range'] = `bytes ${init.range.start}-${init.range.end}/${init.range.size}`
    headers['Content-Length'] = String(init.range.end - init.range.start + 1)
  }
  if (init.cacheControl != null) {
    headers['Cache-Control'] = init.cacheControl
  }
  let body: GatewayAnswer['body'] = null
  if (init.method?.toUpperCase() === 'HEAD') {
    if ('getReader' in init.body) {
      init.body.cancel().catch(() => {})
    }
  } else {
    body = init.body
  }
  return { status: init.status ?? (init.range != null ? 206 : 200), headers, body }
}

/** 304: the client's copy (`If-None-Match`) is current (RFC 9110 §15.4.5). */
export function notModifiedAnswer (etag: string, cacheControl?: string): GatewayAnswer {
  return { status: 304, headers: cacheControl == null ? { ETag: etag } : { ETag: etag, 'Cache-Control': cacheControl }, body: null }
}

/** 416: the requested range starts past the end of the file (RFC 9110 §15.5.17). */
export function rangeNotSatisfiableAnswer (size: number | bigint): GatewayAnswer {
  return { status: 416, headers: { 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes' }, body: null }
}

/**
 * A permanent redirect (301), e.g. from a directory path to the same path
 * with a trailing `/`.
 *
 * @param location - the target, usually an absolute path (`'/docs/'`)
 */
export function redirectAnswer (location: string): GatewayAnswer {
  return { status: 301, headers: { Location: location }, body: null }
}
