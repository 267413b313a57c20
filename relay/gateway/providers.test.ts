import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { addSite, gatewayComponents, startGateway, startHelia } from './fixtures.js'
import { httpMultiaddr } from './providers.js'
import type { RunningGateway, Site } from './fixtures.js'
import type { FindProviders, PeerRecord } from './providers.js'
import type { GatewayInit } from './router.js'
import type { Helia } from '@helia/interface'
import type { PeerInfo } from '@libp2p/interface'

const NOBODY_HAS = CID.parse('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')

let helia: Helia
let site: Site
const running: RunningGateway[] = []

beforeAll(async () => {
  helia = await startHelia()
  site = await addSite(helia)
})
afterEach(async () => {
  await Promise.all(running.splice(0).map(async gateway => { await gateway.close() }))
})
afterAll(async () => {
  await helia.stop()
})

async function peer (): Promise<PeerInfo> {
  const id = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  return { id, multiaddrs: [multiaddr('/ip4/198.51.100.7/tcp/4001/ws')] }
}

async function gatewayWith (findProviders: FindProviders, init: GatewayInit = {}): Promise<{ origin: string, selfId: string }> {
  const components = await gatewayComponents(helia, { findProviders })
  const gateway = await startGateway({ httpAddrs: () => [httpMultiaddr('https://example.org')], ...init }, components)
  running.push(gateway)
  return { origin: gateway.origin, selfId: components.libp2p.peerId.toString() }
}

describe('GET /_wia/routing/v1/providers/<cid>', () => {
  it('lists the relay itself first when it holds the block, then the DHT providers once each', async () => {
    const [a, b] = [await peer(), await peer()]
    const asked: string[] = []
    const { origin, selfId } = await gatewayWith(async function * (cid) {
      asked.push(cid.toString())
      yield a
      yield a
      yield b
    })
    const response = await fetch(`${origin}/_wia/routing/v1/providers/${site.root.toString()}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(response.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=172800, stale-if-error=172800')
    expect(response.headers.get('vary')).toBe('Accept')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    const body = await response.json() as { Providers: PeerRecord[] }
    expect(body.Providers).toEqual([
      {
        Schema: 'peer',
        ID: selfId,
        Addrs: ['/ip4/127.0.0.1/tcp/4001/ws', '/dns/example.org/tcp/443/tls/http'],
        Protocols: ['transport-bitswap', 'transport-ipfs-gateway-http']
      },
      { Schema: 'peer', ID: a.id.toString(), Addrs: ['/ip4/198.51.100.7/tcp/4001/ws'] },
      { Schema: 'peer', ID: b.id.toString(), Addrs: ['/ip4/198.51.100.7/tcp/4001/ws'] }
    ])
    expect(asked).toEqual([site.root.toString()])
  })

  it('answers 200 with no providers (spec: servers should not send 404) and a short max-age', async () => {
    const { origin } = await gatewayWith(async function * () {})
    const response = await fetch(`${origin}/_wia/routing/v1/providers/${NOBODY_HAS.toString()}`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ Providers: [] })
    expect(response.headers.get('cache-control')).toBe('public, max-age=15')
  })

  it('ends a lookup that outlasts its bound with what it found, even if the lookup ignores its signal', async () => {
    const a = await peer()
    const { origin } = await gatewayWith(async function * () {
      yield a
      await new Promise(() => {})
    }, { providersTimeoutMs: 150 })
    const started = Date.now()
    const body = await (await fetch(`${origin}/_wia/routing/v1/providers/${NOBODY_HAS.toString()}`)).json() as { Providers: PeerRecord[] }
    expect(body.Providers.map(p => p.ID)).toEqual([a.id.toString()])
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('caps the list, and a lookup that throws just ends it', async () => {
    const peers = await Promise.all([1, 2, 3, 4].map(peer))
    const { origin } = await gatewayWith(async function * () { yield * peers }, { maxProvidersJson: 2 })
    const capped = await (await fetch(`${origin}/_wia/routing/v1/providers/${NOBODY_HAS.toString()}`)).json() as { Providers: PeerRecord[] }
    expect(capped.Providers).toHaveLength(2)
    const failing = await gatewayWith(async function * () {
      yield peers[0] as PeerInfo
      throw Object.assign(new Error('not found'), { name: 'NotFoundError' })
    })
    const partial = await (await fetch(`${failing.origin}/_wia/routing/v1/providers/${NOBODY_HAS.toString()}`)).json() as { Providers: PeerRecord[] }
    expect(partial.Providers).toHaveLength(1)
  })

  it('streams NDJSON when asked', async () => {
    const a = await peer()
    const { origin, selfId } = await gatewayWith(async function * () { yield a })
    const response = await fetch(`${origin}/_wia/routing/v1/providers/${site.root.toString()}`, { headers: { accept: 'application/x-ndjson' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/x-ndjson')
    const lines = (await response.text()).trim().split('\n').map(line => JSON.parse(line) as PeerRecord)
    expect(lines.map(line => line.ID)).toEqual([selfId, a.id.toString()])
  })

  it('answers 400 for an invalid CID, and the root path only with standardPaths', async () => {
    const { origin } = await gatewayWith(async function * () {})
    expect((await fetch(`${origin}/_wia/routing/v1/providers/not-a-cid`)).status).toBe(400)
    expect((await fetch(`${origin}/routing/v1/providers/${site.root.toString()}`)).status).toBe(418)
    const app = await gatewayWith(async function * () {}, { standardPaths: true })
    expect((await fetch(`${app.origin}/routing/v1/providers/${site.root.toString()}`)).status).toBe(200)
  })
})

describe('httpMultiaddr', () => {
  it('writes HTTP(S) origins as multiaddrs', () => {
    expect(httpMultiaddr('https://example.org')).toBe('/dns/example.org/tcp/443/tls/http')
    expect(httpMultiaddr('https://example.org:8443/')).toBe('/dns/example.org/tcp/8443/tls/http')
    expect(httpMultiaddr('http://127.0.0.1:8080')).toBe('/ip4/127.0.0.1/tcp/8080/http')
    expect(httpMultiaddr('http://[::1]:8080')).toBe('/ip6/::1/tcp/8080/http')
    expect(httpMultiaddr('http://localhost')).toBe('/dns/localhost/tcp/80/http')
    for (const addr of ['https://example.org', 'http://[::1]:8080']) {
      expect(multiaddr(httpMultiaddr(addr)).toString()).toBe(httpMultiaddr(addr))
    }
  })
})
