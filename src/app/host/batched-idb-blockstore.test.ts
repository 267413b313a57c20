import 'fake-indexeddb/auto'
import { IDBBlockstore } from 'blockstore-idb'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { rawBlock as block } from '../../../test/fixtures/blocks.js'
import { blockBytes } from '../../trustless/index.js'
import { isQuotaExceeded } from './space.js'
import { BatchedIDBBlockstore } from './batched-idb-blockstore.js'

let n = 0
/** A fresh database name per test. */
const dbName = (): string => `batched-test-${++n}`

/** Call `before` as each `readwrite` transaction is opened on any database from now on (it may throw to refuse it). */
function onWriteTransaction (before: () => void): void {
  const original = IDBDatabase.prototype.transaction
  vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    if (args[1] === 'readwrite') before()
    return original.apply(this, args)
  })
}

/** The number of `readwrite` transactions opened on any database from now on. */
function countWriteTransactions (): { count: () => number } {
  let count = 0
  onWriteTransaction(() => { count++ })
  return { count: () => count }
}

afterEach(() => { vi.restoreAllMocks() })

describe('BatchedIDBBlockstore', () => {
  it('writes puts made together in one transaction, under the keys blockstore-idb reads', async () => {
    const name = dbName()
    const store = new BatchedIDBBlockstore(name)
    await store.open()
    const blocks = await Promise.all(Array.from({ length: 10 }, async (_, i) => block(`block ${i}`)))
    const writes = countWriteTransactions()
    await Promise.all(blocks.map(async ({ cid, bytes }) => store.put(cid, bytes)))
    expect(writes.count()).toBe(1)
    await store.close()

    const plain = new IDBBlockstore(name)
    await plain.open()
    for (const [i, { cid }] of blocks.entries()) {
      expect(new TextDecoder().decode(await blockBytes(plain.get(cid)))).toBe(`block ${i}`)
    }
    await plain.close()
  })

  it('writes at most maxBatchBytes per transaction, a larger block alone', async () => {
    const store = new BatchedIDBBlockstore(dbName(), { maxBatchBytes: 20 })
    await store.open()
    // 7 bytes each: two fit in 20 bytes, a third does not; the 40-byte block goes alone
    const small = await Promise.all(Array.from({ length: 4 }, async (_, i) => block(`small ${i}`)))
    const large = await block('x'.repeat(40))
    const writes = countWriteTransactions()
    await Promise.all([...small, large].map(async ({ cid, bytes }) => store.put(cid, bytes)))
    expect(writes.count()).toBe(3)
    for (const { cid } of [...small, large]) expect(await store.has(cid)).toBe(true)
    await store.close()
  })

  it('fails every put of a failed transaction with a PutFailedError naming the cause, keeping what was written before', async () => {
    const store = new BatchedIDBBlockstore(dbName())
    await store.open()
    const kept = await block('kept')
    await store.put(kept.cid, kept.bytes)
    onWriteTransaction(() => { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError') })
    const lost = await Promise.all([block('lost 1'), block('lost 2')])
    const results = await Promise.allSettled(lost.map(async ({ cid, bytes }) => store.put(cid, bytes)))
    for (const result of results) {
      expect(result.status).toBe('rejected')
      const err = (result as PromiseRejectedResult).reason as Error
      expect(err.name).toBe('PutFailedError')
      expect(isQuotaExceeded(err)).toBe(true)
    }
    vi.restoreAllMocks()
    expect(await store.has(kept.cid)).toBe(true)
    for (const { cid } of lost) expect(await store.has(cid)).toBe(false)
    // the queue goes on after a failure
    const after = await block('after')
    await store.put(after.cid, after.bytes)
    expect(await store.has(after.cid)).toBe(true)
    await store.close()
  })

  it('is not overtaken by a delete: the put queued first lands first', async () => {
    const store = new BatchedIDBBlockstore(dbName())
    await store.open()
    const { cid, bytes } = await block('short-lived')
    const put = store.put(cid, bytes)
    await store.delete(cid)
    await put
    expect(await store.has(cid)).toBe(false)
    await store.close()
  })

  it('lists a block put before getAll was called, even while its transaction is under way', async () => {
    const store = new BatchedIDBBlockstore(dbName())
    await store.open()
    const { cid, bytes } = await block('listed')
    const put = store.put(cid, bytes)
    const listed: string[] = []
    for await (const pair of store.getAll()) listed.push(pair.cid.toString())
    await put
    expect(listed).toEqual([cid.toString()])
    await store.close()
  })

  it('refuses a put whose signal was aborted, storing nothing', async () => {
    const store = new BatchedIDBBlockstore(dbName())
    await store.open()
    const { cid, bytes } = await block('aborted')
    const controller = new AbortController()
    controller.abort(new Error('stopped'))
    await expect(store.put(cid, bytes, { signal: controller.signal })).rejects.toThrow('stopped')
    await store.settled()
    expect(await store.has(cid)).toBe(false)
    await store.close()
  })

  it('takes a block given as chunks', async () => {
    const store = new BatchedIDBBlockstore(dbName())
    await store.open()
    const { cid, bytes } = await block('in two chunks')
    await store.put(cid, [bytes.subarray(0, 5), bytes.subarray(5)])
    expect(new TextDecoder().decode(await blockBytes(store.get(cid)))).toBe('in two chunks')
    await store.close()
  })

  it('stores a block read out of a larger buffer as its own bytes, not the buffer under it', async () => {
    const store = new BatchedIDBBlockstore(dbName())
    await store.open()
    const { cid, bytes } = await block('a small block in a CAR stream')
    // as `@ipld/car` yields it: a view into the buffer of the chunk that also held a 1 MiB block
    const chunk = new Uint8Array(1024 * 1024 + bytes.byteLength)
    chunk.set(bytes, 1024 * 1024)
    await store.put(cid, chunk.subarray(1024 * 1024))
    const stored = await blockBytes(store.get(cid))
    expect(stored).toEqual(bytes)
    expect(stored.buffer.byteLength).toBe(bytes.byteLength)
    await store.close()
  })
})
