import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { fakeRelayFetch as relays } from '../../test/fixtures/relay-fetch.js'
import { countPeers } from './peers.js'
import type { PeerId } from '@libp2p/interface'

const ROOT = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'

async function peerId (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

/** A providers answer (Delegated Routing V1, schema `peer`) naming these IDs. */
function answer (ids: string[]): unknown {
  return { Providers: ids.map(ID => ({ Schema: 'peer', ID, Addrs: [] })) }
}

describe('countPeers', () => {
  it('counts each peer once across the relays, leaving out this device and the relays', async () => {
    const [me, relayA, relayB, keeper, visitor] = await Promise.all([peerId(), peerId(), peerId(), peerId(), peerId()])
    const { fetch, asked, accepts } = relays({
      'http://a.test/_wia/': answer([relayA.toString(), me.toString(), keeper.toString()]),
      // the same keeper in its CID form, another relay, a visitor
      'http://b.test/_wia/': answer([relayB.toString(), keeper.toCID().toString(), visitor.toString()])
    })
    const peers = await countPeers(ROOT, {
      bases: ['http://a.test/_wia/', 'http://b.test/_wia/'],
      exclude: [me.toString(), relayA.toString(), relayB.toString()],
      fetch
    })
    expect(asked).toEqual([`http://a.test/_wia/routing/v1/providers/${ROOT}`, `http://b.test/_wia/routing/v1/providers/${ROOT}`])
    expect(accepts).toEqual(['application/json', 'application/json'])
    expect(peers).toEqual({ root: ROOT, peers: 2, relays: { answered: 2, asked: 2 } })
  })

  it('counts none when only this device and the relay provide it, or nobody (`Providers: null`)', async () => {
    const [me, relay] = await Promise.all([peerId(), peerId()])
    const { fetch } = relays({ 'http://a.test/_wia/': answer([relay.toString(), me.toString()]), 'http://b.test/_wia/': { Providers: null } })
    const peers = await countPeers(ROOT, { bases: ['http://a.test/_wia/', 'http://b.test/_wia/'], exclude: [me.toString(), relay.toString()], fetch })
    expect(peers.peers).toBe(0)
    expect(peers.relays).toEqual({ answered: 2, asked: 2 })
  })

  it('skips records that name no PeerId, leaves out a relay that fails or answers nonsense, and fails only when none answered', async () => {
    const keeper = await peerId()
    const { fetch } = relays({
      'http://a.test/_wia/': { Providers: [{ Schema: 'peer', ID: 'not-a-peer' }, null, { Schema: 'peer' }, { Schema: 'peer', ID: keeper.toString() }] },
      'http://c.test/_wia/': { Providers: 'many' }
    })
    const peers = await countPeers(ROOT, { bases: ['http://a.test/_wia/', 'http://b.test/_wia/', 'http://c.test/_wia/'], exclude: [], fetch })
    expect(peers).toEqual({ root: ROOT, peers: 1, relays: { answered: 1, asked: 3 } })
    await expect(countPeers(ROOT, { bases: ['http://b.test/_wia/', 'http://c.test/_wia/'], exclude: [], fetch }))
      .rejects.toMatchObject({ name: 'ProvidersUnavailableError', root: ROOT, reasons: expect.arrayContaining([expect.stringContaining('http://b.test'), expect.stringContaining('not a providers answer')]) })
  })

  it('respects its signal', async () => {
    const { fetch } = relays({ 'http://a.test/_wia/': answer([]) })
    await expect(countPeers(ROOT, { bases: ['http://a.test/_wia/'], exclude: [], fetch, signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
  })
})
