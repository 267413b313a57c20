import { once } from 'node:events'
import { createServer, request } from 'node:http'
import { connect, constants, createSecureServer } from 'node:http2'
import { describe, expect, it } from 'vitest'
import { createTestCa, issueTestCertificate } from '../../test/fixtures/tls.js'
import { clientSignal } from './respond.js'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A handler that starts an answer and ends it only when told; what its `clientSignal` saw. */
function halfAnswer (): { handler: (req: IncomingMessage, res: ServerResponse) => void, aborted: Promise<boolean>, end: () => void } {
  let ended = (): void => {}
  let settle: (aborted: boolean) => void = () => {}
  const aborted = new Promise<boolean>(resolve => { settle = resolve })
  return {
    handler: (_req, res) => {
      const signal = clientSignal(res)
      res.once('close', () => { setImmediate(() => { settle(signal.aborted) }) })
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.write('part')
      ended = () => { res.end('rest') }
    },
    aborted,
    end: () => { ended() }
  }
}

describe('clientSignal', () => {
  it('aborts when an HTTP/1.1 client leaves mid-answer, not when the answer ended', async () => {
    for (const leave of [true, false]) {
      const answer = halfAnswer()
      const server = createServer(answer.handler).listen(0, '127.0.0.1')
      await once(server, 'listening')
      try {
        const req = request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port })
        req.end()
        const [res] = await once(req, 'response') as [IncomingMessage]
        await once(res, 'data')
        if (leave) {
          req.destroy()
        } else {
          answer.end()
          res.resume()
        }
        expect(await answer.aborted).toBe(leave)
      } finally {
        server.closeAllConnections()
        server.close()
      }
    }
  })

  it('aborts when an HTTP/2 client cancels its stream mid-answer, not when the answer ended', async () => {
    const ca = await createTestCa()
    const leaf = await issueTestCertificate(ca, 'h2', ['localhost'])
    for (const cancel of [true, false]) {
      const answer = halfAnswer()
      const server = createSecureServer({ allowHTTP1: true, cert: leaf.cert, key: leaf.key })
      server.on('request', answer.handler as never)
      server.listen(0, '127.0.0.1')
      await once(server, 'listening')
      const session = connect(`https://localhost:${(server.address() as AddressInfo).port}`, { ca: ca.cert, host: '127.0.0.1' })
      try {
        const stream = session.request({ ':path': '/' })
        stream.on('error', () => {})
        await once(stream, 'data')
        if (cancel) {
          stream.close(constants.NGHTTP2_CANCEL)
        } else {
          answer.end()
          stream.resume()
        }
        expect(await answer.aborted).toBe(cancel)
      } finally {
        session.destroy()
        server.close()
      }
    }
  })
})
