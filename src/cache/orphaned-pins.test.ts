import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import { createHeliaLight } from 'helia'
import { afterEach, describe, expect, it } from 'vitest'
import { releaseOrphanedPins, releasePinCutShort } from './orphaned-pins.js'
import type { Helia } from '@helia/interface'
import type { CID } from 'multiformats/cid'

async function all<T> (source: AsyncIterable<T> | Iterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of source) items.push(item)
  return items
}

const started: Helia[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map(async helia => { await helia.stop() }))
})

async function startHelia (): Promise<Helia> {
  const helia = createHeliaLight({ blockstore: new MemoryBlockstore(), datastore: new MemoryDatastore() })
  await helia.start()
  started.push(helia)
  return helia
}

/** Files in each site: one every site shares, the rest its own (`seed`). */
const FILES = ['shared.txt', ...Array.from({ length: 15 }, (_, i) => `own-${i}.txt`)]

/** A site of {@link FILES}, one block each, in one directory; returns its root. */
async function addSite (helia: Helia, seed: number): Promise<CID> {
  const fs = unixfs(helia)
  let root = await fs.addDirectory()
  for (const name of FILES) {
    const file = await fs.addBytes(new TextEncoder().encode(name === 'shared.txt' ? 'in every site' : `${name} of site ${seed}`))
    root = await fs.cp(file, root, name)
  }
  return root
}

/** Pin `root` as a tab or relay killed in the middle of it would have: `blocks` blocks marked, no pin stored. */
async function pinCutShort (helia: Helia, root: CID, blocks: number): Promise<void> {
  const controller = new AbortController()
  let marked = 0
  await expect(all((async function * () {
    for await (const cid of helia.pins.add(root, { signal: controller.signal })) {
      if (++marked === blocks) controller.abort()
      yield cid
    }
  })())).rejects.toThrow()
  await expect(helia.pins.get(root)).rejects.toThrow()
}

async function blockCount (helia: Helia): Promise<number> {
  return (await all(helia.blockstore.getAll())).length
}

describe('releaseOrphanedPins', () => {
  it('releases the blocks a pin cut short left held, so garbage collection deletes them; pinned sites keep every block, shared ones too', async () => {
    const helia = await startHelia()
    const kept = await addSite(helia, 1)
    await all(helia.pins.add(kept))
    // the directories cp made on the way are not part of the site
    await helia.gc()
    const keptBlocks = await blockCount(helia)
    const cut = await addSite(helia, 2)
    await pinCutShort(helia, cut, 12)

    // as before the repair: Helia's collection keeps what the cut-short pin marked
    await helia.gc()
    const leftBehind = await blockCount(helia)
    expect(leftBehind).toBeGreaterThan(keptBlocks)

    const released = await releaseOrphanedPins(helia)
    expect(released).toBeGreaterThan(0)
    await helia.gc()
    expect(await blockCount(helia)).toBe(keptBlocks)
    expect(leftBehind - keptBlocks).toBeLessThanOrEqual(released)

    // the kept site is whole and still pinned, the shared file's blocks with it
    const fs = unixfs(helia)
    const files = await all(fs.ls(kept))
    expect(files.map(file => file.name).sort()).toEqual([...FILES].sort())
    for (const file of files) {
      expect((await all(fs.cat(file.cid))).length).toBe(1)
    }
    // and unpinning it releases every block: its counts were left right
    await all(helia.pins.rm(kept))
    await helia.gc()
    expect(await blockCount(helia)).toBe(0)
  })

  it('changes nothing when every mark belongs to a pin', async () => {
    const helia = await startHelia()
    const first = await addSite(helia, 3)
    const second = await addSite(helia, 4)
    await all(helia.pins.add(first))
    await all(helia.pins.add(second))
    const before = await all(helia.datastore.query({ prefix: '/pinned-block/' }))

    expect(await releaseOrphanedPins(helia)).toBe(0)
    expect(await all(helia.datastore.query({ prefix: '/pinned-block/' }))).toEqual(before)
  })
})

describe('releasePinCutShort', () => {
  it('releases only the marks of the root whose pin was cut short, while another cut-short pin (as if still under way) keeps its own', async () => {
    const helia = await startHelia()
    const kept = await addSite(helia, 5)
    await all(helia.pins.add(kept))
    await helia.gc()
    const keptBlocks = await blockCount(helia)
    const cut = await addSite(helia, 6)
    const underWay = await addSite(helia, 7)
    await pinCutShort(helia, underWay, 9)
    await pinCutShort(helia, cut, 12)
    await helia.gc()
    const beforeRelease = await blockCount(helia)

    const released = await releasePinCutShort(helia, cut)
    // 12 marked: the root and 11 files of its own (a directory lists by name: the shared file comes last)
    expect(released).toBe(12)
    await helia.gc()
    expect(await blockCount(helia)).toBe(beforeRelease - released)
    // the other add's 9 marks are all there: releasing them as left-overs frees its 9 blocks
    expect(await releaseOrphanedPins(helia)).toBe(9)
    await helia.gc()
    expect(await blockCount(helia)).toBe(keptBlocks)
    const fs = unixfs(helia)
    expect((await all(fs.ls(kept))).map(file => file.name).sort()).toEqual([...FILES].sort())
  })

  it('leaves a root whose pin was stored as it is', async () => {
    const helia = await startHelia()
    const root = await addSite(helia, 8)
    await all(helia.pins.add(root))
    const before = await all(helia.datastore.query({ prefix: '/pinned-block/' }))

    expect(await releasePinCutShort(helia, root)).toBe(0)
    expect(await all(helia.datastore.query({ prefix: '/pinned-block/' }))).toEqual(before)
  })
})
