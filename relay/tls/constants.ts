/** How often a relay checks its certificate files for a renewal (ms). */
export const TLS_FILE_POLL_INTERVAL_MS = 5_000
