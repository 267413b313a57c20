import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { wiaConnectionGater } from './gater.js'

const dial = async (allowLocal: boolean, addr: string): Promise<boolean> => {
  const gater = wiaConnectionGater(allowLocal)
  return await gater.denyDialMultiaddr?.(multiaddr(addr)) ?? false
}

describe('wiaConnectionGater', () => {
  const local = [
    '/ip4/127.0.0.1/tcp/9090/ws',
    '/ip4/192.168.1.2/tcp/4001',
    '/ip4/10.0.0.7/tcp/443/tls/ws',
    '/ip6/::1/tcp/9090/ws',
    '/ip4/203.0.113.10/tcp/443/tls/ws',
    '/dns4/localhost/tcp/9090/ws'
  ]
  const reachable = [
    '/dns4/relay.example.org/tcp/443/tls/ws',
    '/dns/example.org/tcp/443/tls/ws',
    '/ip4/8.8.8.8/tcp/443/tls/ws',
    '/ip6/2001:4860:4860::8888/tcp/443/tls/ws'
  ]

  it.each(local)('public mode refuses to dial %s', async addr => {
    expect(await dial(false, addr)).toBe(true)
  })

  it.each(reachable)('public mode dials %s', async addr => {
    expect(await dial(false, addr)).toBe(false)
  })

  it.each([...local, ...reachable])('local mode dials %s', async addr => {
    expect(await dial(true, addr)).toBe(false)
  })
})
