/**
 * Child process of the relay capacity benchmark (`bench/capacity.ts`): starts
 * `count` libp2p nodes in this one process, each listening on
 * `<relay>/p2p-circuit` (so each holds one circuit relay v2 reservation on
 * the relay), `concurrency` at a time. Prints `reserved <n>` as reservations
 * land and `done <reserved> <failed>` at the end, then keeps the nodes (and
 * so their reservations) until it gets SIGTERM.
 *
 * Usage: `node --import tsx bench/capacity-clients.ts <relay multiaddr> <count> <concurrency> <first source address index>`
 */
import '../relay/polyfills.js'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import { useDistinctSourceAddresses } from './distinct-source.js'
import type { Libp2p } from '@libp2p/interface'

/** Attempts per client before it counts as failed. */
const ATTEMPTS = 3

const [relay, countArg, concurrencyArg, firstArg] = process.argv.slice(2)
if (relay == null || countArg == null || concurrencyArg == null || firstArg == null) {
  throw new Error('usage: capacity-clients.ts <relay multiaddr> <count> <concurrency> <first source address index>')
}
const count = Number(countArg)
const concurrency = Number(concurrencyArg)

useDistinctSourceAddresses(Number(firstArg))

async function reserve (): Promise<Libp2p | undefined> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      const node = await createLibp2p({
        addresses: { listen: [`${relay}/p2p-circuit`] },
        transports: [webSockets(), circuitRelayTransport()],
        connectionEncrypters: [noise()],
        streamMuxers: [yamux()],
        services: { identify: identify() }
      })
      if (node.getMultiaddrs().some(ma => ma.toString().includes('/p2p-circuit'))) {
        return node
      }
      await node.stop()
    } catch {
      // refused (too many pending connections) or timed out: try again
    }
  }
  return undefined
}

const nodes: Libp2p[] = []
let failed = 0
let started = 0
async function worker (): Promise<void> {
  while (started < count) {
    started++
    const node = await reserve()
    if (node == null) {
      failed++
    } else {
      nodes.push(node)
      if (nodes.length % 50 === 0) console.log(`reserved ${nodes.length}`)
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker))
console.log(`done ${nodes.length} ${failed}`)

process.once('SIGTERM', () => {
  void Promise.allSettled(nodes.map(async node => node.stop())).then(() => process.exit(0))
})
