/**
 * Every bound of the relay's visit counting (`README.md` "Visits",
 * `docs/http.md` §"Visits"), with its unit in its name.
 */

/** Days a site's counts are kept and reported, today included (UTC days). */
export const VISIT_DAYS = 30

/** Most sites one relay counts at once; visits of further sites are not counted until a site's counts age out. */
export const MAX_TRACKED_NAMES = 10_000

/**
 * Most peers whose bytes are told apart per site and day; bytes from further
 * peers are added under {@link OTHER_PEERS} (never attributed to a host).
 */
export const MAX_SENDERS_PER_DAY = 8

/** Key under which bytes of peers past {@link MAX_SENDERS_PER_DAY} (or of no known peer) are counted. */
export const OTHER_PEERS = ''

/** How often counts held in memory are written to the relay's datastore (ms); also on stop. */
export const VISITS_FLUSH_INTERVAL_MS = 10_000

/** Datastore prefix of the counts, one key per site (`/wia-visits/<name>`). */
export const VISITS_PREFIX = '/wia-visits'

/** Most `host` PeerIds one `GET /_wia/visits/<name>` may name. */
export const MAX_HOSTS_PER_QUERY = 8

/**
 * How long a relay remembers whether a name has a valid record, for counting
 * (ms): a site's many block requests cost one lookup (registry, else DHT) a
 * minute, not one each.
 */
export const REGISTERED_MEMO_MS = 60_000
