import { logger } from '@libp2p/logger'
import { askToKeep } from '../../cache/index.js'
import { parseRelayAddrs } from '../../node/index.js'
import { withTimeout } from '../../signals/index.js'
import { KEEP_ON_RELAYS_TIMEOUT_MS } from './constants.js'
import type { Libp2p } from '@libp2p/interface'

const log = logger('wia:app:copies')

/**
 * Ask every configured relay to fetch `name`'s current version and keep it
 * (the cache protocol's `keep`), so the site stays up while this device is
 * off. Resolves with the number of relays that hold a copy; a relay that
 * refuses (cache full of sites in more demand, site larger than its cache) or
 * cannot be reached only lowers that number.
 */
export async function keepOnRelays (libp2p: Pick<Libp2p, 'dialProtocol'>, relays: string[], name: string, options: { signal?: AbortSignal } = {}): Promise<number> {
  const signal = withTimeout(options.signal, KEEP_ON_RELAYS_TIMEOUT_MS)
  const results = await Promise.allSettled(parseRelayAddrs(relays).map(async relay => askToKeep(libp2p, relay, name, { signal })))
  for (const result of results) {
    if (result.status === 'rejected') {
      log('a relay does not keep %s - %e', name, result.reason)
    }
  }
  return results.filter(result => result.status === 'fulfilled').length
}
