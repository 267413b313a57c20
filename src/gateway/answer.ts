import { toReadableStream } from './stream.js'

/**
 * An HTTP answer before it is given to a transport: the site worker turns it
 * into a web `Response` ({@link toResponse}); the relay writes it to a Node
 * `ServerResponse` as it is (`sendAnswer` in `relay/gateway/respond.ts`),
 * without building a web `Response`, `Headers` and `ReadableStream` per
 * answer and taking them apart again: the relay served 2 kB pages of a site
 * at 5,341–5,702 requests/s this way against 4,301 (`npm run bench -- --only
 * "relay cached requests"`, same machine, 2026-12-04).
 */
export interface GatewayAnswer {
  /** HTTP status code. */
  status: number
  /** Response headers, names as they are sent. */
  headers: Record<string, string>
  /**
   * The body: a string (UTF-8), chunks of bytes read lazily (an iterable is
   * started by its first read), or `null` for none (`HEAD`, 301, 304, 416).
   */
  body: string | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | null
}

/** The web `Response` of `answer`: an iterable body becomes a pull-based stream (`toReadableStream`). */
export function toResponse (answer: GatewayAnswer): Response {
  const { body } = answer
  const stream = body == null || typeof body === 'string' || 'getReader' in body ? body : toReadableStream(body)
  return new Response(stream, { status: answer.status, headers: answer.headers })
}
