import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { createNameRecordValidator } from '../src/naming/index.js'
import { waitForDHTPeer, wiaDHT } from '../src/node/index.js'
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
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      // a ping stream may still be closing when the next ping starts
      ping: ping({ maxOutboundStreams: 4 }),
      dht: wiaDHT({ clientMode: true, allowLocal: true, validate: createNameRecordValidator({ minPowBits }) })
    }
  })
  await node.dial(multiaddr(relay))
  await waitForDHTPeer(node.services.dht)
  return node
}
