import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { fakeHost, siteFiles } from '../../../../test/fixtures/host.js'
import { publish } from './publish.js'
import { rollback } from './rollback.js'
import type { FakeHost } from '../../../../test/fixtures/host.js'
import type { HostedSite } from '../store.js'
import type { RollbackProgressEvents } from './rollback.js'

const NAME = 'alice.wia.home'

/** A host that published `one`, then `two` a minute later. */
async function hostWithTwoVersions (): Promise<{ host: FakeHost, one: HostedSite, two: HostedSite }> {
  const host = await fakeHost()
  const one = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'one', 'a.txt': 'a' }) })
  host.clock.now += 60_000
  const two = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'two' }) })
  host.clock.now += 60_000
  return { host, one, two }
}

describe('rollback', () => {
  it('points the name back at a kept version from the stored blocks: nothing imported, a higher seq, the old root', async () => {
    const { host, one, two } = await hostWithTwoVersions()
    const puts = host.blockstore.puts
    expect(puts).toBeGreaterThan(0)
    host.log.length = 0

    const site = await rollback(host.components, { name: NAME, root: one.root })
    expect(host.blockstore.puts).toBe(puts)
    const record = host.dht.record(NAME)
    expect(record?.root.toString()).toBe(one.root)
    expect(record?.seq).toBe(two.seq + 1)
    expect(record?.publicKey).toEqual(publicKeyToProtobuf(host.components.keys.owner.publicKey))
    // announced before the record points at it, as when publishing
    expect(host.log).toEqual([`provide ${one.root}`, `put ${NAME} seq ${two.seq + 1}`])
    expect(site).toMatchObject({ root: one.root, seq: two.seq + 1, files: one.files, bytes: one.bytes, publishedAt: one.publishedAt, versions: two.versions })
    expect(await host.store.getSite(NAME)).toEqual(site)
    // both versions stay pinned
    expect(host.pins.released).toEqual([])
    expect(host.pins.pinned).toEqual(new Set([one.root, two.root]))
  })

  it('carries the proof of work over and reports its steps', async () => {
    const { host, one } = await hostWithTwoVersions()
    const proof = host.dht.record(NAME)?.proof
    const events: Array<RollbackProgressEvents['type']> = []
    await rollback(host.components, { name: NAME, root: CID.parse(one.root) }, { onProgress: event => { events.push(event.type) } })
    expect(events).toEqual(['rollback:check', 'record:sign', 'record:announce', 'record:put'])
    expect(host.dht.record(NAME)?.proof).toEqual(proof)
  })

  it('and forward again, with the next seq', async () => {
    const { host, one, two } = await hostWithTwoVersions()
    await rollback(host.components, { name: NAME, root: one.root })
    const site = await rollback(host.components, { name: NAME, root: two.root })
    expect(site).toMatchObject({ root: two.root, seq: two.seq + 2, files: two.files, publishedAt: two.publishedAt })
    expect(host.dht.record(NAME)?.root.toString()).toBe(two.root)
  })

  it('changes nothing when the name already points at that version', async () => {
    const { host, two } = await hostWithTwoVersions()
    host.log.length = 0
    expect(await rollback(host.components, { name: NAME, root: two.root })).toEqual(two)
    expect(host.log).toEqual([])
  })

  it('refuses a root that is not a kept version of the name, and a name not hosted here', async () => {
    const { host, one } = await hostWithTwoVersions()
    const other = await fakeHost()
    const elsewhere = await publish(other.components, { label: 'bob', tld: 'home', files: siteFiles({ 'index.html': 'bob' }) })
    await expect(rollback(host.components, { name: NAME, root: elsewhere.root })).rejects.toMatchObject({ name: 'VersionNotKeptError', siteName: NAME, root: elsewhere.root })
    await expect(rollback(host.components, { name: 'carol.wia.home', root: one.root })).rejects.toMatchObject({ name: 'VersionNotKeptError' })
  })

  it('refuses a version whose blocks are gone', async () => {
    const { host, one } = await hostWithTwoVersions()
    await host.blockstore.delete(CID.parse(one.root))
    await expect(rollback(host.components, { name: NAME, root: one.root })).rejects.toMatchObject({ name: 'VersionNotKeptError' })
    expect(host.dht.record(NAME)?.root.toString()).not.toBe(one.root)
  })

  it('refuses when another key holds the name now', async () => {
    const { host, one } = await hostWithTwoVersions()
    // the DHT forgot the name and someone else registered it
    host.dht.records.clear()
    const thief = await fakeHost({ dht: host.dht })
    await publish(thief.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'mine now' }) })
    await expect(rollback(host.components, { name: NAME, root: one.root })).rejects.toMatchObject({ name: 'NameTakenError' })
  })
})
