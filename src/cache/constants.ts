/**
 * Protocol identifiers, bounds and timing defaults of caching peers, in one
 * place (DESIGN.md §6). The rules they tune: `docs/caching.md`.
 *
 * @module
 */

// the cache protocol (`protocol.ts`, `docs/caching.md`)

/** Protocol identifier of the wia-home cache protocol (messages: `protocol.ts`). */
export const CACHE_PROTOCOL = '/wia/cache/1.0.0'

/** Longest cache message accepted (bytes). A request holds one name; an answer one CID and a few numbers. */
export const MAX_CACHE_MESSAGE_BYTES = 1024

// asking a caching peer (`client.ts`)

/** How long a `visit` request may take (ms): visits are counted, not waited on. */
export const VISIT_TIMEOUT_MS = 5_000

// demand (`demand.ts`)

/** Time for a site's demand score to halve without visits (ms). */
export const DEMAND_HALF_LIFE_MS = 24 * 60 * 60_000

/** Most sites whose demand one counter remembers; the least demanded are forgotten first. */
export const MAX_TRACKED_SITES = 10_000

// the site cache (`site-cache.ts`)

/** Default bound of a relay's site cache (bytes): 1 GiB. */
export const DEFAULT_CACHE_SIZE_BYTES = 1024 ** 3

/** Most sites fetched at once; more wait their turn. */
export const MAX_CONCURRENT_FETCHES = 4

/**
 * Most sites made hot by visits fetched (or waiting) at once: the other
 * slots of {@link MAX_CONCURRENT_FETCHES} stay free for sites owners ask to keep.
 */
export const MAX_HOT_FETCHES = 2

/** How long announcing a kept root may take (ms) before it is left to the next start. */
export const PROVIDE_TIMEOUT_MS = 30_000

/**
 * Longest wait for the next block of a site being fetched (ms) before its
 * wants are sent again. Bitswap sends a want once per peer: when the message
 * with the block is lost on a connection that died (a WebRTC connection whose
 * other side gave up, DESIGN.md §2), nothing asks again and the fetch hangs.
 * Walking the site again re-sends the wants of the missing blocks (the
 * fetched ones are read locally) on whatever connection is alive then.
 */
export const FETCH_STALL_MS = 10_000

/** Walks of one site a fetch may start; when the last one stalls too, the fetch fails with `FetchStalledError`. */
export const MAX_FETCH_ATTEMPTS = 6

/**
 * Share of the cache's bound (`maxBytes`) that blocks waiting for garbage
 * collection may reach before fetches pause for one: what the relay's disk
 * holds beyond its bound is at most this share plus the running fetches.
 */
export const GC_PAUSE_SHARE = 0.25
