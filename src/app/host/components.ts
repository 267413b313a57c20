import type { NameLocks } from './locks.js'
import type { SpaceEstimator } from './space.js'
import type { HostStore } from './store.js'
import type { Routing } from '@helia/interface'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import type { KadDHT, SingleKadDHT } from '@libp2p/kad-dht'
import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

/** The WIA DHT as the commands use it: name records are looked up and put there. */
export type HostDHT = Pick<KadDHT, 'get' | 'put'> & Pick<SingleKadDHT, 'routingTable'>

/** The libp2p node as the commands use it: whether a relay holds a reservation for it. */
export type HostLibp2p = Pick<Libp2p, 'getMultiaddrs' | 'addEventListener' | 'removeEventListener'>

/** The owner's key that signs name records; replaced when an identity is imported. */
export interface OwnerKeys {
  owner: PrivateKey
}

/**
 * Pins of the roots this device hosts (`KeptSites` in the app): a pinned
 * root's blocks survive garbage collection. Pins and collections run in the
 * background, in order, so a command does not wait for a pin's walk over
 * every block.
 */
export interface HostedPins {
  protect(root: CID): void
  /** Unpin `root`; its blocks (those no pinned root shares) go at the next collection. */
  release(root: CID): void
  /**
   * Run an import whose blocks are unpinned until it returns: garbage
   * collection waits for it, its root is then protected; a failed (or
   * aborted) import's blocks are collected.
   */
  importing<T extends { root: CID }>(importer: () => Promise<T>): Promise<T>
}

/** Wakes a sleeping node for the user's work (see `sleep.ts`). */
export interface Waker {
  /** Wake the node and resolve once it is fully awake (its DHT started). */
  awake(): Promise<void>
}

/** The time (ms since the Unix epoch). */
export interface Clock {
  now(): number
}

/** Settings the commands read. */
export interface HostConfig {
  /** Least proof-of-work difficulty the relays demand of a new name (leading zero bits). */
  powBits: number
}

/**
 * What the host's commands work with. `createHost` builds them from a Helia
 * node, IndexedDB and the page's clock; tests give in-memory fakes.
 */
export interface HostComponents {
  /** Where site blocks are stored (Helia's blockstore in the app). */
  blockstore: Pick<Blockstore, 'get' | 'put' | 'has'>
  /** Announces this device as provider of a site root (Helia's routing). */
  routing: Pick<Routing, 'provide'>
  dht: HostDHT
  libp2p: HostLibp2p
  /** Hosted sites, the owner key's storage and accepted transfers. */
  store: HostStore
  keys: OwnerKeys
  pins: HostedPins
  /** The browser's storage accounting: a publish checks the free space first. */
  storage: SpaceEstimator
  /** Serialise the commands that sign and store one name's record. */
  locks: NameLocks
  waker: Waker
  clock: Clock
  config: HostConfig
}
