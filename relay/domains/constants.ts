/**
 * Defaults of the custom domain module, one value per name, with units.
 *
 * @module
 */

/** First label of the TXT record that binds a custom domain: `_wia.www.alice.example`. */
export const TXT_RECORD_LABEL = '_wia'

/** Start of the TXT value that names the site: `wia=alice.wia.home`. */
export const TXT_VALUE_PREFIX = 'wia='

/** Least time a TXT answer is reused, whatever its DNS TTL (ms): 30 s. */
export const MIN_TXT_TTL_MS = 30_000

/** Most time a TXT answer is reused, whatever its DNS TTL (ms): 1 h. */
export const MAX_TXT_TTL_MS = 60 * 60_000

/**
 * How long a refusal (no record, another site, malformed, conflicting) is
 * reused before the TXT record is asked for again (ms): 30 s, so an owner who
 * has just created the record sees it check out soon.
 */
export const NEGATIVE_TXT_TTL_MS = 30_000

/** Bound on one TXT check, over every DNS server tried (ms). */
export const TXT_LOOKUP_TIMEOUT_MS = 5_000

/** Most hosts whose TXT answers are kept in memory; the oldest is dropped first. */
export const MAX_CACHED_HOSTS = 10_000

/** Port of a DNS server when `dns.getServers()` gives none. */
export const DNS_PORT = 53

/** How long one DNS server may take to answer one query, over UDP or TCP (ms). */
export const DNS_SERVER_TIMEOUT_MS = 2_000

/** Largest DNS message read over TCP (bytes): the 16-bit length prefix's bound. */
export const MAX_DNS_TCP_MESSAGE_BYTES = 65_535

/** Bound on one ACME order, from the new order to the downloaded certificate (ms): 2 min. */
export const ACME_ORDER_TIMEOUT_MS = 2 * 60_000

/**
 * A certificate is renewed when it expires within this time (ms): 30 days,
 * a third of a 90-day certificate, as Let's Encrypt advises.
 */
export const DEFAULT_RENEWAL_MARGIN_MS = 30 * 24 * 60 * 60_000

/**
 * After an order for a host fails, no new order is placed for it before this
 * time has passed (ms): 10 min, so a flood of requests cannot burn the CA's
 * rate limit on failed validations.
 */
export const ISSUE_RETRY_AFTER_MS = 10 * 60_000

/** Path under which HTTP-01 challenge tokens are served on port 80. */
export const ACME_CHALLENGE_PATH = '/.well-known/acme-challenge/'
