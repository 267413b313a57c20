import type { HostedSite } from '../host/store.js'
import type { Settings } from '../settings/index.js'
import type { SettingsStore } from '../settings/store.js'

/** What **My sites** needs to show in its final layout: the hosted sites and the settings (whether the key was backed up). */
export interface StartState {
  sites: HostedSite[]
  settingsStore: SettingsStore
  settings: Settings
}

/**
 * Read the hosted sites and the settings straight from their IndexedDB
 * stores, without the node, whose code and start take about a second more:
 * the app shows **My sites** in its final layout that much sooner. The
 * app's store (`AppStore`, 0.6 kB gzip) is closed again at once: the node
 * opens it too, perhaps to upgrade it, and no connection of ours may hold
 * that up.
 *
 * @param openSettings - the app's one opening of the settings store
 * @throws what opening or reading either store throws (`idb`'s errors)
 */
export async function readStartState (openSettings: () => Promise<SettingsStore>): Promise<StartState> {
  const { AppStore } = await import('../host/store.js')
  const [store, settingsStore] = await Promise.all([AppStore.open(), openSettings()])
  try {
    const [sites, settings] = await Promise.all([store.listSites(), settingsStore.get()])
    return { sites, settingsStore, settings }
  } finally {
    store.close()
  }
}
