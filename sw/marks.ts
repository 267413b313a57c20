/**
 * The User Timing marks the site worker sets, which a profiler or the
 * benchmark's cold-visit timeline (`bench/visit-timeline.ts`) reads to see
 * where a visit's time goes. Nothing here touches the worker's globals, so
 * the benchmark imports it too.
 *
 * @module
 */

/** A phase of one request the site worker serves (`sw/handlers/site.ts`). */
export type RequestPhase = 'request' | 'config' | 'resolved' | 'response'

/** The mark of `phase` of the request for `path` (a URL pathname): `wia:<phase>:<path>`. */
export function requestMark (phase: RequestPhase, path: string): string {
  return `wia:${phase}:${path}`
}

/** The install's warm-up has the origin's name record, resolved and verified. */
export const WARM_RESOLVED_MARK = 'wia:warm:resolved'

/** The install's warm-up keeps the blocks of the pages waiting for the worker. */
export const WARM_FETCHED_MARK = 'wia:warm:fetched'
