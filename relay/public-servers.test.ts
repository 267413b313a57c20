import { request as httpRequest } from 'node:http'
import { connect as http2Connect } from 'node:http2'
import { request as httpsRequest } from 'node:https'
import { createSecureContext } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestCa, issueTestCertificate } from '../test/fixtures/tls.js'
import { createPublicServers } from './public-servers.js'
import { CertificateFiles } from './tls/index.js'
import type { PublicServers } from './public-servers.js'
import type { TestCa, TestLeaf } from '../test/fixtures/tls.js'
import type { AddressInfo } from 'node:net'

interface Answer { status: number, headers: Record<string, string | string[] | undefined>, body: string }

/** A request to 127.0.0.1:`port` as if `host` resolved there (TLS SNI and Host header both `host`). */
async function get (secure: boolean, port: number, host: string, path: string, extra: { ca?: string, headers?: Record<string, string> } = {}): Promise<Answer> {
  return await new Promise((resolve, reject) => {
    const send = secure ? httpsRequest : httpRequest
    const req = send({ host: '127.0.0.1', port, path, servername: host, ca: extra.ca, headers: { host, ...extra.headers } }, res => {
      let body = ''
      res.on('data', (chunk: Buffer) => { body += chunk.toString() })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body }) })
    })
    req.on('upgrade', res => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' }); res.socket.destroy() })
    req.once('error', reject)
    req.end()
  })
}

/** A GET over HTTP/2 (ALPN `h2`) to 127.0.0.1:`port` as if `host` resolved there (`:authority` and SNI `host`). */
async function getHttp2 (port: number, host: string, path: string, ca: string): Promise<Answer & { alpn: string | undefined }> {
  const session = http2Connect(`https://${host}:${port}`, { ca, servername: host, host: '127.0.0.1', port })
  try {
    return await new Promise((resolve, reject) => {
      session.once('error', reject)
      const stream = session.request({ ':path': path, ':authority': host })
      let status = 0
      let headers: Record<string, string | string[] | undefined> = {}
      let body = ''
      stream.on('response', answer => { status = Number(answer[':status']); headers = answer })
      stream.on('data', (chunk: Buffer) => { body += chunk.toString() })
      stream.on('end', () => { resolve({ status, headers, body, alpn: session.alpnProtocol }) })
      stream.once('error', reject)
      stream.end()
    })
  } finally {
    session.close()
  }
}

/** `leaf`'s certificate files, loaded. */
async function loadedCertificates (leaf: TestLeaf): Promise<CertificateFiles> {
  const certificates = new CertificateFiles({ certFile: leaf.certFile, keyFile: leaf.keyFile })
  await certificates.load()
  return certificates
}

