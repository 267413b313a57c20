/**
 * Response helpers shared by the gateway's handlers: the headers every answer
 * carries (CORS, `nosniff`), the preflight answer, and errors → status codes.
 */

import { once } from 'node:events'
import { Readable } from 'node:stream'
import { CORS_MAX_AGE_S, RETRY_AFTER_S } from './constants.js'
import type { GatewayAnswer } from '../../src/gateway/index.js'
import type { ServerResponse } from 'node:http'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

/** Methods the gateway's endpoints answer. */
export const ALLOWED_METHODS = 'GET, HEAD, OPTIONS'

/**
 * Response headers a cross-origin client may read: the Trustless Gateway's
 * (boxo's list) and the routing answer's.
 */
const EXPOSED_HEADERS = [
  'Content-Length', 'Content-Range', 'Content-Type', 'Content-Disposition', 'ETag', 'Cache-Control',
  'Last-Modified', 'Retry-After', 'X-Ipfs-Path', 'X-Ipfs-Roots', 'X-Content-Type-Options', 'Vary'
].join(', ')

/** Request headers a cross-origin client may send (preflight). */
const ALLOWED_HEADERS = 'Accept, Cache-Control, Content-Type, If-None-Match, Range, User-Agent, X-Requested-With'

/**
 * HTTP status of each gateway error, keyed by the error class's `name`
 * (Path Gateway spec §"Response Status Codes"). Anything else is 500.
 */
export const STATUS_BY_ERROR: Readonly<Record<string, number>> = {
  InvalidCidError: 400,
  InvalidParameterError: 400,
  InvalidNameError: 400,
  NotAcceptableError: 406,
  PathNotFoundError: 404,
  NameNotFoundError: 404,
  NotCachedError: 412,
  OversizedRecordError: 502,
  BlockUnavailableError: 504,
  LookupTimeoutError: 504
}

/**
 * Set the headers every gateway answer carries, before anything else:
 * `Access-Control-Allow-Origin: *` (the data is public and self-verifying;
 * other relays' origins fetch it), the headers cross-origin code may read, and
 * `X-Content-Type-Options: nosniff`.
 */
export function setCommonHeaders (res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*')
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS)
  res.setHeader('X-Content-Type-Options', 'nosniff')
}

/** 204 answer to a CORS preflight (`OPTIONS`). */
export function sendPreflight (res: ServerResponse): void {
  res.writeHead(204, {
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': String(CORS_MAX_AGE_S),
    'Content-Length': '0'
  })
  res.end()
}

/** 405 for a method other than GET, HEAD and OPTIONS. */
export function sendMethodNotAllowed (res: ServerResponse): void {
  sendText(res, 405, 'Method not allowed\n', { Allow: ALLOWED_METHODS })
}

/** The status an error maps to: {@link STATUS_BY_ERROR}, else 500. */
export function statusOf (err: unknown): number {
  return STATUS_BY_ERROR[(err as Error | undefined)?.name ?? ''] ?? 500
}

/**
 * Answer with an error's status and a one-line plain-text body
 * (`<name>: <message>`); a 504 also gets `Retry-After` (Path Gateway spec
 * §"Retry-After"). Errors are not cached, except as `cacheControl` says.
 */
export function sendError (res: ServerResponse, err: unknown, cacheControl = 'no-store'): void {
  const status = statusOf(err)
  const error = err instanceof Error ? err : new Error(String(err))
  const message = status === 500 ? 'Internal server error' : `${error.name}: ${error.message}`
  sendText(res, status, `${message}\n`, {
    'Cache-Control': cacheControl,
    ...(status === 504 ? { 'Retry-After': String(RETRY_AFTER_S) } : {})
  })
}

/** Answer with a plain-text body (none for HEAD). */
export function sendText (res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(text)
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(body.byteLength),
    ...headers
  })
  res.end(res.req.method === 'HEAD' ? undefined : body)
}

/**
 * An `AbortSignal` that aborts when the client goes away before the answer
 * was ended (the response closes before `end()`). `writableEnded`, not
 * `writableFinished`: Node's HTTP/2 compatibility response reports a stream
 * the client cancelled (`RST_STREAM`) as finished.
 */
export function clientSignal (res: ServerResponse): AbortSignal {
  const controller = new AbortController()
  res.once('close', () => {
    if (!res.writableEnded) {
      controller.abort(new Error('Client closed the connection'))
    }
  })
  return controller.signal
}

/** Whether an `If-None-Match` header matches an ETag (weak comparison, RFC 9110 §13.1.2). */
export function matchesEtag (ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch == null) {
    return false
  }
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '')
  return ifNoneMatch.split(',').some(tag => tag.trim() === '*' || opaque(tag) === opaque(etag))
}

/**
 * Write `chunks` to `res` as they come, waiting for `drain` whenever its
 * buffer is full, then end it.
 *
 * @param signal - the client's (`clientSignal`): a wait for `drain` ends when it aborts
 * @throws whatever `chunks` throws, and an `AbortError` when `signal` aborts
 * during a wait; the caller destroys `res` (the client sees a cut body)
 */
export async function writeChunks (res: ServerResponse, chunks: AsyncIterable<Uint8Array>, signal: AbortSignal): Promise<void> {
  for await (const chunk of chunks) {
    if (!res.write(chunk)) {
      await once(res, 'drain', { signal })
    }
  }
  res.end()
}

/**
 * Write a gateway answer (`src/gateway`, shared with the site worker) to a
 * Node response: its status and headers, then its body as it is read.
 *
 * @param signal - the client's (`clientSignal`)
 * @throws as {@link writeChunks}, once the headers are sent
 */
export async function sendAnswer (res: ServerResponse, answer: GatewayAnswer, signal: AbortSignal): Promise<void> {
  res.writeHead(answer.status, answer.headers)
  const { body } = answer
  if (body == null || typeof body === 'string') {
    res.end(body ?? undefined)
    return
  }
  await writeChunks(res, 'getReader' in body ? Readable.fromWeb(body as NodeReadableStream<Uint8Array>) : body, signal)
}
