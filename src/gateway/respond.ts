import { contentTypeFor } from '../content/index.js'
import { errorPage } from './error-page.js'
import { errorName } from './errors.js'
import { toReadableStream } from './stream.js'
import type { ErrorPageInit } from './error-page.js'

/** Errors of name records (thrown by `src/naming`) that mean the record is unusable. → 502 */
const INVALID_RECORD_ERRORS = new Set([
  'MalformedRecordError',
  'InvalidSignatureError',
  'NameMismatchError',
  'RecordExpiredError',
  'UnsupportedRecordVersionError',
  'RecordTooLargeError',
  'InvalidProofOfWorkError',
  'InsufficientProofOfWorkError',
  'InvalidNameError'
])

/** What a 504 page says about where the time ran out (see `ContentUnavailableError.phase`). */
const PHASE_TEXT: Record<string, string> = {
  connecting: ': no relay answered',
  resolving: ': looking up its name took too long',
  fetching: ': its host or a peer holding a copy did not send the files in time'
}

/** Errors of an aborted or timed-out wait (`AbortSignal.abort()`, `AbortSignal.timeout()`). → 504 */
const TIMEOUT_ERRORS = new Set(['AbortError', 'TimeoutError'])

/**
 * Errors for a block nobody sent: Helia's (a session found no provider it
 * could reach, `InsufficientProvidersError`, which the blockstore reports as
 * `LoadBlockFailedError`) and the site worker's (no relay gateway sent the
 * block's right bytes, `GatewaysUnavailableError`). → 504, like a
 * `ContentUnavailableError` while fetching.
 */
export const NO_PROVIDER_ERRORS: ReadonlySet<string> = new Set(['InsufficientProvidersError', 'LoadBlockFailedError', 'GatewaysUnavailableError'])

const OFFLINE_HINT = "The site's host seems to be offline and no peer holds a copy. Try again later."

/** What request an error happened for. */
export interface ErrorContext {
  /** The site's name (`'alice.wia.home'`). */
  name: string
  /** The URL path requested (`'/docs/'`). */
  path?: string
}

interface ErrorDescription extends ErrorPageInit {
  headers?: Record<string, string>
}

/**
 * Turn an error into the HTTP response a visitor sees: the one place where
 * errors become responses, shared by the service worker and the relay.
 * Errors are matched by `name`:
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
 * | `ContentUnavailableError`, {@link NO_PROVIDER_ERRORS}, `AbortError`, `TimeoutError` | 504 "<name> could not be fetched" |
 * | anything else | 500 |
 *
 * @returns an HTML page with `Content-Type: text/html; charset=utf-8` and
 * `Cache-Control: no-store`
 */
export function errorResponse (err: unknown, context: ErrorContext): Response {
  const { headers, ...page } = describeError(err, context)
  return new Response(errorPage({ ...page, name: context.name }), {
    status: page.status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers
    }
  })
}

