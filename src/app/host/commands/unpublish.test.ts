import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { describe, expect, it } from 'vitest'
import { fakeHost, siteFiles } from '../../../../test/fixtures/host.js'
import { TEST_RECORD_POW_BITS } from '../../../../test/fixtures/records.js'
import { RECORD_VALIDITY_MS, UNPUBLISHED_ROOT, decodeNameRecord, isUnpublished, verifyNameRecord } from '../../../naming/index.js'
import { RENEW_BEFORE_MS } from '../constants.js'
import { publish } from './publish.js'
import { republish } from './republish.js'
import { rollback } from './rollback.js'
import { unpublish } from './unpublish.js'
import type { FakeHost } from '../../../../test/fixtures/host.js'
import type { HostedSite } from '../store.js'
import type { UnpublishProgressEvents } from './unpublish.js'

const NAME = 'alice.wia.home'

/** A host that published two versions of alice. */
async function hostWithSite (): Promise<{ host: FakeHost, one: HostedSite, two: HostedSite }> {
  const host = await fakeHost()
  const one = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'one' }) })
  host.clock.now += 60_000
  const two = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'two' }) })
  host.clock.now += 60_000
  host.log.length = 0
  return { host, one, two }
}

describe('unpublish', () => {
  it('signs and puts the unpublished record: UNPUBLISHED_ROOT, the next seq, the same key and proof, a valid signature', async () => {
    const { host, two } = await hostWithSite()
    const before = decodeNameRecord(two.record)
    const events: Array<UnpublishProgressEvents['type']> = []

    const site = await unpublish(host.components, { name: NAME }, { onProgress: event => { events.push(event.type) } })
    const record = host.dht.record(NAME)!
    await verifyNameRecord(record, { name: NAME, now: host.clock.now, minPowBits: TEST_RECORD_POW_BITS })
    expect(isUnpublished(record)).toBe(true)
    expect(record.root.equals(UNPUBLISHED_ROOT)).toBe(true)
    expect(record.seq).toBe(two.seq + 1)
    expect(record.publicKey).toEqual(publicKeyToProtobuf(host.components.keys.owner.publicKey))
    expect(record.proof).toEqual(before.proof)
    // nothing announced: the record alone
    expect(host.log).toEqual([`put ${NAME} seq ${two.seq + 1}`])
    expect(events).toEqual(['unpublish:check', 'record:sign', 'record:put'])
    expect(site).toMatchObject({ name: NAME, root: UNPUBLISHED_ROOT.toString(), seq: record.seq, files: 0, bytes: 0, hasContent: false, versions: two.versions })
    expect(decodeNameRecord(site.record)).toEqual(record)
    expect(await host.store.getSite(NAME)).toEqual(site)
  })

  it('keeps the versions and their blocks unless asked; the name can be pointed at one again', async () => {
    const { host, one, two } = await hostWithSite()
    await unpublish(host.components, { name: NAME })
    expect(host.pins.released).toEqual([])
    expect(host.pins.pinned).toEqual(new Set([one.root, two.root]))

    const back = await rollback(host.components, { name: NAME, root: two.root })
    expect(back).toMatchObject({ root: two.root, seq: two.seq + 2, hasContent: true })
    expect(host.dht.record(NAME)?.root.toString()).toBe(two.root)
  })

  it('deletes the versions when asked: every kept root released', async () => {
    const { host, one, two } = await hostWithSite()
    const events: Array<UnpublishProgressEvents['type']> = []
    const site = await unpublish(host.components, { name: NAME, deleteBlocks: true }, { onProgress: event => { events.push(event.type) } })
    expect(site.versions).toEqual([])
    expect(host.pins.released.sort()).toEqual([one.root, two.root].sort())
    expect(host.pins.pinned.size).toBe(0)
    expect(events.at(-1)).toBe('unpublish:delete')
    expect(await host.store.getSite(NAME)).toEqual(site)
  })

  it('signs nothing for a site already unpublished, but still deletes its blocks when asked', async () => {
    const { host } = await hostWithSite()
    const first = await unpublish(host.components, { name: NAME })
    host.log.length = 0
    const again = await unpublish(host.components, { name: NAME, deleteBlocks: true })
    expect(host.log).toEqual([])
    expect(again).toEqual({ ...first, versions: [] })
    expect(host.pins.released).toHaveLength(2)
  })

  it('publishing again later points the name at a real root with a higher seq', async () => {
    const { host } = await hostWithSite()
    const gone = await unpublish(host.components, { name: NAME, deleteBlocks: true })
    const back = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'three' }) })
    expect(back).toMatchObject({ seq: gone.seq + 1, hasContent: true })
    expect(back.versions).toHaveLength(1)
    expect(isUnpublished(host.dht.record(NAME)!)).toBe(false)
  })

  it('republish keeps re-putting and renewing the record, never announcing the old root', async () => {
    const { host } = await hostWithSite()
    const gone = await unpublish(host.components, { name: NAME })
    host.log.length = 0
    await republish(host.components)
    expect(host.log).toEqual([`put ${NAME} seq ${gone.seq}`])

    host.clock.now += RECORD_VALIDITY_MS - RENEW_BEFORE_MS + 1
    host.log.length = 0
    const [result] = await republish(host.components)
    expect(host.log).toEqual([`put ${NAME} seq ${gone.seq + 1}`])
    expect(result).toMatchObject({ ok: true, renewed: true })
    expect(isUnpublished(host.dht.record(NAME)!)).toBe(true)
  })

  it('respects its signal, and refuses a name this device does not host', async () => {
    const { host, two } = await hostWithSite()
    await expect(unpublish(host.components, { name: NAME }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
    expect(host.dht.record(NAME)?.seq).toBe(two.seq)
    expect(await host.store.getSite(NAME)).toEqual(two)
    await expect(unpublish(host.components, { name: 'carol.wia.home' })).rejects.toMatchObject({ name: 'SiteNotHostedError', siteName: 'carol.wia.home' })
  })
})
