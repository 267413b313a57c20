import { describe, expect, it } from 'vitest'
import { gatewayOfRelay, otherRelayGateways } from './relay-gateways.js'

const ID = '12D3KooWLE6YqFKe9XjDm5VQ2iwfUTocf5ruoyrezU2Et2ovrCMB'

describe('gatewayOfRelay', () => {
  it('maps a public relay’s wss multiaddr to its HTTPS gateway', () => {
    expect(gatewayOfRelay(`/dns4/relay.example.org/tcp/443/tls/ws/p2p/${ID}`)).toBe('https://relay.example.org/_wia/')
    expect(gatewayOfRelay(`/dns/relay.example.org/tcp/8443/tls/ws/p2p/${ID}`)).toBe('https://relay.example.org:8443/_wia/')
  })

  it('has none for a local relay’s plain WebSocket port', () => {
    expect(gatewayOfRelay(`/ip4/127.0.0.1/tcp/9090/ws/p2p/${ID}`)).toBeUndefined()
    expect(gatewayOfRelay('not a multiaddr')).toBeUndefined()
  })

  it('lists configured gateways first, then derived ones, once each', () => {
    expect(otherRelayGateways(['https://relay.example.org/_wia/'], [`/dns4/relay.example.org/tcp/443/tls/ws/p2p/${ID}`, `/dns4/b.example.org/tcp/443/tls/ws/p2p/${ID}`]))
      .toEqual(['https://relay.example.org/_wia/', 'https://b.example.org/_wia/'])
  })
})
