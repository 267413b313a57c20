/**
 * Names and bounds of the app's settings, with their units.
 */

/** IndexedDB database holding the user's settings (apart from the app's sites and keys, `APP_DB_NAME`). */
export const SETTINGS_DB = 'wia-settings'

/** Fewest minutes without visitors before the hosting node may sleep. */
export const MIN_SLEEP_MINUTES = 1

/** Most minutes without visitors before the hosting node sleeps: one day. */
export const MAX_SLEEP_MINUTES = 24 * 60

/** How long a relay may take to answer its health check before it counts as unreachable (ms). */
export const RELAY_CHECK_TIMEOUT_MS = 5_000

/** How long fetching an added relay's `/_wia/config.json` may take at start (ms). */
export const RELAY_CONFIG_TIMEOUT_MS = 5_000

/** Path of a relay's health check (see `relay/http.ts`). */
export const HEALTH_PATH = '/_wia/health'
