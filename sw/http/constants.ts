/**
 * How long one relay may take to start answering a block, record or CAR
 * request before the next relay is asked (ms). A relay fetching a block from
 * a host over bitswap answers within a few round trips; one that does not
 * answer in this time is treated as failed for this request.
 */
export const GATEWAY_ATTEMPT_TIMEOUT_MS = 8_000

/**
 * How long a relay whose CAR has started may take to send each next block
 * before the worker gives up on that stream (ms) and fetches what is still
 * missing block by block. Longer than {@link GATEWAY_ATTEMPT_TIMEOUT_MS}: a
 * relay streaming a file from its host waits on that host, and a hosting tab
 * whose main thread is taken for seconds sends nothing meanwhile (with the
 * tab taken 8 s of every 10, every 95 MiB transfer from it failed with 8 s
 * here; with this, 3 of 3 came whole at 1.9–3.5 MiB/s; 2026-12-02). Just
 * above the relay's own bound on one block of a CAR (`BLOCK_STALL_TIMEOUT_MS`,
 * 20 s), after which the relay ends the stream itself; under the 30 s of
 * silence Trustless Gateway spec §"HTTP Clients" allows. A relay that hangs
 * mid-stream without closing its connection is left after this long.
 */
export const GATEWAY_BLOCK_STALL_MS = 22_000

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
