import { describe, expect, it } from 'vitest'
import { fakeHost, siteFiles } from '../../../../test/fixtures/host.js'
import { MIN_PBKDF2_ITERATIONS } from '../../identity/index.js'
import { EXPIRY_GRACE_MS, RECORD_VALIDITY_MS, UNPUBLISHED_ROOT, decodeNameRecord, isUnpublished } from '../../../naming/index.js'
import { RENEW_BEFORE_MS } from '../constants.js'
import { exportIdentity, importIdentity } from './identity.js'
import { publish } from './publish.js'
import { releaseName } from './release-name.js'
import { republish } from './republish.js'
import { unpublish } from './unpublish.js'
import type { FakeHost } from '../../../../test/fixtures/host.js'
import type { HostedSite } from '../store.js'
import type { ReleaseNameProgressEvents } from './release-name.js'

const NAME = 'alice.wia.home'

/** A host that published two versions of alice, and one of bob. */
async function hostWithSites (): Promise<{ host: FakeHost, one: HostedSite, two: HostedSite, bob: HostedSite }> {
  const host = await fakeHost()
  const one = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'one' }) })
  host.clock.now += 60_000
  const two = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'two' }) })
  const bob = await publish(host.components, { label: 'bob', tld: 'home', files: siteFiles({ 'index.html': 'bob' }) })
  host.clock.now += 60_000
  host.log.length = 0
  return { host, one, two, bob }
}

describe('releaseName', () => {
  it('unpublishes a live site first, releases its versions\' blocks and stops hosting it', async () => {
    const { host, one, two, bob } = await hostWithSites()
    const events: Array<ReleaseNameProgressEvents['type']> = []

    const released = await releaseName(host.components, { name: NAME }, { onProgress: event => { events.push(event.type) } })
    const record = host.dht.record(NAME)!
    expect(isUnpublished(record)).toBe(true)
    expect(record.seq).toBe(two.seq + 1)
    expect(host.log).toEqual([`put ${NAME} seq ${two.seq + 1}`])
    expect(events).toEqual(['unpublish:check', 'record:sign', 'record:put', 'unpublish:delete', 'release:forget'])
    expect(host.pins.released.sort()).toEqual([one.root, two.root].sort())
    expect(host.pins.pinned).toEqual(new Set([bob.root]))
    expect(await host.store.getSite(NAME)).toBeUndefined()
    expect((await host.store.listSites()).map(site => site.name)).toEqual([bob.name])
    expect(released).toEqual({ name: NAME, releasedAt: host.clock.now, expires: record.expires, freeAt: record.expires + EXPIRY_GRACE_MS })
    expect(released.expires).toBe(host.clock.now + RECORD_VALIDITY_MS)
  })

  it('signs nothing for a site already unpublished; the name frees one grace period after that record\'s expiry', async () => {
    const { host } = await hostWithSites()
    const gone = await unpublish(host.components, { name: NAME })
    host.log.length = 0
    host.clock.now += 60_000
    const released = await releaseName(host.components, { name: NAME })
    expect(host.log).toEqual([])
    expect(released.freeAt).toBe(decodeNameRecord(gone.record).expires + EXPIRY_GRACE_MS)
    expect(host.dht.record(NAME)?.root.equals(UNPUBLISHED_ROOT)).toBe(true)
  })

  it('is not renewed after: republish neither re-puts nor renews the released name', async () => {
    const { host, bob } = await hostWithSites()
    const released = await releaseName(host.components, { name: NAME })
    const unpublishedSeq = host.dht.record(NAME)!.seq
    host.log.length = 0
    await republish(host.components)
    expect(host.log).toEqual([`put ${bob.name} seq ${bob.seq}`, `provide ${bob.root}`])

    // past the renewal point the other name is renewed, the released one is left to lapse
    host.clock.now = released.expires - RENEW_BEFORE_MS + 1
    host.log.length = 0
    const results = await republish(host.components)
    expect(results.map(result => result.name)).toEqual([bob.name])
    expect(host.log.filter(line => line.includes(NAME))).toEqual([])
    expect(host.dht.record(NAME)?.seq).toBe(unpublishedSeq)
  })

  it('is idempotent: releasing again returns the same answer and does nothing', async () => {
    const { host } = await hostWithSites()
    const first = await releaseName(host.components, { name: NAME })
    const released = host.pins.released.length
    host.log.length = 0
    host.clock.now += 60_000
    expect(await releaseName(host.components, { name: NAME })).toEqual(first)
    expect(host.log).toEqual([])
    expect(host.pins.released).toHaveLength(released)
  })

  it('can publish under the name again before it expires, at no cost, with a higher seq', async () => {
    const { host } = await hostWithSites()
    await releaseName(host.components, { name: NAME })
    const seq = host.dht.record(NAME)!.seq
    const back = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'three' }) })
    expect(back).toMatchObject({ seq: seq + 1, hasContent: true })
    expect(host.dht.record(NAME)?.proof).toEqual(decodeNameRecord(back.record).proof)
    expect(await host.store.getReleased(NAME)).toBeUndefined()
  })

  it('forgets the released names when another identity is imported: they were the earlier key\'s', async () => {
    const host = await fakeHost()
    await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'one' }) })
    await releaseName(host.components, { name: NAME })
    const other = await fakeHost()
    const file = await exportIdentity(other.components, { passphrase: 'correct horse battery staple', iterations: MIN_PBKDF2_ITERATIONS })
    await importIdentity(host.components, { fileText: file, passphrase: 'correct horse battery staple' })
    await expect(releaseName(host.components, { name: NAME })).rejects.toMatchObject({ name: 'SiteNotHostedError' })
  })

  it('refuses a name this device does not host, and respects its signal', async () => {
    const { host, two } = await hostWithSites()
    await expect(releaseName(host.components, { name: 'carol.wia.home' })).rejects.toMatchObject({ name: 'SiteNotHostedError', siteName: 'carol.wia.home' })
    await expect(releaseName(host.components, { name: NAME }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
    expect(await host.store.getSite(NAME)).toEqual(two)
    expect(host.pins.released).toEqual([])
  })
})
