import { requestMark } from './marks.js'
import type { RequestPhase } from './marks.js'

/**
 * Most request marks the worker's performance timeline holds (four per
 * request, so the latest 250–500 requests): past it every mark is cleared
 * and counting starts again. User Timing keeps every mark until it is
 * cleared, and a worker that a long video or a busy page keeps running
 * would otherwise hold one more object per phase of every request it
 * served. A cold visit's marks, which the benchmark reads right after it,
 * stay (a page of 20 files sets about 90).
 */
export const MAX_REQUEST_MARKS = 2_000

let set = 0

/**
 * Mark `phase` of the request for `path` on the worker's performance
 * timeline (`requestMark`), keeping at most {@link MAX_REQUEST_MARKS}.
 */
export function markRequest (phase: RequestPhase, path: string): void {
  if (set >= MAX_REQUEST_MARKS) {
    performance.clearMarks()
    set = 0
  }
  set++
  performance.mark(requestMark(phase, path))
}
