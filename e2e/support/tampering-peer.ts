import '../../relay/polyfills.js'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import drain from 'it-drain'
import { concat } from 'uint8arrays'
import { TEST_POW_BITS } from './relay-process.js'
import { createNameRecordValidator, resolveNameRecord } from '../../src/naming/index.js'
import { createWiaHelia, wiaDHT } from '../../src/node/index.js'
import type { HeliaWithLibp2p } from '@helia/libp2p'
import type { Identify } from '@libp2p/identify'
import type { KadDHT } from '@libp2p/kad-dht'
import type { Ping } from '@libp2p/ping'
import type { CID } from 'multiformats/cid'

/** A memory blockstore that, once told to, hands out every block with one byte flipped. */
class TamperingBlockstore extends MemoryBlockstore {
  tampering = false
  /** Blocks handed out altered (to bitswap, i.e. to peers that asked). */
  tamperedServed = 0

  override async * get (key: CID, options?: Parameters<MemoryBlockstore['get']>[1]): AsyncGenerator<Uint8Array> {
    const chunks: Uint8Array[] = []
    for await (const chunk of super.get(key, options)) chunks.push(chunk)
    const bytes = concat(chunks)
    if (this.tampering && bytes.byteLength > 0) {
      bytes[bytes.byteLength >> 1] = bytes[bytes.byteLength >> 1]! ^ 0xff
      this.tamperedServed++
    }
    yield bytes
  }
}

export interface TamperingPeer {
  /** Fetch `name`'s current site whole (honestly); returns its root. */
  copySite(name: string): Promise<CID>
  /** From now on serve every block altered, and announce `root` in the DHT. */
  startTampering(root: CID): Promise<void>
  /** Blocks it served altered so far. */
  tamperedServed(): number
  stop(): Promise<void>
}

/**
 * A malicious caching peer for tests, built from the project's own node
 * pieces (the WIA DHT, the shared Helia composition): it copies a site like a
 * relay would, then serves its blocks with bytes altered, listening on
 * WebSockets on loopback so visitors can dial it directly.
 */
export async function startTamperingPeer (relay: string): Promise<TamperingPeer> {
  const blockstore = new TamperingBlockstore()
  const helia: HeliaWithLibp2p<{ identify: Identify, ping: Ping, dht: KadDHT }> = await createWiaHelia({
    blockstore,
    datastore: new MemoryDatastore(),
    libp2p: {
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0/ws'] },
      transports: [webSockets(), circuitRelayTransport()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: {
        identify: identify(),
        ping: ping(),
        dht: wiaDHT({ clientMode: true, allowLocal: true, validate: createNameRecordValidator({ minPowBits: TEST_POW_BITS }) })
      }
    }
  })
  await helia.libp2p.dial(multiaddr(relay))
  return {
    async copySite (name) {
      const { record } = await resolveNameRecord(helia.libp2p.services.dht, name, { minPowBits: TEST_POW_BITS, signal: AbortSignal.timeout(30_000) })
      await drain(helia.pins.add(record.root, { signal: AbortSignal.timeout(60_000) }))
      return record.root
    },
    async startTampering (root) {
      blockstore.tampering = true
      await helia.routing.provide(root, { signal: AbortSignal.timeout(30_000) })
    },
    tamperedServed: () => blockstore.tamperedServed,
    async stop () { await helia.stop() }
  }
}
