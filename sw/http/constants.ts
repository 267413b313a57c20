/**
 * How long one relay may take to start answering a block, record or CAR
 * request before the next relay is asked (ms). A relay fetching a block from
 * a host over bitswap answers within a few round trips; one that does not
 * answer in this time is treated as failed for this request.
 */
export const GATEWAY_ATTEMPT_TIMEOUT_MS = 8_000

/**
 * A first visit (no owner key pinned yet) asks every relay for the name's
 * record and lets them outvote one that serves another key's record
 * (`chooseRecord`); once one relay has answered, the others have this long
 * to answer too (ms), so one slow relay does not hold the visit up.
 */
export const FIRST_VISIT_RECORD_GRACE_MS = 300

/** How long a relay that failed is asked last (ms). */
export const GATEWAY_PENALTY_MS = 30_000

/** Path, on every origin a relay serves, under which its HTTP gateway answers (`docs/http.md`). */
export const GATEWAY_PREFIX = '/_wia/'
