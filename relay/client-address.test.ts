import { createServer } from 'node:http'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { clientAddressOf, clientKey, requestFrom } from './client-address.js'
import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What `inspect` says of a real request to a loopback server (the proxy's hop) with the headers given, while its socket is open. */
async function requestWith<T> (headers: Record<string, string>, inspect: (req: IncomingMessage) => T): Promise<T> {
  let seen: T | undefined
  const server = createServer((req, res) => {
    seen = inspect(req)
    res.end()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  try {
    await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers })
    return seen as T
  } finally {
    server.close()
    server.closeAllConnections()
  }
}

describe('the client behind a reverse proxy', () => {
  it('is the address a trusted proxy names, its own nearest hop first', async () => {
    const seen = await requestWith({ 'x-forwarded-for': '203.0.113.7, 198.51.100.20' }, req => [clientAddressOf(['loopback'])(req), clientAddressOf(['loopback', '198.51.100.20'])(req)])
    expect(seen).toEqual(['198.51.100.20', '203.0.113.7'])
  })

  it('is the socket\'s peer when that peer is not a trusted proxy, whatever X-Forwarded-For says', async () => {
    const seen = await requestWith({ 'x-forwarded-for': '203.0.113.7' }, req => [clientAddressOf(['192.0.2.1'])(req), clientAddressOf([])(req)])
    expect(seen).toEqual(['127.0.0.1', '127.0.0.1'])
  })

  it('is the proxy itself when the proxy names nobody', async () => {
    expect(await requestWith({}, clientAddressOf(['loopback']))).toBe('127.0.0.1')
  })

  it('is what libp2p reads off the request, the rest of the request and its socket unchanged', async () => {
    const seen = await requestWith({ 'x-forwarded-for': '2001:db8::7' }, req => {
      const from = requestFrom(req, clientAddressOf(['loopback'])(req))
      return {
        remote: [from.socket.remoteAddress, from.socket.remoteFamily, from.socket.remotePort],
        request: [from.method, from.headers['x-forwarded-for'], from.socket.localAddress, from.socket.localPort === req.socket.localPort, from.socket.destroyed],
        unchanged: requestFrom(req, '127.0.0.1') === req
      }
    })
    expect(seen).toEqual({ remote: ['2001:db8::7', 'IPv6', 0], request: ['GET', '2001:db8::7', '127.0.0.1', true, false], unchanged: true })
  })
})

describe('clientKey', () => {
  it('keys an IPv4 address by itself, an IPv4-mapped one by its IPv4 address, and an IPv6 address by its /64', () => {
    expect(clientKey('192.0.2.1')).toBe('192.0.2.1')
    expect(clientKey('::ffff:192.0.2.1')).toBe('192.0.2.1')
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff'))
    expect(clientKey('2001:db8:1:2::1')).not.toBe(clientKey('2001:db8:1:3::1'))
    expect(clientKey('not an address')).toBe('not an address')
  })
})
