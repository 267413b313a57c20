import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { freeReservationsOnDisconnect } from './reservations.js'
import type { PeerId } from '@libp2p/interface'

describe('freeReservationsOnDisconnect', () => {
  it('frees the reservation of a peer that hung up, and stops its expiry timer', async () => {
    const holder = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const cleared: string[] = []
    const entries = new Map<string, { signal: { clear: () => void } }>()
    const reservation = (peer: PeerId): { signal: { clear: () => void } } => ({ signal: { clear: () => { cleared.push(peer.toString()) } } })
    entries.set(holder.toString(), reservation(holder))
    entries.set(other.toString(), reservation(other))
    const reservations = {
      get: (peer: PeerId) => entries.get(peer.toString()),
      delete: (peer: PeerId) => entries.delete(peer.toString())
    }
    const node = Object.assign(new EventTarget(), { services: { relay: { reservations } } })
    freeReservationsOnDisconnect(node as unknown as Parameters<typeof freeReservationsOnDisconnect>[0])

    node.dispatchEvent(new CustomEvent('peer:disconnect', { detail: holder }))
    expect([...entries.keys()]).toEqual([other.toString()])
    expect(cleared).toEqual([holder.toString()])
    // a peer without a reservation changes nothing
    node.dispatchEvent(new CustomEvent('peer:disconnect', { detail: holder }))
    expect([...entries.keys()]).toEqual([other.toString()])
  })
})
