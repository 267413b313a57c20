import { MemoryDatastore } from 'datastore-core'
import { createHeliaLight } from 'helia'
import { exporter } from 'ipfs-unixfs-exporter'
import { afterEach, describe, expect, it } from 'vitest'
import { pseudoRandomBytes } from '../../../../test/fixtures/bytes.js'
import { fakeHost, siteFiles } from '../../../../test/fixtures/host.js'
import { SiteNotHostedError, VersionNotKeptError } from '../errors.js'
import { diffSite } from './diff-site.js'
import { publish } from './publish.js'
import { rollback } from './rollback.js'
import { unpublish } from './unpublish.js'
import type { SiteFile } from '../../../content/index.js'
import type { FakeHost } from '../../../../test/fixtures/host.js'
import type { HostComponents } from '../components.js'
import type { DiffSiteProgressEvents } from './diff-site.js'
import type { Helia } from '@helia/interface'

const NAME = 'alice.wia.home'
const MiB = 1024 * 1024

const started: Helia[] = []
afterEach(async () => { await Promise.all(started.splice(0).map(async helia => { await helia.stop() })) })

/**
 * A fake host whose diffs read through a real Helia's blockstore over the
 * host's blocks: a block missing there would be asked of the network, unless
 * the command keeps to the blocks stored.
 */
async function hostWithHelia (): Promise<{ host: FakeHost, components: Pick<HostComponents, 'store' | 'blockstore'> }> {
  const host = await fakeHost()
  const helia = createHeliaLight({ blockstore: host.blockstore, datastore: new MemoryDatastore() })
  await helia.start()
  started.push(helia)
  return { host, components: { store: host.store, blockstore: helia.blockstore } }
}

/** A 2 MiB file (three UnixFS leaves under a root node), the same bytes each time. */
function bigFile (path: string): SiteFile {
  const bytes = pseudoRandomBytes(2 * MiB + 5)
  return { path, size: bytes.byteLength, content: async function * () { yield bytes } }
}

const FIRST = { 'index.html': '<h1>One</h1>', 'css/site.css': 'body{}', 'docs/guide/old.txt': 'old notes', 'docs/keep.txt': 'same' }

describe('diffSite', () => {
  it('lists every path added, changed, removed or unchanged, nested ones too, with sizes and totals', async () => {
    const { host, components } = await hostWithHelia()
    await publish(host.components, { label: 'alice', tld: 'home', files: [...siteFiles(FIRST), bigFile('data/blob.bin')] })

    const next = [...siteFiles({ 'index.html': '<h1>Two!</h1>', 'css/site.css': 'body{}', 'docs/keep.txt': 'same', 'docs/guide/new/deep.txt': 'new' }), bigFile('data/blob.bin')]
    const diff = await diffSite(components, { name: NAME, files: next })

    expect(diff.name).toBe(NAME)
    expect(diff.live).toEqual({ root: (await host.store.getSite(NAME))?.root, number: 1 })
    expect(diff.files).toEqual([
      { path: 'css/site.css', change: 'unchanged', bytes: 6 },
      { path: 'data/blob.bin', change: 'unchanged', bytes: 2 * MiB + 5 },
      { path: 'docs/guide/new/deep.txt', change: 'added', bytes: 3 },
      { path: 'docs/guide/old.txt', change: 'removed', bytes: 9 },
      { path: 'docs/keep.txt', change: 'unchanged', bytes: 4 },
      { path: 'index.html', change: 'changed', bytes: 13, previousBytes: 12 }
    ])
    expect(diff.totals).toEqual({
      added: { files: 1, bytes: 3 },
      changed: { files: 1, bytes: 13, previousBytes: 12 },
      removed: { files: 1, bytes: 9 },
      unchanged: { files: 3, bytes: 2 * MiB + 15 }
    })
  })

  it('finds nothing changed once the folder is published, and compares with the version rolled back to', async () => {
    const { host, components } = await hostWithHelia()
    const one = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles(FIRST) })
    const second = { ...FIRST, 'index.html': '<h1>Two</h1>' }
    await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles(second) })

    const same = await diffSite(components, { name: NAME, files: siteFiles(second) })
    expect(same.live?.number).toBe(2)
    expect(same.files.every(file => file.change === 'unchanged')).toBe(true)
    expect(same.totals.unchanged.files).toBe(4)

    await rollback(host.components, { name: NAME, root: one.root })
    const back = await diffSite(components, { name: NAME, files: siteFiles(second) })
    expect(back.live).toEqual({ root: one.root, number: 1 })
    expect(back.files.filter(file => file.change !== 'unchanged')).toEqual([{ path: 'index.html', change: 'changed', bytes: 12, previousBytes: 12 }])
  })

  it('calls every file added when this device stores no live version: a name from an imported identity, or an unpublished site', async () => {
    const { host, components } = await hostWithHelia()
    const site = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles(FIRST) })
    const expected = {
      name: NAME,
      live: undefined,
      files: [
        { path: 'css/site.css', change: 'added', bytes: 6 },
        { path: 'index.html', change: 'added', bytes: 12 }
      ],
      totals: { added: { files: 2, bytes: 18 }, changed: { files: 0, bytes: 0, previousBytes: 0 }, removed: { files: 0, bytes: 0 }, unchanged: { files: 0, bytes: 0 } }
    }
    const files = siteFiles({ 'index.html': FIRST['index.html'], 'css/site.css': FIRST['css/site.css'] })

    await host.store.putSite({ ...site, versions: undefined, hasContent: false })
    expect(await diffSite(components, { name: NAME, files })).toEqual(expected)

    await host.store.putSite(site)
    await unpublish(host.components, { name: NAME })
    expect(await diffSite(components, { name: NAME, files })).toEqual(expected)
  })

  it('throws SiteNotHostedError for a name this device does not host', async () => {
    const { components } = await hostWithHelia()
    await expect(diffSite(components, { name: 'bob.wia.home', files: siteFiles({ 'index.html': 'x' }) })).rejects.toThrow(SiteNotHostedError)
  })

  it('throws VersionNotKeptError when a block of the live version is gone, without asking the network', async () => {
    const { host, components } = await hostWithHelia()
    const site = await publish(host.components, { label: 'alice', tld: 'home', files: [...siteFiles(FIRST), bigFile('data/blob.bin')] })
    // the big file's root node: the walk reads it to tell a file from a directory
    const file = await exporter(`${site.root}/data/blob.bin`, host.blockstore)
    expect(file.type).toBe('file')
    await host.blockstore.delete(file.cid)

    await expect(diffSite(components, { name: NAME, files: siteFiles(FIRST) })).rejects.toThrow(VersionNotKeptError)
  })

  it('stops when aborted: before it starts, and while it reads the new files', async () => {
    const { host, components } = await hostWithHelia()
    await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles(FIRST) })
    const before = new AbortController()
    before.abort(new Error('not now'))
    await expect(diffSite(components, { name: NAME, files: siteFiles(FIRST) }, { signal: before.signal })).rejects.toThrow('not now')

    const during = new AbortController()
    const events: Array<DiffSiteProgressEvents['type']> = []
    const diffing = diffSite(components, { name: NAME, files: [bigFile('data/blob.bin'), bigFile('data/other.bin')] }, {
      signal: during.signal,
      onProgress: event => {
        events.push(event.type)
        if (event.type === 'diff:hash' && event.detail.bytes > 0) {
          during.abort(new Error('changed my mind'))
        }
      }
    })
    await expect(diffing).rejects.toThrow('changed my mind')
    expect(events[0]).toBe('diff:read-live')
    expect(events).toContain('diff:hash')
  })
})
