import { MemoryBlockstore } from 'blockstore-core'
import { describe, expect, it } from 'vitest'
import { rawBlock as block } from '../../../../../test/fixtures/blocks.js'
import { ImportWrites } from './import-writes.js'

describe('ImportWrites', () => {
  it('counts the bytes written, refuses puts after one failed, and settles only once the puts under way landed', async () => {
    const store = new MemoryBlockstore()
    const [a, slow, failing, late] = await Promise.all(['a', 'slow', 'failing', 'late'].map(block))
    let landSlow: () => void = () => {}
    const put = store.put.bind(store)
    const writes = new ImportWrites({
      get: store.get.bind(store),
      has: store.has.bind(store),
      put: async (cid, bytes, options) => {
        if (cid.equals(failing!.cid)) throw Object.assign(new Error('QuotaExceededError'), { name: 'PutFailedError' })
        if (cid.equals(slow!.cid)) await new Promise<void>(resolve => { landSlow = resolve })
        return put(cid, bytes, options)
      }
    })
    await writes.blockstore.put(a!.cid, a!.bytes)
    expect(writes.writtenBytes).toBe(1)

    const slowPut = writes.blockstore.put(slow!.cid, slow!.bytes)
    await expect(writes.blockstore.put(failing!.cid, failing!.bytes)).rejects.toMatchObject({ name: 'PutFailedError' })
    expect(writes.signal.aborted).toBe(true)
    expect(writes.signal.reason).toMatchObject({ name: 'PutFailedError' })
    await expect(writes.blockstore.put(late!.cid, late!.bytes)).rejects.toMatchObject({ name: 'PutFailedError' })

    let settled = false
    const settling = writes.settled().then(() => { settled = true })
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(settled).toBe(false)
    landSlow()
    await settling
    await slowPut
    expect(await store.has(slow!.cid)).toBe(true)
    expect(await store.has(late!.cid)).toBe(false)
    expect(writes.writtenBytes).toBe(1 + 'slow'.length)
  })
})
