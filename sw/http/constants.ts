/**
 * How long one relay may take to start answering a block, record or CAR
 * request before the next relay is asked (ms). A relay fetching a block from
 * a host over bitswap answers within a few round trips; one that does not
 * answer in this time is treated as failed for this request.
 */
export const GATEWAY_ATTEMPT_TIMEOUT_MS = 8_000

/** How long a relay that failed is asked last (ms). */
export const GATEWAY_PENALTY_MS = 30_000

/** Path, on every origin a relay serves, under which its HTTP gateway answers (`docs/http.md`). */
export const GATEWAY_PREFIX = '/_wia/'
