import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { TypedEventEmitter } from 'main-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ReservationKeeper } from './reservation-keeper.js'
import type { Libp2pEvents, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** A node's address book and transports, as the keeper sees them. */
class FakeNode {
  readonly events = new TypedEventEmitter<Libp2pEvents>()
  addrs: Multiaddr[] = []
  relayUp = true
  dials: string[] = []
  listens: string[] = []

  readonly components = {
    events: this.events,
    logger: defaultLogger(),
    addressManager: { getAddresses: () => this.addrs },
    connectionManager: {
      openConnection: vi.fn(async (addr: Multiaddr) => {
        this.dials.push(addr.toString())
        if (!this.relayUp) {
          throw new Error('connection refused')
        }
        return {} as never
      })
    },
    transportManager: {
      listen: vi.fn(async (addrs: Multiaddr[]) => {
        this.listens.push(...addrs.map(String))
        this.reserve(addrs[0]!.decapsulate('/p2p-circuit'))
      })
    }
  }

  /** The circuit relay transport took a reservation on `relay`. */
  reserve (relay: Multiaddr): void {
    this.addrs = [...this.addrs, relay.encapsulate('/p2p-circuit')]
    this.events.safeDispatchEvent('self:peer:update', {})
  }

  /** The connection to `relay` closed, and the reservation went with it. */
  lose (relay: Multiaddr, peerId: PeerId): void {
    this.addrs = this.addrs.filter(ma => !ma.toString().startsWith(relay.toString()))
    this.events.safeDispatchEvent('peer:disconnect', { detail: peerId })
    this.events.safeDispatchEvent('self:peer:update', {})
  }
}

describe('ReservationKeeper', () => {
  let relayId: PeerId
  let relay: Multiaddr
  let node: FakeNode

  beforeEach(async () => {
    vi.useFakeTimers()
    relayId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    relay = multiaddr(`/ip4/127.0.0.1/tcp/9090/ws/p2p/${relayId}`)
    node = new FakeNode()
  })

  afterEach(() => {
    vi.useRealTimers()
  })

  function startKeeper (): ReservationKeeper {
    const keeper = new ReservationKeeper(node.components, { relays: [relay.toString()], minBackoffMs: 1000, maxBackoffMs: 8000, startGraceMs: 15_000 })
    keeper.start()
    keeper.afterStart()
    return keeper
  }

  it('takes a lost reservation again after the relay comes back, backing off while it is away', async () => {
    const keeper = startKeeper()
    node.reserve(relay)
    expect(keeper.reservedOn()).toEqual([relayId.toString()])

    node.relayUp = false
    node.lose(relay, relayId)
    expect(keeper.reservedOn()).toEqual([])
    // 1 s, then 2 s, then 4 s between attempts
    await vi.advanceTimersByTimeAsync(1000)
    expect(node.dials).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(2000)
    expect(node.dials).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(3999)
    expect(node.dials).toHaveLength(2)
    expect(node.listens).toHaveLength(0)

    node.relayUp = true
    await vi.advanceTimersByTimeAsync(1)
    expect(node.dials).toHaveLength(3)
    expect(node.listens).toEqual([`${relay.toString()}/p2p-circuit`])
    expect(keeper.reservedOn()).toEqual([relayId.toString()])

    // nothing more to do: no timer runs while the reservation is held
    expect(vi.getTimerCount()).toBe(1) // the start grace timer only
    await vi.advanceTimersByTimeAsync(15_000)
    expect(vi.getTimerCount()).toBe(0)
    expect(node.dials).toHaveLength(3)
    keeper.stop()
  })

  it('waits no longer than the longest backoff between attempts', async () => {
    const keeper = startKeeper()
    node.reserve(relay)
    node.relayUp = false
    node.lose(relay, relayId)
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 8000)
    expect(node.dials).toHaveLength(4)
    await vi.advanceTimersByTimeAsync(8000)
    expect(node.dials).toHaveLength(5)
    keeper.stop()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(node.dials).toHaveLength(5)
  })

  it('leaves the first reservation to the transport, then takes one on a relay that was away at start', async () => {
    const keeper = startKeeper()
    await vi.advanceTimersByTimeAsync(14_999)
    expect(node.dials).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1 + 1000)
    expect(node.listens).toEqual([`${relay.toString()}/p2p-circuit`])
    expect(keeper.reservedOn()).toEqual([relayId.toString()])
    keeper.stop()
  })

  it('ignores other peers disconnecting', async () => {
    const keeper = startKeeper()
    node.reserve(relay)
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    node.events.safeDispatchEvent('peer:disconnect', { detail: other })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(node.dials).toHaveLength(0)
    keeper.stop()
  })
})
