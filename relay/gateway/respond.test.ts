import { once } from 'node:events'
import { createServer, request } from 'node:http'
import { connect, constants, createSecureServer } from 'node:http2'
import { describe, expect, it } from 'vitest'
import { createTestCa, issueTestCertificate } from '../../test/fixtures/tls.js'
import { clientSignal, sendAnswer } from './respond.js'
import type { GatewayAnswer } from '../../src/gateway/index.js'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Http2Server } from 'node:http2'
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

/** Bytes of each chunk of a streamed test body: 64 of them fill any socket's buffer, so `sendAnswer` waits for `drain`. */
const CHUNK_BYTES = 65_536

/** `count` chunks of {@link CHUNK_BYTES}, chunk `i` filled with `i`; `ended` settles when the reader stops reading, with whether it read them all. */
function numberedChunks (count: number): { chunks: AsyncIterable<Uint8Array>, ended: Promise<boolean> } {
  let settle: (whole: boolean) => void = () => {}
  const ended = new Promise<boolean>(resolve => { settle = resolve })
  return {
    chunks: (async function * () {
      let i = 0
      try {
        for (; i < count; i++) {
          yield new Uint8Array(CHUNK_BYTES).fill(i % 256)
          await new Promise(resolve => setImmediate(resolve))
        }
      } finally {
        settle(i === count)
      }
    })(),
    ended
  }
}

/** A server over `protocol` whose every request gets `answer()` through `sendAnswer`; `sent` settles with what `sendAnswer` did. */
async function answering (protocol: 'h1' | 'h2', answer: () => GatewayAnswer): Promise<{ get: (path?: string) => Promise<{ status: number, headers: Record<string, unknown>, body: Buffer }>, leave: () => Promise<void>, sent: Promise<string>, close: () => void }> {
  let settle: (outcome: string) => void = () => {}
  const sent = new Promise<string>(resolve => { settle = resolve })
  const handler = (_req: IncomingMessage, res: ServerResponse): void => {
    sendAnswer(res, answer(), clientSignal(res)).then(() => { settle('ended') }, (err: Error) => { settle(err.name) })
  }
  if (protocol === 'h1') {
    const server = createServer(handler).listen(0, '127.0.0.1')
    await once(server, 'listening')
    const port = (server.address() as AddressInfo).port
    return {
      get: async (path = '/') => {
        const req = request({ host: '127.0.0.1', port, path })
        req.end()
        const [res] = await once(req, 'response') as [IncomingMessage]
        const parts: Buffer[] = []
        for await (const part of res) parts.push(part as Buffer)
        return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }
      },
      leave: async () => {
        const req = request({ host: '127.0.0.1', port })
        req.end()
        const [res] = await once(req, 'response') as [IncomingMessage]
        await once(res, 'data')
        req.destroy()
      },
      sent,
      close: () => { server.closeAllConnections(); server.close() }
    }
  }
  const ca = await createTestCa()
  const leaf = await issueTestCertificate(ca, 'h2', ['localhost'])
  const server: Http2Server = createSecureServer({ allowHTTP1: true, cert: leaf.cert, key: leaf.key })
  server.on('request', handler as never)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const session = connect(`https://localhost:${(server.address() as AddressInfo).port}`, { ca: ca.cert, host: '127.0.0.1' })
  return {
    get: async (path = '/') => {
      const stream = session.request({ ':path': path })
      const [headers] = await once(stream, 'response') as [Record<string, unknown>]
      const parts: Buffer[] = []
      for await (const part of stream) parts.push(part as Buffer)
      return { status: Number(headers[':status']), headers, body: Buffer.concat(parts) }
    },
    leave: async () => {
      const stream = session.request({ ':path': '/' })
      stream.on('error', () => {})
      await once(stream, 'data')
      stream.close(constants.NGHTTP2_CANCEL)
    },
    sent,
    close: () => { session.destroy(); server.close() }
  }
}

describe.each(['h1', 'h2'] as const)('sendAnswer over %s', protocol => {
  it('sends the status, the headers and a streamed body whole and in order, waiting for the client to read', async () => {
    const body = numberedChunks(64)
    const server = await answering(protocol, () => ({ status: 206, headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(64 * CHUNK_BYTES) }, body: body.chunks }))
    try {
      const got = await server.get()
      expect(got.status).toBe(206)
      expect(got.headers['content-type']).toBe('application/octet-stream')
      expect(got.body.byteLength).toBe(64 * CHUNK_BYTES)
      expect([...Array(64).keys()].every(i => got.body[i * CHUNK_BYTES] === i && got.body[(i + 1) * CHUNK_BYTES - 1] === i)).toBe(true)
      expect(await body.ended).toBe(true)
      expect(await server.sent).toBe('ended')
    } finally {
      server.close()
    }
  })

  it('sends a text body and an answer without a body', async () => {
    const answers: Array<[GatewayAnswer, string]> = [
      [{ status: 404, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: '<h1>lost</h1>' }, '<h1>lost</h1>'],
      [{ status: 304, headers: { ETag: '"bafy"' }, body: null }, '']
    ]
    for (const [answer, text] of answers) {
      const server = await answering(protocol, () => answer)
      try {
        const got = await server.get()
        expect(got.status).toBe(answer.status)
        expect(got.body.toString()).toBe(text)
        expect(await server.sent).toBe('ended')
      } finally {
        server.close()
      }
    }
  })

  it('stops reading the body when the client leaves mid-answer', async () => {
    const body = numberedChunks(100_000)
    const server = await answering(protocol, () => ({ status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: body.chunks }))
    try {
      await server.leave()
      expect(await body.ended).toBe(false)
      expect(await server.sent).toBe('AbortError')
    } finally {
      server.close()
    }
  })
})
