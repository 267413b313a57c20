import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import toBuffer from 'it-to-buffer'
import { createHeliaLight } from 'helia'
import { afterEach, describe, expect, it } from 'vitest'
import { KeptSites } from './kept-sites.js'
import type { KeptSitesInit } from './kept-sites.js'
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

/** Kept sites over a Helia without libp2p: only pins, imports and collections are used here. */
function keptSites (helia: Helia): KeptSites {
  return new KeptSites({ helia: helia as unknown as KeptSitesInit['helia'], minPowBits: 0, hostedNames: async () => [] }, 1024 * 1024)
}

/** A site of `files` (name → text), imported but not pinned; returns its root. */
async function importSite (helia: Helia, files: Record<string, string>): Promise<CID> {
  const fs = unixfs(helia)
  let root = await fs.addDirectory()
  for (const [name, text] of Object.entries(files)) {
    root = await fs.cp(await fs.addBytes(new TextEncoder().encode(text)), root, name)
  }
  return root
}

/** A site imported through {@link KeptSites.importing}, as a publish does; returns its root. */
async function hostSite (sites: KeptSites, helia: Helia, files: Record<string, string>): Promise<CID> {
  const { root } = await sites.importing(async () => ({ root: await importSite(helia, files) }))
  return root
}

async function read (helia: Helia, root: CID, path: string): Promise<string> {
  return new TextDecoder().decode(await toBuffer(unixfs(helia).cat(root, { path, offline: true })))
}

describe('KeptSites.release', () => {
  it('deletes a released version\'s blocks, keeping those another hosted site shares', async () => {
    const helia = await startHelia()
    const sites = keptSites(helia)
    const gone = await hostSite(sites, helia, { 'index.html': 'going away', 'shared.css': 'body{}' })
    const kept = await hostSite(sites, helia, { 'index.html': 'staying', 'shared.css': 'body{}' })
    await expect.poll(async () => await helia.pins.isPinned(kept)).toBe(true)

    sites.release(gone)

    await expect.poll(async () => await helia.blockstore.has(gone)).toBe(false)
    expect(await helia.pins.isPinned(gone)).toBe(false)
    expect(await read(helia, kept, 'shared.css')).toBe('body{}')
    expect(await read(helia, kept, 'index.html')).toBe('staying')
  })

  it('never deletes the blocks of an import under way, and collects once it is done', async () => {
    const helia = await startHelia()
    const sites = keptSites(helia)
    const gone = await hostSite(sites, helia, { 'index.html': 'old version' })
    await expect.poll(async () => await helia.pins.isPinned(gone)).toBe(true)

    let finishImport: () => void = () => {}
    const imported = new Promise<void>(resolve => { finishImport = resolve })
    let importedRoot: CID | undefined
    const publishing = sites.importing(async () => {
      importedRoot = await importSite(helia, { 'index.html': 'new version' })
      await imported
      return { root: importedRoot }
    })
    await expect.poll(() => importedRoot).toBeDefined()
    const root = importedRoot as CID

    sites.release(gone)
    await expect.poll(async () => await helia.pins.isPinned(gone)).toBe(false)
    // the release waits for the import: nothing collected yet
    expect(await helia.blockstore.has(gone)).toBe(true)
    expect(await read(helia, root, 'index.html')).toBe('new version')

    finishImport()
    await publishing
    await expect.poll(async () => await helia.blockstore.has(gone)).toBe(false)
    expect(await helia.pins.isPinned(root)).toBe(true)
    expect(await read(helia, root, 'index.html')).toBe('new version')
  })

  it('releasing a version twice or one never stored deletes nothing else', async () => {
    const helia = await startHelia()
    const sites = keptSites(helia)
    const root = await hostSite(sites, helia, { 'index.html': 'here' })
    const other = await importSite(helia, { 'index.html': 'never pinned here' })
    await expect.poll(async () => await helia.pins.isPinned(root)).toBe(true)

    sites.release(other)
    sites.release(other)
    await expect.poll(async () => await helia.blockstore.has(other)).toBe(false)
    expect(await read(helia, root, 'index.html')).toBe('here')
  })
})
