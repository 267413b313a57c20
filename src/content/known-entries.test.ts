import { CID } from 'multiformats/cid'
import { describe, expect, it, vi } from 'vitest'
import { createKnownEntries, knownEntries } from './known-entries.js'
import type { SiteEntryStats, SiteFiles } from './files.js'

const DIR = CID.parse('bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi')
const FILE = CID.parse('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')

/** Files over a stand-in directory with one entry, `a.html` (unit test of the memo only). */
function files (): { files: SiteFiles, stat: ReturnType<typeof vi.fn> } {
  const stat = vi.fn(async (_cid: CID, options: { path?: string } = {}): Promise<SiteEntryStats> => {
    if (options.path !== 'a.html') throw Object.assign(new Error('no such entry'), { name: 'NotFoundError' })
    return { cid: FILE, type: 'file', size: 3n }
  })
  return { files: { stat, cat: async function * () { yield new Uint8Array([1, 2, 3]) } }, stat }
}

describe('knownEntries', () => {
  it('reads a directory entry once, then answers from memory', async () => {
    const { files: inner, stat } = files()
    const known = knownEntries(inner, createKnownEntries())
    expect(await known.stat(DIR, { path: 'a.html' })).toEqual({ cid: FILE, type: 'file', size: 3n })
    expect(await known.stat(DIR, { path: 'a.html' })).toEqual({ cid: FILE, type: 'file', size: 3n })
    expect(stat).toHaveBeenCalledTimes(1)
  })

  it('remembers an entry\'s CID on bytes of its own, not as a view into its directory block', async () => {
    // the exporter hands out a link's CID as a subarray of the directory block it decoded
    const block = new Uint8Array(64 * 1024)
    block.set(FILE.bytes, 1000)
    const inBlock = CID.decode(block.subarray(1000, 1000 + FILE.bytes.byteLength))
    const known = knownEntries({ stat: async () => ({ cid: inBlock, type: 'file', size: 3n }), cat: async function * () {} }, createKnownEntries())
    await known.stat(DIR, { path: 'a.html' })
    const remembered = await known.stat(DIR, { path: 'a.html' })
    expect(remembered.cid.equals(FILE)).toBe(true)
    expect(remembered.cid.bytes.buffer.byteLength).toBe(FILE.bytes.byteLength)
  })

  it('looks up a missing entry every time and passes its error on', async () => {
    const { files: inner, stat } = files()
    const known = knownEntries(inner, createKnownEntries())
    await expect(known.stat(DIR, { path: 'b.html' })).rejects.toMatchObject({ name: 'NotFoundError' })
    await expect(known.stat(DIR, { path: 'b.html' })).rejects.toMatchObject({ name: 'NotFoundError' })
    expect(stat).toHaveBeenCalledTimes(2)
  })

  it('keeps entries of different directories apart, and at most its bound', async () => {
    const { files: inner, stat } = files()
    const memory = createKnownEntries(1)
    const known = knownEntries(inner, memory)
    await known.stat(DIR, { path: 'a.html' })
    await known.stat(FILE, { path: 'a.html' })
    expect(stat).toHaveBeenCalledTimes(2)
    await known.stat(DIR, { path: 'a.html' })
    await known.stat(FILE, { path: 'a.html' })
    await known.stat(CID.parse('bafkqaaa'), { path: 'a.html' })
    // quick-lru keeps between maxSize and twice maxSize entries
    expect(memory.size).toBeLessThanOrEqual(2)
  })

  it('shares a lookup under way with the requests that want the same entry meanwhile; a caller that leaves stops only its own wait', async () => {
    let finish: (stats: SiteEntryStats) => void = () => {}
    const stat = vi.fn(async () => new Promise<SiteEntryStats>(resolve => { finish = resolve }))
    const known = knownEntries({ stat, cat: async function * () {} }, createKnownEntries())
    const leaving = new AbortController()
    const first = known.stat(DIR, { path: 'a.html', signal: leaving.signal })
    const second = known.stat(DIR, { path: 'a.html' })
    leaving.abort(new Error('client went away'))
    await expect(first).rejects.toThrow('client went away')
    finish({ cid: FILE, type: 'file', size: 3n })
    expect(await second).toEqual({ cid: FILE, type: 'file', size: 3n })
    expect(await known.stat(DIR, { path: 'a.html' })).toEqual({ cid: FILE, type: 'file', size: 3n })
    expect(stat).toHaveBeenCalledTimes(1)
  })

  it('looks an entry up again through its own files when the shared lookup fails (the first request\'s reads ended with it)', async () => {
    let fail: (err: Error) => void = () => {}
    const firstStat = vi.fn(async () => new Promise<SiteEntryStats>((_resolve, reject) => { fail = reject }))
    const memory = createKnownEntries()
    const first = knownEntries({ stat: firstStat, cat: async function * () {} }, memory).stat(DIR, { path: 'a.html' })
    const { files: own, stat: ownStat } = files()
    const second = knownEntries(own, memory).stat(DIR, { path: 'a.html' })
    fail(Object.assign(new Error('the first request was cancelled'), { name: 'AbortError' }))
    await expect(first).rejects.toMatchObject({ name: 'AbortError' })
    expect(await second).toEqual({ cid: FILE, type: 'file', size: 3n })
    expect(ownStat).toHaveBeenCalledTimes(1)
    // and it is remembered from then on
    expect(await knownEntries(own, memory).stat(DIR, { path: 'a.html' })).toEqual({ cid: FILE, type: 'file', size: 3n })
    expect(ownStat).toHaveBeenCalledTimes(1)
  })
})
