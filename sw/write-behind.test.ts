import { MemoryBlockstore } from 'blockstore-core'
import type { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { rawBlock as block } from '../test/fixtures/blocks.js'
import { WriteBehindBlockstore } from './write-behind.js'
import type { Blockstore } from 'interface-blockstore'

async function read (store: Blockstore, cid: CID): Promise<string> {
  const chunks: Uint8Array[] = []
  for await (const chunk of store.get(cid)) chunks.push(chunk)
  return new TextDecoder().decode(Buffer.concat(chunks))
}

/** A lasting store whose writes wait until `release()` (a slow IndexedDB), or fail. */
function slowStore (fail = false): { store: MemoryBlockstore, release: () => void } {
  const store = new MemoryBlockstore()
  let release = (): void => {}
  const gate = new Promise<void>(resolve => { release = resolve })
  const put = store.put.bind(store)
  store.put = async (cid, value, options) => {
    await gate
    if (fail) throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' })
    return put(cid, value, options)
  }
  return { store, release }
}

describe('WriteBehindBlockstore', () => {
  it('returns a put before the lasting write lands, and serves the block from memory meanwhile', async () => {
    const lasting = slowStore()
    const store = new WriteBehindBlockstore(new MemoryBlockstore(), lasting.store)
    const { cid, bytes } = await block('hello')
    await store.put(cid, bytes)
    expect(await read(store, cid)).toBe('hello')
    expect(await lasting.store.has(cid)).toBe(false)
    lasting.release()
    await store.settled()
    expect(await read(lasting.store, cid)).toBe('hello')
  })

  it('writes once no block came for the quiet time, or at once past its bound of bytes waiting', async () => {
    const lasting = new MemoryBlockstore()
    const store = new WriteBehindBlockstore(new MemoryBlockstore(), lasting, { quietMs: 300, waitingMaxBytes: 12 })
    const [a, b, c] = [await block('first'), await block('second'), await block('third, longer')]
    await store.put(a.cid, a.bytes)
    await new Promise(resolve => setTimeout(resolve, 200))
    await store.put(b.cid, b.bytes)
    // a burst: nothing written 300 ms after its first block, the 300 ms of quiet not reached
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(await lasting.has(a.cid)).toBe(false)
    await new Promise(resolve => setTimeout(resolve, 400))
    expect([await lasting.has(a.cid), await lasting.has(b.cid)]).toEqual([true, true])
    // 13 bytes waiting, over the bound of 12: written without the quiet time
    await store.put(c.cid, c.bytes)
    await new Promise(resolve => setTimeout(resolve, 5))
    expect(await lasting.has(c.cid)).toBe(true)
  })

  it('counts a read from memory as activity: the writes wait until the blocks are neither put nor read for the quiet time', async () => {
    const lasting = new MemoryBlockstore()
    const store = new WriteBehindBlockstore(new MemoryBlockstore(), lasting, { quietMs: 600 })
    const { cid, bytes } = await block('streamed to a page')
    await store.put(cid, bytes)
    // a response reads the block 300 ms and 600 ms after it came: 750 ms after the put, not quiet for 600 ms yet
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(await read(store, cid)).toBe('streamed to a page')
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(await read(store, cid)).toBe('streamed to a page')
    await new Promise(resolve => setTimeout(resolve, 150))
    expect(await lasting.has(cid)).toBe(false)
    await new Promise(resolve => setTimeout(resolve, 700))
    expect(await lasting.has(cid)).toBe(true)
  })

  it('writes a block it holds in memory once, however often it is put', async () => {
    const lasting = new MemoryBlockstore()
    let writes = 0
    const put = lasting.put.bind(lasting)
    lasting.put = async (cid, value, options) => { writes++; return put(cid, value, options) }
    const store = new WriteBehindBlockstore(new MemoryBlockstore(), lasting)
    const { cid, bytes } = await block('twice')
    await store.put(cid, bytes)
    await store.put(cid, bytes)
    await store.settled()
    await store.put(cid, bytes)
    await store.settled()
    expect(writes).toBe(1)
  })

  it('reads what only the lasting store holds (an earlier visit)', async () => {
    const lasting = new MemoryBlockstore()
    const { cid, bytes } = await block('from last time')
    await lasting.put(cid, bytes)
    const store = new WriteBehindBlockstore(new MemoryBlockstore(), lasting)
    expect(await store.has(cid)).toBe(true)
    expect(await read(store, cid)).toBe('from last time')
  })

  it('drops written blocks from memory past its bound, oldest first, and reads them from the lasting store', async () => {
    const memory = new MemoryBlockstore()
    const lasting = new MemoryBlockstore()
    const store = new WriteBehindBlockstore(memory, lasting, { memoryBytes: 10 })
    const blocks = [await block('first 6'), await block('second'), await block('third!')]
    for (const { cid, bytes } of blocks) await store.put(cid, bytes)
    await store.settled()
    // 6 bytes each, 10 kept: only the latest stays in memory
    expect(await Promise.all(blocks.map(async ({ cid }) => memory.has(cid)))).toEqual([false, false, true])
    expect(await Promise.all(blocks.map(async ({ cid }) => read(store, cid)))).toEqual(['first 6', 'second', 'third!'])
  })

  it('never drops a block from memory while its lasting write is under way', async () => {
    const memory = new MemoryBlockstore()
    const lasting = slowStore()
    const store = new WriteBehindBlockstore(memory, lasting.store, { memoryBytes: 0 })
    const { cid, bytes } = await block('pending')
    await store.put(cid, bytes)
    expect(await read(store, cid)).toBe('pending')
    lasting.release()
    await store.settled()
    expect(await memory.has(cid)).toBe(false)
    expect(await read(store, cid)).toBe('pending')
  })

  it('keeps a block whose lasting write failed in memory, without throwing', async () => {
    const lasting = slowStore(true)
    const store = new WriteBehindBlockstore(new MemoryBlockstore(), lasting.store)
    const { cid, bytes } = await block('no room')
    await store.put(cid, bytes)
    lasting.release()
    await store.settled()
    expect(await lasting.store.has(cid)).toBe(false)
    expect(await read(store, cid)).toBe('no room')
  })

  it('stores chunked values whole, and lists and deletes after pending writes land', async () => {
    const lasting = slowStore()
    const store = new WriteBehindBlockstore(new MemoryBlockstore(), lasting.store)
    const { cid } = await block('chunked')
    await store.put(cid, [new TextEncoder().encode('chun'), new TextEncoder().encode('ked')])
    const listing = (async () => { const all = []; for await (const pair of store.getAll()) all.push(pair.cid.toString()); return all })()
    lasting.release()
    expect(await listing).toEqual([cid.toString()])
    await store.delete(cid)
    expect(await store.has(cid)).toBe(false)
  })
})