function describeError (err: unknown, { name, path }: ErrorContext): ErrorDescription {
  const errName = errorName(err) ?? ''
  switch (errName) {
    case 'NameNotFoundError':
      return {
        status: 404,
        title: 'Site not found',
        message: `No site is registered under ${name}.`,
        hint: 'Check the address for typos. If this is your name, open wia-home and publish a site under it.'
      }
    case 'OwnerKeyChangedError':
      return {
        status: 409,
        title: 'Warning: this site changed owner',
        message: `The owner of ${name} has changed since your last visit. The page is not shown, because it may come from an impostor.`,
        hint: 'If you know the owner moved the site to a new key, clear this site\'s data in your browser settings and open it again. Otherwise, do not trust what this address shows.'
      }
    case 'SiteUnpublishedError':
      return {
        status: 410,
        title: 'This site was unpublished',
        message: `The owner of ${name} took this site down.`,
        hint: 'If you expected to find it here, ask the owner. The address stays theirs; they may publish it again.'
      }
    case 'ContentUnavailableError':
      return { status: 504, title: 'Site unavailable', message: `${name} could not be fetched${PHASE_TEXT[(err as { phase?: string }).phase ?? ''] ?? ''}.`, hint: OFFLINE_HINT }
    case 'PathNotFoundError':
      return {
        status: 404,
        title: 'Not found',
        message: path == null ? `There is no such page on ${name}.` : `There is no page at ${path} on ${name}.`,
        hint: 'Check the address, or go to the home page of the site.'
      }
    case 'InvalidPathError':
      return {
        status: 400,
        title: 'Bad request',
        message: path == null ? 'The address is not a valid path.' : `${path} is not a valid path.`
      }
    case 'MethodNotAllowedError':
      return {
        status: 405,
        title: 'Method not allowed',
        message: 'Sites can only be read, with GET or HEAD requests.',
        headers: { Allow: 'GET, HEAD' }
      }
  }
  if (INVALID_RECORD_ERRORS.has(errName)) {
    return {
      status: 502,
      title: 'Invalid site record',
      message: `The record for ${name} is invalid.`,
      hint: 'It failed verification, so it was not used. If this is your site, publish it again.'
    }
  }
  if (NO_PROVIDER_ERRORS.has(errName)) {
    return { status: 504, title: 'Site unavailable', message: `${name} could not be fetched${PHASE_TEXT.fetching!}.`, hint: OFFLINE_HINT }
  }
  if (TIMEOUT_ERRORS.has(errName)) {
    return { status: 504, title: 'Site unavailable', message: `${name} could not be fetched in time.`, hint: OFFLINE_HINT }
  }
  return {
    status: 500,
    title: 'Something went wrong',
    message: `An unexpected error occurred while serving ${name}.`,
    hint: 'Try again later.'
  }
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
 * The response for a site file: `Content-Type` from its extension,
 * `Content-Length` when the size is known, `X-Content-Type-Options: nosniff`,
 * and `ETag` when the CID is given. A HEAD response has no body (a given
 * stream is cancelled; an iterable is never started).
 */
export function fileResponse (init: FileResponseInit): Response {
  const headers = new Headers({
    'Content-Type': contentTypeFor(init.path),
    'X-Content-Type-Options': 'nosniff'
  })
  if (init.size != null) {
    headers.set('Content-Length', init.size.toString())
  }
  if (init.cid != null) {
    headers.set('ETag', `"${init.cid}"`)
  }
  headers.set('Accept-Ranges', 'bytes')
  if (init.range != null) {
    headers.set('Content-Range', `bytes ${init.range.start}-${init.range.end}/${init.range.size}`)
    headers.set('Content-Length', String(init.range.end - init.range.start + 1))
  }
  if (init.cacheControl != null) {
    headers.set('Cache-Control', init.cacheControl)
  }
  let body: ReadableStream<Uint8Array> | null = null
  if (init.method?.toUpperCase() === 'HEAD') {
    if ('getReader' in init.body) {
      init.body.cancel().catch(() => {})
    }
  } else {
    body = 'getReader' in init.body ? init.body : toReadableStream(init.body)
  }
  return new Response(body, { status: init.status ?? (init.range != null ? 206 : 200), headers })
}

/** 304: the client's copy (`If-None-Match`) is current (RFC 9110 §15.4.5). */
export function notModifiedResponse (etag: string, cacheControl?: string): Response {
  const headers = new Headers({ ETag: etag })
  if (cacheControl != null) {
    headers.set('Cache-Control', cacheControl)
  }
  return new Response(null, { status: 304, headers })
}

/** 416: the requested range starts past the end of the file (RFC 9110 §15.5.17). */
export function rangeNotSatisfiableResponse (size: number | bigint): Response {
  return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes' } })
}

/**
 * A permanent redirect (301), e.g. from a directory path to the same path
 * with a trailing `/`.
 *
 * @param location - the target, usually an absolute path (`'/docs/'`)
 */
export function redirectResponse (location: string): Response {
  return new Response(null, { status: 301, headers: { Location: location } })
}
