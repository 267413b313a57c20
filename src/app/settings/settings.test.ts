import { describe, expect, it } from 'vitest'
import { applySettings } from './apply.js'
import { checkRelay } from './reachability.js'
import { parseRelayAddress } from './relay-address.js'
import type { ClientConfig } from '../../node/index.js'

const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const RELAY = `/ip4/127.0.0.1/tcp/9090/ws/p2p/${PEER}`
const CONFIG: ClientConfig = { relays: [RELAY], gatewaySuffix: 'localhost', allowLocal: true, powBits: 8 }

describe('parseRelayAddress', () => {
  it('reads a relay multiaddr and keeps only the origin of a web address', () => {
    expect(parseRelayAddress(` ${RELAY} `)).toEqual({ kind: 'multiaddr', addr: RELAY })
    expect(parseRelayAddress('https://relay.example.com/some/page?x=1')).toEqual({ kind: 'url', url: 'https://relay.example.com' })
  })

  it.each(['relay.example.com', '/ip4/127.0.0.1/tcp/9090', '/not/a/multiaddr', 'ftp://relay.example.com', ''])('refuses %j with InvalidRelayAddressError', (text) => {
    expect(() => parseRelayAddress(text)).toThrow(expect.objectContaining({ name: 'InvalidRelayAddressError' }))
  })
})

describe('applySettings', () => {
  it('adds the user\'s relays after the origin\'s, a web address standing for its listed multiaddrs, and sets the sleep time', async () => {
    const other = RELAY.replace('9090', '9091')
    const config = await applySettings(CONFIG, { relays: [RELAY, 'https://relay.example.com', 'https://down.example.com'], sleepMinutes: 17 }, {
      loadConfig: async origin => {
        if (origin === 'https://relay.example.com') return { relays: [other] }
        throw new Error('unreachable')
      }
    })
    expect(config.relays).toEqual([RELAY, other])
    expect(config.hostIdleMs).toBe(17 * 60_000)
  })

  it('leaves the configuration as it is without settings', async () => {
    expect(await applySettings(CONFIG, { relays: [] })).toEqual(CONFIG)
  })
})

describe('checkRelay', () => {
  it('counts a multiaddr reachable while the node is connected to its PeerId', async () => {
    expect(await checkRelay(RELAY, { connectedPeers: () => [PEER] })).toBe(true)
    expect(await checkRelay(RELAY, { connectedPeers: () => [] })).toBe(false)
  })

  it('asks a web address for its health, bounded in time', async () => {
    const asked: string[] = []
    const answering = async (url: string | URL | Request): Promise<Response> => { asked.push(String(url)); return new Response('{}') }
    expect(await checkRelay('https://relay.example.com', { connectedPeers: () => [], fetch: answering as typeof fetch })).toBe(true)
    expect(asked).toEqual(['https://relay.example.com/_wia/health'])
    const silent = async (_url: unknown, init?: RequestInit): Promise<Response> => new Promise((_resolve, reject) => { init?.signal?.addEventListener('abort', () => { reject(init.signal?.reason) }) })
    expect(await checkRelay('https://relay.example.com', { connectedPeers: () => [], fetch: silent as typeof fetch }, { timeoutMs: 10 })).toBe(false)
  })
})
