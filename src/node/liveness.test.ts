import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { PING_TIMEOUT_MS, wiaConnectionMonitor, wiaYamux } from './liveness.js'
import type { Libp2p } from '@libp2p/interface'

/** The protocol libp2p's connection monitor pings with. */
const PING_PROTOCOL = '/ipfs/ping/1.0.0'
/** How late the slow peer answers each ping (ms): past libp2p's default ping timeout (5 s), as a hosting tab whose main thread was taken answers. */
const LATE_MS = 6_000

const started: Libp2p[] = []
afterEach(async () => { await Promise.all(started.splice(0).map(async node => { await node.stop() })) })

async function startNode (init: { monitor?: ReturnType<typeof wiaConnectionMonitor>, answerPingsAfterMs?: number }): Promise<Libp2p> {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0/ws'] },
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [wiaYamux()],
    connectionGater: { denyDialMultiaddr: () => false },
    ...(init.monitor == null ? {} : { connectionMonitor: init.monitor })
  })
  started.push(node)
  if (init.answerPingsAfterMs != null) {
    const lateMs = init.answerPingsAfterMs
    await node.handle(PING_PROTOCOL, async stream => {
      for await (const chunk of stream) {
        await new Promise(resolve => setTimeout(resolve, lateMs))
        stream.send(chunk)
      }
    })
  }
  return node
}

describe('wiaConnectionMonitor', () => {
  it(`keeps a connection whose peer answers its pings ${LATE_MS} ms late (its main thread was busy), under ${PING_TIMEOUT_MS} ms`, async () => {
    // pinging every 300 ms, so pings are under way for the whole wait
    const relay = await startNode({ monitor: wiaConnectionMonitor(300) })
    const busyHost = await startNode({ answerPingsAfterMs: LATE_MS })
    await relay.dial(busyHost.getMultiaddrs()[0]!)
    await new Promise(resolve => setTimeout(resolve, LATE_MS + 1_500))
    // libp2p's default (5 s) aborted it after the first ping: every transfer from that host with it
    expect(relay.getConnections(busyHost.peerId).map(conn => conn.status)).toEqual(['open'])
  }, LATE_MS + 10_000)
})
