import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { fakeHost, siteFiles } from '../../../../test/fixtures/host.js'
import { decodeTransfer, verifyTransfer } from '../../../naming/index.js'
import { ownerKeyId } from './identity.js'
import { publish } from './publish.js'
import { acceptTransfer, transferName } from './transfer.js'
import type { PublishProgressEvents } from './publish.js'

const NAME = 'alice.wia.home'

describe('transferName and acceptTransfer', () => {
  it('hands a name to another key: the new owner publishes with no proof of work and the relays take it', async () => {
    const alice = await fakeHost()
    await publish(alice.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'old owner' }) })
    await publish(alice.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'old owner, v2' }) })
    const bob = await fakeHost({ dht: alice.dht })

    const token = await transferName(alice.components, { name: NAME, to: ownerKeyId(bob.components) })
    const transfer = decodeTransfer(token)
    await verifyTransfer(transfer)
    expect(transfer).toMatchObject({ name: NAME, seq: 2, to: publicKeyToProtobuf(bob.components.keys.owner.publicKey), from: publicKeyToProtobuf(alice.components.keys.owner.publicKey) })

    expect(await acceptTransfer(bob.components, { token: `  ${token}\n` })).toBe(NAME)
    const events: Array<PublishProgressEvents['type']> = []
    const site = await publish(bob.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'new owner' }) }, { onProgress: event => { events.push(event.type) } })
    expect(events).not.toContain('record:register')
    const record = bob.dht.record(NAME)
    expect(record?.publicKey).toEqual(publicKeyToProtobuf(bob.components.keys.owner.publicKey))
    expect(record?.root.toString()).toBe(site.root)
    expect(record?.seq).toBe(2)
    expect(record?.transfer?.seq).toBe(2)
    // the accepted token is used up
    expect(await bob.store.getTransfer(NAME)).toBeUndefined()
  })

  it('signs the next seq above the DHT\'s and this device\'s', async () => {
    const alice = await fakeHost()
    const site = await publish(alice.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'one' }) })
    await alice.store.putSite({ ...site, seq: 7 })
    const token = await transferName(alice.components, { name: NAME, to: peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString() })
    expect(decodeTransfer(token).seq).toBe(8)
  })

  it('refuses a key ID that is not an Ed25519 PeerId, before asking the DHT', async () => {
    const alice = await fakeHost()
    const rsa = peerIdFromPrivateKey(await generateKeyPair('secp256k1')).toString()
    for (const to of ['not a key', rsa, '']) {
      await expect(transferName(alice.components, { name: NAME, to })).rejects.toMatchObject({ name: 'InvalidTransferTargetError' })
    }
    expect(alice.awakenings()).toBe(0)
  })

  it('refuses a name this key does not hold: free and unknown here, or another key\'s', async () => {
    const alice = await fakeHost()
    const to = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    await expect(transferName(alice.components, { name: NAME, to })).rejects.toMatchObject({ name: 'NameTakenError' })

    const carol = await fakeHost({ dht: alice.dht })
    await publish(carol.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'carol' }) })
    await expect(transferName(alice.components, { name: NAME, to })).rejects.toMatchObject({ name: 'NameTakenError' })
  })

  it('refuses a token for another key, and a damaged one, keeping neither', async () => {
    const alice = await fakeHost()
    await publish(alice.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'one' }) })
    const bob = await fakeHost({ dht: alice.dht })
    const token = await transferName(alice.components, { name: NAME, to: peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString() })
    await expect(acceptTransfer(bob.components, { token })).rejects.toMatchObject({ name: 'InvalidTransferTargetError' })
    await expect(acceptTransfer(bob.components, { token: token.slice(0, -4) })).rejects.toMatchObject({ name: expect.stringMatching(/^(MalformedRecordError|InvalidSignatureError)$/) })
    expect(bob.store.transfers.size).toBe(0)
  })
})
