import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LevelBlockstore } from 'blockstore-level'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { compactable, StoreCompaction } from './store-compaction.js'

/** Bytes of every file in `dir` (LevelDB's tables and logs); a table LevelDB's own background compaction removes meanwhile counts nothing. */
async function bytesOnDisk (dir: string): Promise<number> {
  let total = 0
  for (const file of await readdir(dir)) {
    total += await stat(join(dir, file)).then(({ size }) => size, (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return 0
      throw err
    })
  }
  return total
}

describe('StoreCompaction', () => {
  it('gives the disk space of deleted blocks back, keeping the blocks that were not deleted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wia-compaction-'))
    const store = new LevelBlockstore(dir)
    await store.open()
    try {
      const cids: CID[] = []
      // 64 MiB of blocks: enough for LevelDB to write several table files
      for (let i = 0; i < 256; i++) {
        const bytes = randomBytes(256 * 1024)
        const cid = CID.createV1(raw.code, await sha256.digest(bytes))
        await store.put(cid, bytes)
        cids.push(cid)
      }
      const [kept, ...deleted] = cids
      for (const cid of deleted) {
        await store.delete(cid)
      }
      const before = await bytesOnDisk(dir)
      const errors: Error[] = []
      const db = compactable(store.db)
      let compacted!: () => void
      const done = new Promise<void>(resolve => { compacted = resolve })
      // resolves once the compaction the request starts has ended
      const watched = { compactRange: async (start: string, end: string) => { await db.compactRange(start, end); compacted() } }
      const compaction = new StoreCompaction(watched, { intervalMs: 0, onError: err => { errors.push(err) } })
      compaction.request()
      await done
      await compaction.stop()
      const after = await bytesOnDisk(dir)
      expect(errors).toEqual([])
      expect(before).toBeGreaterThan(60 * 1024 * 1024)
      expect(after).toBeLessThan(4 * 1024 * 1024)
      expect(await store.has(kept!)).toBe(true)
      expect(await store.has(deleted[0]!)).toBe(false)
    } finally {
      await store.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('runs one compaction for a burst of requests, and none after stop', async () => {
    let runs = 0
    const compaction = new StoreCompaction({ compactRange: async () => { runs++ } }, { intervalMs: 50 })
    for (let i = 0; i < 10; i++) compaction.request()
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(runs).toBe(1)
    compaction.request()
    await compaction.stop()
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(runs).toBe(1)
  })

  it('refuses a LevelDB binding that cannot compact', () => {
    expect(() => compactable({})).toThrow(TypeError)
  })
})
