import { describe, expect, it } from 'vitest'
import { fakeHost, siteFiles } from '../../../../test/fixtures/host.js'
import { publish } from './publish.js'
import { rollback } from './rollback.js'
import { versions } from './versions.js'

const NAME = 'alice.wia.home'

describe('versions', () => {
  it('lists the kept versions newest first, with root, publish time, size and record number, the live one marked', async () => {
    const host = await fakeHost()
    const start = host.clock.now
    const one = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'one', 'a.txt': 'aaaa' }) })
    host.clock.now += 60_000
    const two = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'two' }) })

    expect(await versions(host.components, { name: NAME })).toEqual([
      { root: two.root, publishedAt: start + 60_000, files: 1, bytes: 3, seq: 1, current: true },
      { root: one.root, publishedAt: start, files: 2, bytes: 7, seq: 0, current: false }
    ])

    await rollback(host.components, { name: NAME, root: one.root })
    // a rollback changes which one is live, not the versions' numbers
    expect((await versions(host.components, { name: NAME })).map(v => [v.root, v.seq, v.current])).toEqual([[two.root, 1, false], [one.root, 0, true]])
  })

  it('for a site stored before versions were kept, lists its current version; none without its blocks or for a name not hosted', async () => {
    const host = await fakeHost()
    const site = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'one' }) })
    const older = { ...site, versions: undefined }
    await host.store.putSite(older)
    expect(await versions(host.components, { name: NAME })).toEqual([{ root: site.root, publishedAt: site.publishedAt, files: 1, bytes: 3, seq: site.seq, current: true }])

    await host.store.putSite({ ...older, hasContent: false })
    expect(await versions(host.components, { name: NAME })).toEqual([])
    expect(await versions(host.components, { name: 'bob.wia.home' })).toEqual([])
  })
})
