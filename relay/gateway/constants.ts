/**
 * Every timeout, cache lifetime and limit of the relay's HTTP gateway, with
 * its unit in its name. Specification of the endpoints: `docs/http.md`.
 */

/** Path prefix under which every origin of the relay answers (`/_wia/ipfs/…`, `/_wia/name/…`). */
export const GATEWAY_PREFIX = '/_wia'

/**
 * Longest time from a trustless-gateway request to its status line (ms): the
 * root block (raw), or the content path and its last block (CAR), must be
 * fetched by then, else 504. Path Gateway spec §"504 Gateway Timeout" leaves
 * the value to implementations; 30 s matches the IPFS service-worker gateway.
 */
export const FIRST_BYTE_TIMEOUT_MS = 30_000

/**
 * Longest wait for any one block once a CAR stream has started (ms). When it
 * passes the stream is cut (a truncated CAR, never a wrong one). Kept below the
 * 30 s of silence after which Trustless Gateway spec §"HTTP Clients" lets a
 * client give up, so the relay ends the stream first.
 */
export const BLOCK_STALL_TIMEOUT_MS = 20_000

/**
 * Most blocks the relay's HTTP answers fetch from peers at once (blocks it
 * holds are read from its store and never count). Each fetch is a bitswap
 * want and a DHT provider lookup held up to {@link FIRST_BYTE_TIMEOUT_MS};
 * past the bound a request is answered 504 with `Retry-After` at once, so
 * the work `GET /ipfs/<random cid>` makes the relay do stays bounded however
 * many arrive. With 500 such requests in flight (`npm run stress`, cache
 * abuse, quick) the relay's RSS was the same with and without the bound
 * (329–351 vs 334 MiB; the open connections dominate), the legit visits'
 * p99 1.2–1.5 s vs 2.0 s. Shared fairly between clients (`boundedFetches`,
 * `fetch-slots.ts`): a client holding fewer takes a slot of the client
 * holding the most.
 */
export const MAX_NETWORK_FETCHES = 128

/**
 * Most blocks a CAR holds or fetches ahead of its walk (blocks; with 1 MiB
 * blocks, as many MiB of memory per stream): each node it reads has its
 * children requested at once (`dag-scope=all`: every child; `entity`: a
 * file's children in the range), so a relay fetching a site from its host
 * sends one bitswap want per DAG level instead of one per block, and a large
 * file streams from the host with this many blocks on their way instead of
 * one (`@helia/car`'s walker reads one block at a time; a 95 MiB file from
 * the host: 17.4 → 29.6 MiB/s, `npm run bench -- --only throughput`,
 * 2026-12-02).
 */
export const READ_AHEAD_MAX_BLOCKS = 16

/**
 * How long a relay without a cache (`--cache-size 0`) keeps a block it
 * fetched from a peer for a visitor, in memory (ms after the fetch;
 * `LingeringBlocks`). Longer than `@helia/bitswap`'s do-not-resend window
 * (5 s, `DEFAULT_DO_NOT_RESEND_BLOCK_WINDOW`): a peer that sent a block
 * ignores a want for it within that window, so a block dropped sooner and
 * wanted again (a CAR reads its root block to resolve the path and again to
 * stream it) stalled the answer until it failed with 504. Later visits are
 * served by the peers that hold the site.
 */
export const FETCHED_BLOCK_LINGER_MS = 6_000

/**
 * Most bytes of fetched blocks a relay without a cache holds in memory for
 * `FETCHED_BLOCK_LINGER_MS` (`LingeringBlocks`); past it the block fetched
 * longest ago goes first. Four times what one CAR holds ahead of its walk
 * (`READ_AHEAD_MAX_BLOCKS` of at most 1 MiB) and room for every site fetched
 * whole ahead of its visitor at once (`MAX_SITE_WARMUPS` × 2 MiB); small
 * beside the relay's 512 MiB memory goal (`stress/under-attack.ts`).
 */
export const FETCHED_BLOCKS_MAX_BYTES = 64 * 1024 * 1024

/**
 * Longest a block read under a root waits for the lookup of that root's
 * providers before the relay asks every connected peer instead (ms;
 * `ProviderSessions`). A lookup among the relay's own provider records ends
 * in about a millisecond; one that goes on longer goes on in the background,
 * and the root's next reads use its session once it is made.
 */
export const SESSION_PROVIDERS_WAIT_MS = 250

/** How long a root's provider session stays open unused (ms; `ProviderSessions`). */
export const PROVIDER_SESSION_IDLE_MS = 60_000

/** Most providers of a root a provider session starts with and keeps (`ProviderSessions`; Helia's own default). */
export const MAX_SESSION_PROVIDERS = 5

/** Most provider sessions a relay keeps open, the least recently used closed first (`ProviderSessions`). */
export const MAX_PROVIDER_SESSIONS = 256

/** How long a root whose provider lookup found nobody is not looked up again (ms; `ProviderSessions`). */
export const SESSION_NO_PROVIDERS_MEMO_MS = 5_000