describe('public relay servers', () => {
  let ca: TestCa
  let own: TestLeaf
  let custom: TestLeaf
  let servers: PublicServers
  let httpsPort = 0
  let httpPort = 0
  const upgrades: string[] = []

  beforeAll(async () => {
    ca = await createTestCa()
    own = await issueTestCertificate(ca, 'own', ['example.test', '*.wia.home.example.test'])
    custom = await issueTestCertificate(ca, 'custom', ['www.alice.test'])
    servers = createPublicServers({
      domain: 'example.test',
      certificates: await loadedCertificates(own),
      handler: (req, res) => { res.end(`served ${req.headers.host} ${req.url}`) },
      upgrade: (req, socket) => {
        upgrades.push(`${req.headers.host} ${req.url}`)
        socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')
      },
      httpsPort: () => httpsPort,
      foreignHosts: {
        secureContext: async host => host === 'www.alice.test' ? createSecureContext({ cert: custom.cert, key: custom.key }) : undefined,
        challengeResponse: (host, token) => host === 'www.alice.test' && token === 'tok3n' ? 'tok3n.thumbprint' : undefined,
        plainHttp: async host => host === 'www.alice.test'
          ? { redirect: true }
          : { redirect: false, status: 421, html: `<p>No TXT record _wia.${host}</p>` }
      }
    })
    await new Promise<void>(resolve => servers.https.listen(0, '127.0.0.1', resolve))
    await new Promise<void>(resolve => servers.http.listen(0, '127.0.0.1', resolve))
    httpsPort = (servers.https.address() as AddressInfo).port
    httpPort = (servers.http.address() as AddressInfo).port
  })

  afterAll(() => {
    servers.https.close()
    servers.dropHttpsConnections()
    servers.http.close()
  })

  it('serves the app and site origins over HTTPS with the domain certificate', async () => {
    expect(await get(true, httpsPort, 'example.test', '/', { ca: ca.cert })).toMatchObject({ status: 200, body: 'served example.test /' })
    expect(await get(true, httpsPort, 'alice.wia.home.example.test', '/demo.html', { ca: ca.cert })).toMatchObject({ status: 200, body: 'served alice.wia.home.example.test /demo.html' })
  })

  it('speaks HTTP/2 to a client that offers it, the request\'s :authority as its Host, and HTTP/1.1 to one that does not', async () => {
    const h2 = await getHttp2(httpsPort, 'alice.wia.home.example.test', '/demo.html', ca.cert)
    expect(h2).toMatchObject({ alpn: 'h2', status: 200, body: 'served alice.wia.home.example.test /demo.html' })
    expect(await getHttp2(httpsPort, 'www.alice.test', '/', ca.cert)).toMatchObject({ alpn: 'h2', status: 200, body: 'served www.alice.test /' })
    // the HTTP/1.1 client above (no ALPN) got the same answers; its version as the handler saw it:
    const versions: string[] = []
    const probe = createPublicServers({
      domain: 'example.test',
      certificates: await loadedCertificates(own),
      handler: (req, res) => { versions.push(req.httpVersion); res.end() },
      upgrade: () => {},
      httpsPort: () => 443
    })
    await new Promise<void>(resolve => probe.https.listen(0, '127.0.0.1', resolve))
    try {
      const port = (probe.https.address() as AddressInfo).port
      await get(true, port, 'example.test', '/', { ca: ca.cert })
      await getHttp2(port, 'example.test', '/', ca.cert)
      expect(versions).toEqual(['1.1', '2.0'])
    } finally {
      probe.https.close()
      probe.dropHttpsConnections()
    }
  })

  it('serves a custom domain with its own certificate and refuses a TLS handshake for an unknown name', async () => {
    expect(await get(true, httpsPort, 'www.alice.test', '/', { ca: ca.cert })).toMatchObject({ status: 200, body: 'served www.alice.test /' })
    await expect(get(true, httpsPort, 'www.mallory.test', '/', { ca: ca.cert })).rejects.toThrow()
  })

  it('hands WebSocket upgrades on the HTTPS port to libp2p, and only those', async () => {
    const ws = await get(true, httpsPort, 'example.test', '/', { ca: ca.cert, headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } })
    expect(ws.status).toBe(101)
    expect(upgrades).toEqual(['example.test /'])
    const other = await get(true, httpsPort, 'example.test', '/', { ca: ca.cert, headers: { connection: 'Upgrade', upgrade: 'h2c' } }).catch(() => ({ status: 400 }))
    expect(other.status).toBe(400)
    expect(upgrades).toHaveLength(1)
  })

  it('redirects plain HTTP to the same URL over HTTPS, with the port when it is not 443', async () => {
    const answer = await get(false, httpPort, 'alice.wia.home.example.test', '/about/?q=1')
    expect(answer.status).toBe(301)
    expect(answer.headers.location).toBe(`https://alice.wia.home.example.test:${httpsPort}/about/?q=1`)
    expect((await get(false, httpPort, 'www.alice.test', '/')).headers.location).toBe(`https://www.alice.test:${httpsPort}/`)
  })

  it('answers ACME HTTP-01 challenges on plain HTTP and 404s unknown tokens', async () => {
    expect(await get(false, httpPort, 'www.alice.test', '/.well-known/acme-challenge/tok3n')).toMatchObject({ status: 200, body: 'tok3n.thumbprint' })
    expect((await get(false, httpPort, 'www.alice.test', '/.well-known/acme-challenge/other')).status).toBe(404)
  })

  it('shows a refused custom domain its page over plain HTTP instead of redirecting', async () => {
    const answer = await get(false, httpPort, 'www.mallory.test', '/')
    expect(answer.status).toBe(421)
    expect(answer.body).toContain('_wia.www.mallory.test')
  })
})
