import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { createNameRecordValidator } from '../src/naming/index.js'
import { waitForDHTPeer, wiaDHT, wiaPing, wiaYamux } from '../src/node/index.js'
import type { Identify } from '@libp2p/identify'
import type { Libp2p } from '@libp2p/interface'
import type { SingleKadDHT } from '@libp2p/kad-dht'
import type { Ping } from '@libp2p/ping'

export type BenchClient = Libp2p<{ identify: Identify, ping: Ping, dht: SingleKadDHT }>

/**
 * A Node.js DHT client for benchmarks: the same WIA DHT piece the browser
 * nodes use (client mode, WIA validator), over WebSockets to one relay.
 */
export async function startBenchClient (relay: string, minPowBits: number): Promise<BenchClient> {
  const node = await createLibp2p({
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [wiaYamux()],
    services: {
      identify: identify(),
      ping: wiaPing(),
      dht: wiaDHT({ clientMode: true, allowLocal: true, validate: createNameRecordValidator({ minPowBits }) })
    }
  })
  await node.dial(multiaddr(relay))
  await waitForDHTPeer(node.services.dht)
  return node
}
