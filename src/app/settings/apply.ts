import { logger } from '@libp2p/logger'
import { loadClientConfig } from '../../node/client-config.js'
import { RELAY_CONFIG_TIMEOUT_MS } from './constants.js'
import { parseRelayAddress } from './relay-address.js'
import type { Settings } from './store.js'
import type { ClientConfig } from '../../node/index.js'

const log = logger('wia:app:settings')

export interface ApplySettingsComponents {
  /** Reads a relay's `/_wia/config.json`. @default loadClientConfig */
  loadConfig?(origin: string, options: { signal: AbortSignal }): Promise<Pick<ClientConfig, 'relays'>>
}

/**
 * The node's configuration with the user's settings on top: the relays the
 * user added after the origin's (a web address stands for the multiaddrs its
 * `/_wia/config.json` lists; one that cannot be read is left out), and the
 * sleep time.
 */
export async function applySettings (config: ClientConfig, settings: Settings, components: ApplySettingsComponents = {}): Promise<ClientConfig> {
  const loadConfig = components.loadConfig ?? loadClientConfig
  const added = await Promise.all(settings.relays.map(async text => {
    try {
      const address = parseRelayAddress(text)
      if (address.kind === 'multiaddr') {
        return [address.addr]
      }
      return (await loadConfig(address.url, { signal: AbortSignal.timeout(RELAY_CONFIG_TIMEOUT_MS) })).relays
    } catch (err) {
      log.error('leaving out relay %s - %e', text, err)
      return []
    }
  }))
  return {
    ...config,
    relays: [...new Set([...config.relays, ...added.flat()])],
    ...(settings.sleepMinutes == null ? {} : { hostIdleMs: settings.sleepMinutes * 60_000 })
  }
}
