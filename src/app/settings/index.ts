/**
 * The user's settings: relays added besides the app origin's, the time
 * without visitors before the hosting node sleeps, and whether the owner key
 * was backed up. Kept in IndexedDB ({@link SettingsStore}), applied to the
 * node's configuration when the app starts ({@link applySettings}).
 *
 * @example
 *
 * ```ts
 * const settings = await SettingsStore.open()
 * await settings.addRelay('https://relay.example.com')
 * const config = await applySettings(await loadClientConfig(location.origin), await settings.get())
 * ```
 *
 * @module
 */

export { applySettings } from './apply.js'
export type { ApplySettingsComponents } from './apply.js'
export * from './constants.js'
export { InvalidSleepMinutesError } from './errors.js'
export { checkRelay } from './reachability.js'
export type { RelayCheckComponents, RelayCheckOptions } from './reachability.js'
export { parseRelayAddress, relayAddressText } from './relay-address.js'
export type { RelayAddress } from './relay-address.js'
export { SettingsStore } from './store.js'
export type { Settings } from './store.js'
