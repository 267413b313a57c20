import { kadDHT, passthroughMapper, removePrivateAddressesMapper } from '@libp2p/kad-dht'
import { NAME_RECORD_NAMESPACE, selectNameRecord, validateNameRecord } from '../naming/index.js'
import { WIA_DHT_DATASTORE_PREFIX, WIA_DHT_PROTOCOL } from './constants.js'
import type { KadDHT, KadDHTComponents, ValidateFn } from '@libp2p/kad-dht'

export interface WiaDHTInit {
  /** `true` for browsers and service workers (they query, never answer); `false` for relays. */
  clientMode: boolean
  /**
   * Keep loopback and private addresses in peer records (local relays, tests).
   * A public deployment leaves this off so peers never learn unroutable addresses.
   *
   * @default false
   */
  allowLocal?: boolean
  /**
   * Validator for name records. Relays pass their registry's (stateless checks
   * plus first come, first served); clients keep the stateless default.
   *
   * @default validateNameRecord
   */
  validate?: ValidateFn
}

/**
 * The WIA Kademlia DHT service: kad-dht on its own protocol with the WIA name
 * record validator and selector registered for the `wia` namespace (keys
 * `/wia/<name>`; kad-dht keys these maps by the namespace without slashes,
 * DESIGN.md §4).
 */
export function wiaDHT (init: WiaDHTInit): (components: KadDHTComponents) => KadDHT {
  return kadDHT({
    protocol: WIA_DHT_PROTOCOL,
    datastorePrefix: WIA_DHT_DATASTORE_PREFIX,
    logPrefix: 'wia:dht',
    metricsPrefix: 'wia_dht',
    clientMode: init.clientMode,
    validators: { [NAME_RECORD_NAMESPACE]: init.validate ?? validateNameRecord },
    selectors: { [NAME_RECORD_NAMESPACE]: selectNameRecord },
    peerInfoMapper: init.allowLocal === true ? passthroughMapper : removePrivateAddressesMapper
  })
}
