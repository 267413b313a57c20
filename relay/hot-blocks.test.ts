import { MemoryBlockstore } from 'blockstore-core'
import toBuffer from 'it-to-buffer'
import { describe, expect, it } from 'vitest'
import { rawBlock } from '../test/fixtures/blocks.js'
import { CheckedBlockstore } from '../src/trustless/index.js'
import { HotBlocks } from './hot-blocks.js'
import type { CID } from 'multiformats/cid'

/** A store that counts its reads. */
function counting (store: MemoryBlockstore): { store: MemoryBlockstore, reads: () => number } {
  let reads = 0
  const get = store.get.bind(store)
  store.get = (cid: CID, options) => { reads++; return get(cid, options) }
  return { store, reads: () => reads }
}

describe('HotBlocks', () => {
  it('reads a block from its store once, then from memory', async () => {
    const block = await rawBlock('hello')
    const { store, reads } = counting(new MemoryBlockstore())
    await store.put(block.cid, block.bytes)
    const hot = new HotBlocks(store)
    expect(await toBuffer(hot.get(block.cid))).toEqual(block.bytes)
    expect(await toBuffer(hot.get(block.cid))).toEqual(block.bytes)
    expect(reads()).toBe(1)
    expect(hot.bytes).toBe(block.bytes.byteLength)
  })

  it('keeps at most its bound, the least recently read out first, and no block over an eighth of it', async () => {
    // 9 blocks of 10 bytes under a bound of 80: the one read least recently goes
    const blocks = await Promise.all('abcdefghi'.split('').map(async letter => rawBlock(letter.repeat(10))))
    const big = await rawBlock('x'.repeat(11))
    const { store, reads } = counting(new MemoryBlockstore())
    for (const { cid, bytes } of [...blocks, big]) await store.put(cid, bytes)
    const hot = new HotBlocks(store, { maxBytes: 80 })
    for (const { cid } of blocks.slice(0, 8)) await toBuffer(hot.get(cid))
    await toBuffer(hot.get(blocks[0]!.cid))
    await toBuffer(hot.get(blocks[8]!.cid))
    expect(hot.bytes).toBe(80)
    expect(reads()).toBe(9)
    await toBuffer(hot.get(blocks[0]!.cid))
    expect(reads()).toBe(9)
    await toBuffer(hot.get(blocks[1]!.cid))
    expect(reads()).toBe(10)
    await toBuffer(hot.get(big.cid))
    await toBuffer(hot.get(big.cid))
    expect(reads()).toBe(12)
  })

  it('keeps nothing its store refused: an altered block is never served from memory', async () => {
    const block = await rawBlock('hello')
    const disk = new MemoryBlockstore()
    await disk.put(block.cid, new TextEncoder().encode('forged'))
    const hot = new HotBlocks(new CheckedBlockstore(disk))
    await expect(toBuffer(hot.get(block.cid))).rejects.toMatchObject({ name: 'BlockHashMismatchError' })
    expect(hot.bytes).toBe(0)
    await disk.put(block.cid, block.bytes)
    expect(await toBuffer(hot.get(block.cid))).toEqual(block.bytes)
    expect(await hot.has(block.cid)).toBe(true)
  })
})
