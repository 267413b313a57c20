import { withBitswap } from '@helia/bitswap'
import { withLibp2pLight } from '@helia/libp2p'
import { createHeliaLight } from 'helia'
import type { HeliaWithLibp2p } from '@helia/libp2p'
import type { ServiceMap } from '@libp2p/interface'
import type { Blockstore } from 'interface-blockstore'
import type { Datastore } from 'interface-datastore'
import type { Libp2pOptions } from 'libp2p'

export interface WiaHeliaInit<S extends ServiceMap> {
  libp2p: Libp2pOptions<S>
  blockstore: Blockstore
  datastore: Datastore
}

/**
 * Bitswap settings shared by every runtime. Relays give unlimited circuits (see
 * `relay/`), so relayed connections are not "limited"; bitswap is still allowed
 * on limited ones so a relay with limits does not silently stop block transfer.
 */
const BITSWAP_INIT = {
  runOnLimitedConnections: true
}

/**
 * A started Helia node in the light composition (DESIGN.md §4): no public
 * gateways or delegated routing, only libp2p (with the WIA DHT as content
 * routing) and bitswap. Every block fetched from a peer is checked against its
 * CID's multihash by Helia before it is stored or returned.
 */
export async function createWiaHelia<S extends ServiceMap> (init: WiaHeliaInit<S>): Promise<HeliaWithLibp2p<S>> {
  const helia = withBitswap(
    withLibp2pLight(createHeliaLight({ blockstore: init.blockstore, datastore: init.datastore }), init.libp2p),
    BITSWAP_INIT
  )
  await helia.start()
  return helia
}
