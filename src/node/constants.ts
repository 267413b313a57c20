/**
 * Protocol identifiers and timing defaults shared by every wia-home runtime.
 */

/** Kademlia protocol of the WIA DHT: a DHT of its own, separate from the public IPFS one. */
export const WIA_DHT_PROTOCOL = '/wia/kad/1.0.0'

/** Datastore prefix under which a node keeps its DHT records. */
export const WIA_DHT_DATASTORE_PREFIX = '/wia-dht'

/** How long a dial to a relay may take before it is abandoned (ms). */
export const RELAY_DIAL_TIMEOUT_MS = 10_000
