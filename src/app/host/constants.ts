/**
 * Names and defaults of the hosting node, with their units: every timeout
 * and bound of `src/app/host/` is here.
 */

import { RECORD_VALIDITY_MS } from '../../naming/index.js'

/** IndexedDB database holding the site blocks. */
export const BLOCKSTORE_DB = 'wia-blocks'

/**
 * Bytes of blocks written in one IndexedDB transaction by the hosting tab's
 * blockstore (`BatchedIDBBlockstore`), at most: 16 one-MiB blocks, as the
 * import benchmark's raw batched writes (`bench/import.ts`).
 */
export const PUT_BATCH_MAX_BYTES = 16 * 1024 * 1024

/** IndexedDB database holding the node's own state (its libp2p key, Helia's pins). */
export const DATASTORE_DB = 'wia-datastore'

/** How long the node waits for a circuit relay reservation before it announces a site (ms). */
export const RESERVATION_TIMEOUT_MS = 15_000

/** How long announcing this device as provider of a site root may take (ms). */
export const ANNOUNCE_TIMEOUT_MS = 15_000

/** How long asking the DHT about a name may take before publishing (ms). */
export const REGISTRATION_LOOKUP_TIMEOUT_MS = 10_000

/** How often a running app re-announces its names and site roots (ms): 1 hour. */
export const REPUBLISH_INTERVAL_MS = 60 * 60_000

/** A record is renewed (re-signed with a later expiry) once less than this much validity is left (ms): 15 days. */
export const RENEW_BEFORE_MS = RECORD_VALIDITY_MS / 2

/**
 * Versions of a site kept on this device, the current one included (their
 * blocks stay pinned, so the name can be pointed back at any of them without
 * importing the folder again). Older versions are unpinned, and their blocks
 * go at the next garbage collection.
 */
export const MAX_KEPT_VERSIONS = 3

/**
 * Bytes a site takes in the blockstore per byte of its files, at most: the
 * raw leaves are the files' bytes, the directories and file roots add a
 * little (the import benchmark's target, stored bytes ≤ 1.05× file bytes).
 * A publish asks for this much free space before it imports.
 */
export const STORED_BYTES_PER_FILE_BYTE = 1.05

/** How long the relays may take to fetch a site whole (ms): 100 MB at ~0.5 MB/s. */
export const KEEP_ON_RELAYS_TIMEOUT_MS = 5 * 60_000

/** Share of the app origin's storage quota that sites kept online for others may fill. */
export const KEPT_SITES_QUOTA_SHARE = 0.25

/** Bound on sites kept online when the browser does not say its quota (bytes): 1 GiB. */
export const KEPT_SITES_DEFAULT_BYTES = 1024 ** 3

/** How long fetching a site to keep online may take (ms): 5 minutes. */
export const KEEP_ONLINE_TIMEOUT_MS = 5 * 60_000

/** Default time without visitors after which the hosting node sleeps (ms): 5 minutes. */
export const DEFAULT_HOST_IDLE_MS = 5 * 60_000

/** Event a {@link Host} dispatches when a hosted site's stored state changed (e.g. its relay copies). */
export const SITES_CHANGED_EVENT = 'wia-sites-changed'

/**
 * Event a {@link Host} dispatches when it falls asleep or wakes up, and when
 * it loses or regains its relay reservations.
 */
export const ACTIVITY_CHANGED_EVENT = 'wia-activity-changed'
