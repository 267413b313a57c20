/**
 * Protocol identifiers and timing defaults shared by every wia-home runtime.
 */

/** Kademlia protocol of the WIA DHT: a DHT of its own, separate from the public IPFS one. */
export const WIA_DHT_PROTOCOL = '/wia/kad/1.0.0'

/** Datastore prefix under which a node keeps its DHT records. */
export const WIA_DHT_DATASTORE_PREFIX = '/wia-dht'

/** How long a dial to a relay may take before it is abandoned (ms). */
export const RELAY_DIAL_TIMEOUT_MS = 10_000

/**
 * Debounce of identify push in the tab (ms; libp2p's default is 1,000).
 * Helia registers bitswap after libp2p has dialled its relays, so a relay
 * learns that a new host speaks bitswap only from the push; until then a
 * visitor's request for the host's blocks sends no want (`npm run bench`:
 * a visit right after publishing waited ~1.2 s for it). The tab's
 * protocols and addresses change a handful of times at start, then rarely.
 */
export const IDENTIFY_PUSH_DEBOUNCE_MS = 50
