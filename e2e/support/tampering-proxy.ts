import { once } from 'node:events'
import { createServer, request } from 'node:http'
import type { IncomingHttpHeaders, Server } from 'node:http'

/** What a tampering relay does to the answers it passes on. */
export interface Tampering {
  /** Change one byte of every block and CAR body (`application/vnd.ipld.raw`, `application/vnd.ipld.car`). */
  blocks?: boolean
  /** Replace every name record body with these bytes (a record signed by another key). */
  record?: Uint8Array
}

export interface TamperingProxy {
  port: number
  /** Bodies it altered or replaced so far (so a test can tell it really tampered). */
  tampered: () => number
  /** Body bytes it passed on so far for request paths starting with `prefix` (`/_wia/ipfs/`: what the relay served of blocks). */
  bytesServed: (prefix: string) => number
  /** Change what it does from now on. */
  set: (tampering: Tampering) => void
  close: () => Promise<void>
}

/**
 * A relay gone bad: an HTTP proxy in front of a real relay (`target` port on
 * loopback) that passes everything through, `Host` included, except that it
 * alters blocks and CARs and swaps name records as told, and counts the
 * bytes it passes on. Visitors open site origins on its port, so it is their
 * origin's own relay.
 */
export async function startTamperingProxy (target: number, initial: Tampering = {}): Promise<TamperingProxy> {
  let tampering = initial
  let tampered = 0
  const served: Array<{ path: string, bytes: number }> = []
  const server: Server = createServer((req, res) => {
    const upstream = request({ host: '127.0.0.1', port: target, path: req.url, method: req.method, headers: req.headers }, answer => {
      const body = { path: req.url ?? '/', bytes: 0 }
      served.push(body)
      answer.on('data', (chunk: Buffer) => { body.bytes += chunk.byteLength })
      const type = String(answer.headers['content-type'] ?? '')
      const isBlock = type.startsWith('application/vnd.ipld.raw') || type.startsWith('application/vnd.ipld.car')
      const isRecord = type.startsWith('application/vnd.wia.name-record')
      if (!((isBlock && tampering.blocks === true) || (isRecord && tampering.record != null)) || answer.statusCode !== 200) {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
        return
      }
      const chunks: Buffer[] = []
      answer.on('data', (chunk: Buffer) => chunks.push(chunk))
      answer.on('end', () => {
        let body = Buffer.concat(chunks)
        if (isRecord && tampering.record != null) {
          body = Buffer.from(tampering.record)
        } else if (body.length > 0) {
          // the last byte: block data in a raw answer, the last block's data in a CAR
          body[body.length - 1] = body[body.length - 1]! ^ 0xff
        }
        tampered++
        const headers: IncomingHttpHeaders = { ...answer.headers, 'content-length': String(body.length) }
        delete headers['transfer-encoding']
        res.writeHead(200, headers)
        res.end(body)
      })
    })
    upstream.on('error', () => { res.destroy() })
    // a client that goes away stops the upstream answer too (so bytesServed counts no more than it took)
    res.once('close', () => { upstream.destroy() })
    req.pipe(upstream)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  return {
    port: typeof address === 'object' && address != null ? address.port : 0,
    tampered: () => tampered,
    bytesServed: prefix => served.reduce((sum, body) => body.path.startsWith(prefix) ? sum + body.bytes : sum, 0),
    set: next => { tampering = next },
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close').catch(() => {})
    }
  }
}
