import { connect } from 'node:net'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { wiaYamux } from '../src/node/index.js'
import { RELAY_WEBSOCKET_REQUEST_TIMEOUT_MS, relayWebSocketHttpOptions } from './libp2p.js'
import type { Libp2p } from '@libp2p/interface'

const started: Libp2p[] = []
afterEach(async () => { await Promise.all(started.splice(0).map(async node => { await node.stop() })) })

/** A libp2p node with the relay's WebSocket transport, listening on loopback unless `listening` is false. */
async function startNode (listening = true): Promise<Libp2p> {
  const node = await createLibp2p({
    addresses: { listen: listening ? ['/ip4/127.0.0.1/tcp/0/ws'] : [] },
    transports: [webSockets({ http: relayWebSocketHttpOptions() })],
    connectionEncrypters: [noise()],
    streamMuxers: [wiaYamux()],
    connectionGater: { denyDialMultiaddr: () => false }
  })
  started.push(node)
  return node
}

/** A listening node's WebSocket port. */
async function listen (): Promise<number> {
  const node = await startNode()
  return Number(node.getMultiaddrs()[0]!.getComponents().find(c => c.name === 'tcp')?.value)
}

/** Open a TCP connection, send `bytes` (if any), and resolve with the ms until the relay closes it. */
async function closedAfter (port: number, bytes?: string): Promise<number> {
  const start = performance.now()
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      if (bytes != null) socket.write(bytes)
    })
    socket.on('error', reject)
    socket.on('close', () => { resolve(performance.now() - start) })
    socket.resume()
  })
}

describe('the relay\'s WebSocket port', () => {
  it(`closes a TCP connection that never sends a byte within ${RELAY_WEBSOCKET_REQUEST_TIMEOUT_MS} ms (and a second or so)`, async () => {
    const port = await listen()
    const ms = await closedAfter(port)
    expect(ms).toBeGreaterThanOrEqual(RELAY_WEBSOCKET_REQUEST_TIMEOUT_MS - 100)
    expect(ms).toBeLessThan(RELAY_WEBSOCKET_REQUEST_TIMEOUT_MS + 3_000)
  }, RELAY_WEBSOCKET_REQUEST_TIMEOUT_MS + 10_000)

  it('closes one whose upgrade request never ends', async () => {
    const port = await listen()
    const ms = await closedAfter(port, 'GET / HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\n')
    expect(ms).toBeLessThan(RELAY_WEBSOCKET_REQUEST_TIMEOUT_MS + 3_000)
  }, RELAY_WEBSOCKET_REQUEST_TIMEOUT_MS + 10_000)

  it('keeps a libp2p connection that upgraded in time open past the deadline', async () => {
    const relay = await startNode()
    const peer = await startNode(false)
    const connection = await peer.dial(relay.getMultiaddrs()[0]!)
    await new Promise(resolve => setTimeout(resolve, RELAY_WEBSOCKET_REQUEST_TIMEOUT_MS + 1_500))
    expect(connection.status).toBe('open')
    expect(relay.getConnections(peer.peerId)).toHaveLength(1)
  }, RELAY_WEBSOCKET_REQUEST_TIMEOUT_MS + 10_000)
})
