import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import drain from 'it-drain'
import toBuffer from 'it-to-buffer'
import { createHeliaLight } from 'helia'
import { afterEach, describe, expect, it } from 'vitest'
import { discardRoot } from './discard.js'
import type { Helia } from '@helia/interface'
import type { CID } from 'multiformats/cid'

const started: Helia[] = []
afterEach(async () => { await Promise.all(started.splice(0).map(async helia => { await helia.stop() })) })

async function startHelia (): Promise<Helia> {
  const helia = createHeliaLight({ blockstore: new MemoryBlockstore(), datastore: new MemoryDatastore() })
  await helia.start()
  started.push(helia)
  return helia
}

/** A pinned site of `files` (name → text); returns its root. */
async function pinnedSite (helia: Helia, files: Record<string, string>): Promise<CID> {
  const fs = unixfs(helia)
  let root = await fs.addDirectory()
  for (const [name, text] of Object.entries(files)) {
    root = await fs.cp(await fs.addBytes(new TextEncoder().encode(text)), root, name)
  }
  await drain(helia.pins.add(root))
  return root
}

describe('discardRoot', () => {
  it('unpins a root and deletes its blocks, keeping those another pinned site shares and blocks not yet pinned', async () => {
    const helia = await startHelia()
    const gone = await pinnedSite(helia, { 'index.html': 'going away', 'shared.css': 'body{}' })
    const kept = await pinnedSite(helia, { 'index.html': 'staying', 'shared.css': 'body{}' })
    // a publish under way: imported, not pinned yet, nothing in common with `gone`
    const importing = await unixfs(helia).addBytes(new TextEncoder().encode('being imported'))

    expect(await discardRoot(helia, gone)).toBeGreaterThan(0)
    expect(await helia.pins.isPinned(gone)).toBe(false)
    expect(await helia.blockstore.has(gone)).toBe(false)
    const fs = unixfs(helia)
    expect(new TextDecoder().decode(await toBuffer(fs.cat(kept, { path: 'shared.css', offline: true })))).toBe('body{}')
    expect(new TextDecoder().decode(await toBuffer(fs.cat(kept, { path: 'index.html', offline: true })))).toBe('staying')
    expect(await helia.blockstore.has(importing)).toBe(true)
  })

  it('deletes nothing more for a root already discarded or never stored', async () => {
    const helia = await startHelia()
    const root = await pinnedSite(helia, { 'index.html': 'once' })
    await discardRoot(helia, root)
    expect(await discardRoot(helia, root)).toBe(0)
  })
})