/**
 * How long a block fetch from peers runs on after every request waiting for
 * it went away (ms): a visitor's worker that gave up on a CAR (a host that
 * paused for seconds) asks for the missing blocks again at once and joins
 * the fetch still under way (`sharedFetches`). Longer than `@helia/bitswap`'s
 * do-not-resend window (5 s), within which a host ignores a want made again
 * for a block it sent; the fetch keeps its `MAX_NETWORK_FETCHES` slot
 * meanwhile.
 */
export const ORPHANED_FETCH_GRACE_MS = 10_000

/**
 * The most shared block fetches one request waits on (`sharedFetches`):
 * when the relay ends the fetch it joined, to give the slot of the client
 * that started it to a client holding fewer, the request starts the fetch
 * again on its own share of `MAX_NETWORK_FETCHES` (or joins another's).
 * A second ending is rare; the bound keeps a request from chasing fetches
 * other clients keep losing.
 */
export const MAX_SHARED_FETCH_TRIES = 3

/** Longest lookup of a name record (registry, then DHT) before 504 (ms). */
export const NAME_LOOKUP_TIMEOUT_MS = 10_000

/** Longest provider lookup (ms): a JSON answer lists what was found by then; an NDJSON stream ends then. */
export const PROVIDERS_TIMEOUT_MS = 10_000

/** `Cache-Control: max-age` of an immutable `/ipfs/` response (s): Path Gateway spec §"Cache-Control". */
export const IMMUTABLE_MAX_AGE_S = 29_030_400

/** `Cache-Control: max-age` of a name record (s): as long as visitors' workers cache a record (docs/caching.md). */
export const NAME_RECORD_MAX_AGE_S = 15

/** `Cache-Control: max-age` of a 404 for a name (s): short, so a new registration shows up quickly. */
export const NAME_NOT_FOUND_MAX_AGE_S = 5

/** `Cache-Control: max-age` of a provider answer with results (s): Delegated Routing V1 spec §"Response Headers" (5 minutes). */
export const PROVIDERS_MAX_AGE_S = 300

/** `Cache-Control: max-age` of a provider answer without results (s): Delegated Routing V1 spec §"Response Headers" (15 s). */
export const PROVIDERS_EMPTY_MAX_AGE_S = 15

/**
 * `stale-while-revalidate` / `stale-if-error` of a provider answer (s): the
 * provider record lifetime of kad-dht (48 h), Delegated Routing V1 spec §"Response Headers".
 */
export const PROVIDERS_STALE_S = 172_800

/** Most providers in an `application/json` answer: Delegated Routing V1 spec §"Response Body" (100). */
export const MAX_PROVIDERS_JSON = 100

/** Most providers in an `application/x-ndjson` stream. */
export const MAX_PROVIDERS_NDJSON = 1_000

/** `Retry-After` of a 504 (s): Path Gateway spec §"Retry-After". */
export const RETRY_AFTER_S = 10

/** `Access-Control-Max-Age` of a preflight answer (s): one day. */
export const CORS_MAX_AGE_S = 86_400

/**
 * Most segments in a content path (`/ipfs/<cid>/a/b/…`); more is 400.
 * Trustless Gateway spec §"Security Considerations" (deeply nested paths).
 */
export const MAX_PATH_SEGMENTS = 64

/** Media type of a raw block: Trustless Gateway spec §"Accept". */
export const RAW_MEDIA_TYPE = 'application/vnd.ipld.raw'

// a CAR and a name record: spelled once for the relay and the site worker that asks for them
export { CAR_MEDIA_TYPE, NAME_RECORD_MEDIA_TYPE } from '../../src/trustless/visit-requests.js'

/** Media type of a Delegated Routing V1 JSON answer. */
export const JSON_MEDIA_TYPE = 'application/json'

/** Media type of a Delegated Routing V1 streaming answer (spec §"Streaming"). */
export const NDJSON_MEDIA_TYPE = 'application/x-ndjson'

/** Transfer protocol name of a trustless HTTP gateway (multicodec table, Delegated Routing V1 `Protocols`). */
export const GATEWAY_HTTP_PROTOCOL = 'transport-ipfs-gateway-http'

/** Transfer protocol name of bitswap (multicodec table, Delegated Routing V1 `Protocols`). */
export const BITSWAP_PROTOCOL = 'transport-bitswap'

/**
 * Longest a relay spends fetching a small site whole ahead of its visitor
 * (`SiteWarmup`, ms): past it the warm-up stops, and the visitor's own
 * requests fetch what is missing.
 */
export const SITE_WARMUP_TIMEOUT_MS = 10_000

/**
 * Most sites a relay fetches whole ahead of their visitors at once: a
 * page request that finds this many running starts none (its visitor's
 * worker still asks for the site itself).
 */
export const MAX_SITE_WARMUPS = 4

/**
 * How long a site fetched whole ahead of a visitor is not fetched again,
 * and how long the relay remembers which peer sent each of its blocks, so
 * the bytes it then serves from its store count as that peer's (ms): as
 * long as a relay without a cache keeps them (`FETCHED_BLOCK_LINGER_MS`).
 */
export const SITE_WARMUP_MEMO_MS = FETCHED_BLOCK_LINGER_MS
