import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { toString } from 'uint8arrays'
import { describe, expect, it } from 'vitest'
import { fakeHost, siteFiles } from '../../../../test/fixtures/host.js'
import { MIN_PBKDF2_ITERATIONS } from '../../identity/index.js'
import { OWNER_KEY_ID } from '../owner-key.js'
import { exportIdentity, importIdentity, ownerKeyId } from './identity.js'
import { publish } from './publish.js'
import type { FakeHost } from '../../../../test/fixtures/host.js'

const PASSPHRASE = 'correct horse battery staple'
/** Cheapest count the format accepts, so tests stay fast. */
const iterations = MIN_PBKDF2_ITERATIONS

async function hostWithSites (...labels: string[]): Promise<FakeHost> {
  const host = await fakeHost()
  for (const label of labels) {
    await publish(host.components, { label, tld: 'home', files: siteFiles({ 'index.html': label }) })
  }
  return host
}

describe('exportIdentity and importIdentity', () => {
  it('move the owner key and its names to another device, which lists them without their blocks', async () => {
    const old = await hostWithSites('alice', 'alice-blog')
    const file = await exportIdentity(old.components, { passphrase: PASSPHRASE, iterations })

    const device = await fakeHost()
    const sites = await importIdentity(device.components, { fileText: file, passphrase: PASSPHRASE })
    expect(ownerKeyId(device.components)).toBe(ownerKeyId(old.components))
    expect(device.store.keys.get(OWNER_KEY_ID)).toBeDefined()
    const stored = await old.store.listSites()
    expect(sites.map(({ name, seq, root, record, files, hasContent, publishedAt }) => ({ name, seq, root, record: toString(record, 'base64'), files, hasContent, publishedAt }))).toEqual(
      stored.map(({ name, seq, root, record }) => ({ name, seq, root, record: toString(record, 'base64'), files: 0, hasContent: false, publishedAt: old.clock.now })))
  })

  it('keeps the names this device lists under the same key as they are', async () => {
    const host = await hostWithSites('alice')
    const file = await exportIdentity(host.components, { passphrase: PASSPHRASE, iterations })
    const before = await host.store.listSites()
    expect(await importIdentity(host.components, { fileText: file, passphrase: PASSPHRASE })).toEqual(before)
  })

  it('refuses to replace a key that owns names on this device', async () => {
    const other = await hostWithSites('bob')
    const file = await exportIdentity(other.components, { passphrase: PASSPHRASE, iterations })
    const host = await hostWithSites('alice')
    const key = host.components.keys.owner
    await expect(importIdentity(host.components, { fileText: file, passphrase: PASSPHRASE })).rejects.toMatchObject({ name: 'IdentityConflictError' })
    expect(host.components.keys.owner).toBe(key)
    expect((await host.store.listSites()).map(site => site.name)).toEqual(['alice.wia.home'])
  })

  it('refuses a wrong passphrase and a weak one', async () => {
    const host = await hostWithSites('alice')
    const file = await exportIdentity(host.components, { passphrase: PASSPHRASE, iterations })
    const device = await fakeHost()
    const key = publicKeyToProtobuf(device.components.keys.owner.publicKey)
    await expect(importIdentity(device.components, { fileText: file, passphrase: 'wrong passphrase' })).rejects.toMatchObject({ name: 'WrongPassphraseError' })
    expect(publicKeyToProtobuf(device.components.keys.owner.publicKey)).toEqual(key)
    await expect(exportIdentity(host.components, { passphrase: 'short', iterations })).rejects.toMatchObject({ name: 'WeakPassphraseError' })
  })
})
