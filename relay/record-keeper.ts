import { logger } from '@libp2p/logger'
import { nameRecordKey } from '../src/naming/index.js'
import { REAL_CLOCK } from './clock.js'
import type { RelayClock } from './clock.js'
import type { NameRegistry } from './registry.js'
import type { KadDHT } from '@libp2p/kad-dht'

const log = logger('wia:relay:records')

/**
 * How often a relay puts the name records it holds again (ms). kad-dht hands
 * a stored record to peers that ask (`GET_VALUE`) only for 48 h after it
 * received it, and deletes it when asked later (its `PROVIDERS_VALIDITY`; its
 * own lookups' `getLocal` does not check the age), while
 * a WIA record is valid for 30 days: re-putting every 12 h keeps each record
 * on the relays until its own expiry, even when its owner's app is closed.
 */
export const RECORD_REFRESH_INTERVAL_MS = 12 * 60 * 60_000

export interface RecordKeeperComponents {
  dht: Pick<KadDHT, 'put'>
  registry: Pick<NameRegistry, 'entries'>
  /**
   * The relay's clock: which records have expired, and how long
   * {@link RECORD_REFRESH_INTERVAL_MS} lasts (a test clock running `scale`
   * times as fast re-puts `scale` times as often in real time).
   *
   * @default REAL_CLOCK
   */
  clock?: RelayClock
}

/**
 * Put every unexpired record of the registry into the DHT again: stored
 * afresh here and sent to the closest relays (which replicates it to relays
 * that joined since). Returns how many records were put.
 */
export async function refreshRecords (components: RecordKeeperComponents, now = Date.now(), options: { signal?: AbortSignal } = {}): Promise<number> {
  let count = 0
  for await (const { name, registration } of components.registry.entries()) {
    if (registration.expires <= now || registration.bytes == null) {
      continue
    }
    try {
      for await (const event of components.dht.put(nameRecordKey(name), registration.bytes, options)) {
        if (event.name === 'QUERY_ERROR') {
          log('refreshing %s: %p refused - %e', name, event.from, event.error)
        }
      }
      count++
    } catch (err) {
      log.error('refreshing %s failed - %e', name, err)
    }
  }
  return count
}

/**
 * Refresh now and every {@link RECORD_REFRESH_INTERVAL_MS} of the relay's
 * clock; `onRefreshed` hears how many records each round put. Returns a
 * function that stops it.
 */
export function startRecordKeeper (components: RecordKeeperComponents, onRefreshed: (count: number) => void = () => {}): () => void {
  const clock = components.clock ?? REAL_CLOCK
  const controller = new AbortController()
  const run = (): void => {
    refreshRecords(components, clock.now(), { signal: controller.signal })
      .then(count => {
        log('refreshed %d name records', count)
        onRefreshed(count)
      })
      .catch(err => { log.error('refreshing name records failed - %e', err) })
  }
  const timer = setInterval(run, clock.realMs(RECORD_REFRESH_INTERVAL_MS))
  run()
  return () => {
    clearInterval(timer)
    controller.abort()
  }
}
