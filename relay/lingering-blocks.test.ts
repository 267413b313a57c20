import { MemoryBlockstore } from 'blockstore-core'
import all from 'it-all'
import toBuffer from 'it-to-buffer'
import { describe, expect, it } from 'vitest'
import { rawBlock } from '../test/fixtures/blocks.js'
import { LingeringBlocks } from './lingering-blocks.js'

/** A store that counts its writes. */
function counting (store: MemoryBlockstore): { store: MemoryBlockstore, writes: () => number } {
  let writes = 0
  const put = store.put.bind(store)
  store.put = async (cid, bytes, options) => { writes++; return put(cid, bytes, options) }
  return { store, writes: () => writes }
}

describe('LingeringBlocks', () => {
  it('holds a block put in memory for its linger time, never in the store under it, and then has it no more', async () => {
    const block = await rawBlock('fetched for a visitor')
    const { store, writes } = counting(new MemoryBlockstore())
    const lingerMs = 150
    const lingering = new LingeringBlocks(store, { lingerMs })
    const put = performance.now()
    await lingering.put(block.cid, block.bytes)
    expect(await toBuffer(lingering.get(block.cid))).toEqual(block.bytes)
    expect(lingering.bytes).toBe(block.bytes.byteLength)
    expect(writes()).toBe(0)
    // read every 10 ms: reads do not extend it, so it still leaves (not before lingerMs after its put)
    while (await lingering.has(block.cid) && performance.now() - put < 5_000) {
      await toBuffer(lingering.get(block.cid))
      await new Promise(resolve => setTimeout(resolve, 10))
    }
    const gone = performance.now() - put
    expect(gone).toBeGreaterThanOrEqual(lingerMs - 5)
    expect(gone).toBeLessThan(5_000)
    expect(lingering.bytes).toBe(0)
    await expect(toBuffer(lingering.get(block.cid))).rejects.toMatchObject({ name: 'NotFoundError' })
  })

  it('reads, has and deletes what the store under it holds', async () => {
    const kept = await rawBlock('kept by an earlier run with a cache')
    const store = new MemoryBlockstore()
    await store.put(kept.cid, kept.bytes)
    const lingering = new LingeringBlocks(store)
    expect(await lingering.has(kept.cid)).toBe(true)
    expect(await toBuffer(lingering.get(kept.cid))).toEqual(kept.bytes)
    expect((await all(lingering.getAll())).map(pair => pair.cid.toString())).toEqual([kept.cid.toString()])
    await lingering.delete(kept.cid)
    expect(await store.has(kept.cid)).toBe(false)
  })

  it('holds at most its bound, the block put longest ago out first', async () => {
    const blocks = await Promise.all('abc'.split('').map(async letter => rawBlock(letter.repeat(10))))
    const lingering = new LingeringBlocks(new MemoryBlockstore(), { maxBytes: 25 })
    for (const { cid, bytes } of blocks) await lingering.put(cid, bytes)
    expect(await Promise.all(blocks.map(async ({ cid }) => lingering.has(cid)))).toEqual([false, true, true])
    expect(lingering.bytes).toBe(20)
  })

  // a message read from a WebSocket in Node is a Buffer, whose slice() is a view
  it.each([
    ['Uint8Array', (length: number): Uint8Array => new Uint8Array(length)],
    ['Buffer', (length: number): Uint8Array => Buffer.alloc(length)]
  ])('copies a block that is a view into a larger buffer (%s), so a changed message buffer does not change it', async (_kind, alloc) => {
    const block = await rawBlock('in a bitswap message')
    const message = alloc(block.bytes.byteLength + 8)
    message.set(block.bytes, 4)
    const lingering = new LingeringBlocks(new MemoryBlockstore())
    await lingering.put(block.cid, message.subarray(4, 4 + block.bytes.byteLength))
    message.fill(0)
    const [held] = await all(lingering.get(block.cid))
    expect(held).toEqual(block.bytes)
    // not a view that keeps the whole message alive
    expect(held?.buffer.byteLength).toBe(block.bytes.byteLength)
  })
})
