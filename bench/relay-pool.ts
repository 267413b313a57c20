/**
 * Child process of the name resolution benchmark (`bench/names.ts`) for DHTs
 * too large for one process per relay on 2 cores: runs `count` wia-home relay
 * nodes in this one process — the relay's own libp2p composition
 * (`relayLibp2pOptions`: WebSockets, circuit relay v2 server, server-mode WIA DHT
 * with the first-come registry as validator), each with an in-memory
 * datastore — all joining the DHT through `bootstrap`, one after the other. Prints `relay <multiaddr>`
 * per node and `ready` when all run, then keeps them until SIGTERM.
 *
 * Usage: `node --import tsx bench/relay-pool.ts <count> <min pow bits> <first source address index> [bootstrap multiaddr]`
 */
import '../relay/polyfills.js'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { createLibp2p } from 'libp2p'
import { relayLibp2pOptions } from '../relay/libp2p.js'
import { NameRegistry } from '../relay/registry.js'
import { useDistinctSourceAddresses } from './distinct-source.js'
import type { RelayServices } from '../relay/libp2p.js'
import type { Libp2p } from '@libp2p/interface'

/** Reservations each pooled relay may hold (none are taken in this benchmark). */
const MAX_RESERVATIONS = 16
/** Attempts to reach the bootstrap relay. */
const DIAL_ATTEMPTS = 5
/** Longest one dial of the bootstrap relay may take (ms). */
const DIAL_TIMEOUT_MS = 10_000

const [countArg, powArg, firstArg, bootstrap] = process.argv.slice(2)
if (countArg == null || powArg == null || firstArg == null) {
  throw new Error('usage: relay-pool.ts <count> <min pow bits> <first source address index> [bootstrap multiaddr]')
}
useDistinctSourceAddresses(Number(firstArg))

/**
 * Dial the bootstrap relay, retrying. The bootstrap module dials once, as the
 * node starts; a relay accepts only 10 connections in their handshake at
 * once (libp2p's maxIncomingPendingConnections) and refuses the rest, so
 * nodes that start together would otherwise stay out of the DHT for good.
 */
async function joinDht (node: Libp2p, relay: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await node.dial(multiaddr(relay), { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
      return
    } catch (err) {
      if (attempt === DIAL_ATTEMPTS) throw err
      await new Promise(resolve => setTimeout(resolve, 500))
    }
  }
}

const nodes: Array<Libp2p<RelayServices>> = []
for (let i = 0; i < Number(countArg); i++) {
  const datastore = new MemoryDatastore()
  const registry = new NameRegistry({ datastore, minPowBits: Number(powArg) })
  // the relay's libp2p composition without its Helia node and site cache: these relays only serve the DHT
  const node = await createLibp2p(relayLibp2pOptions({
    privateKey: await generateKeyPair('Ed25519'),
    host: '127.0.0.1',
    port: 0,
    allowLocal: true,
    maxReservations: MAX_RESERVATIONS,
    datastore,
    validate: registry.validate,
    bootstrap: bootstrap == null ? [] : [bootstrap]
  }))
  if (bootstrap != null) {
    await joinDht(node, bootstrap)
  }
  nodes.push(node)
  console.log(`relay ${node.getMultiaddrs()[0]!.toString()}`)
}
console.log('ready')

process.once('SIGTERM', () => {
  void Promise.allSettled(nodes.map(async node => node.stop())).then(() => process.exit(0))
})
