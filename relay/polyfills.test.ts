import './polyfills.js'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { AddressInfo } from 'node:net'

describe('the global WebSocket (Node 20 polyfill)', () => {
  it('reports a reset connection as an event and does not throw when nobody listens any more', async () => {
    // a server that resets every connection before the WebSocket handshake ends
    const server = createServer(socket => { socket.resetAndDestroy() })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    try {
      const { port } = server.address() as AddressInfo
      const withListener = new WebSocket(`ws://127.0.0.1:${port}/`)
      const errored = new Promise(resolve => { withListener.addEventListener('error', resolve) })
      // a dial that gave up: nobody listens for its error (with `ws` itself this throws and ends the process)
      const abandoned = new WebSocket(`ws://127.0.0.1:${port}/`)
      const closed = new Promise(resolve => { abandoned.addEventListener('close', resolve) })
      expect(await errored).toMatchObject({ type: 'error' })
      await closed
      expect(abandoned.readyState).toBe(WebSocket.CLOSED)
    } finally {
      server.close()
    }
  })
})
