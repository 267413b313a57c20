import { MemoryBlockstore } from 'blockstore-core'
import toBuffer from 'it-to-buffer'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { rawBlock as block } from '../../test/fixtures/blocks.js'
import { CheckedBlockstore, refetchingCorrupt } from './checked-blockstore.js'
import type { CheckMemo } from './checked-blockstore.js'

describe('CheckedBlockstore', () => {
  it('returns a stored block whose bytes still match its CID', async () => {
    const hello = await block('hello')
    const store = new CheckedBlockstore(new MemoryBlockstore())
    await store.put(hello.cid, hello.bytes)
    expect(new TextDecoder().decode(await toBuffer(store.get(hello.cid)))).toBe('hello')
  })

  it('refuses a block changed in storage, deletes it and reports it', async () => {
    const hello = await block('hello')
    const underlying = new MemoryBlockstore()
    await underlying.put(hello.cid, new TextEncoder().encode('hellO'))
    const corrupt: string[] = []
    const store = new CheckedBlockstore(underlying, { onCorrupt: cid => corrupt.push(cid.toString()) })
    await expect(toBuffer(store.get(hello.cid))).rejects.toMatchObject({ name: 'BlockHashMismatchError', cid: hello.cid.toString() })
    expect(await store.has(hello.cid)).toBe(false)
    expect(corrupt).toEqual([hello.cid.toString()])
  })

  it('keeps a block whose hash it cannot check, and says why it will not return it', async () => {
    const blake = CID.parse('bafk2bzacecpjqb6ht5dcc4qoyciztiyvhjzj7mpt6mmhbmrohxvxvj4uumgfs')
    const store = new CheckedBlockstore(new MemoryBlockstore())
    await store.put(blake, new Uint8Array([1]))
    await expect(toBuffer(store.get(blake))).rejects.toMatchObject({ name: 'UnsupportedHashError' })
    expect(await store.has(blake)).toBe(true)
  })
})

describe('CheckedBlockstore with a memo of checked blocks', () => {
  /** A memo over a set, as the relay's `RecentChecks` is over an LRU. */
  const memo = (): CheckMemo & { keys: Set<string> } => {
    const keys = new Set<string>()
    return { keys, has: cid => keys.has(cid.toString()), add: cid => { keys.add(cid.toString()) }, delete: cid => { keys.delete(cid.toString()) } }
  }

  it('hashes a block on its first read and remembers it passed', async () => {
    const hello = await block('hello')
    const checked = memo()
    const store = new CheckedBlockstore(new MemoryBlockstore(), { checked })
    await store.put(hello.cid, hello.bytes)
    expect(checked.keys.size).toBe(0)
    expect(new TextDecoder().decode(await toBuffer(store.get(hello.cid)))).toBe('hello')
    expect([...checked.keys]).toEqual([hello.cid.toString()])
  })

  /** A store with `hello` in it, read once (so checked). */
  const readOnce = async (): Promise<{ hello: Awaited<ReturnType<typeof block>>, underlying: MemoryBlockstore, checked: ReturnType<typeof memo>, store: CheckedBlockstore }> => {
    const hello = await block('hello')
    const underlying = new MemoryBlockstore()
    const checked = memo()
    const store = new CheckedBlockstore(underlying, { checked })
    await store.put(hello.cid, hello.bytes)
    await toBuffer(store.get(hello.cid))
    return { hello, underlying, checked, store }
  }

  it('reads a block checked lately without hashing it again, and hashes it once the memo forgot it', async () => {
    const { hello, underlying, checked, store } = await readOnce()
    // the disk changes the block after its check: within the memo's window the read is not hashed
    await underlying.put(hello.cid, new TextEncoder().encode('hellO'))
    expect(new TextDecoder().decode(await toBuffer(store.get(hello.cid)))).toBe('hellO')
    // past the window (the memo forgot it) the change is caught and the block dropped
    checked.delete(hello.cid)
    await expect(toBuffer(store.get(hello.cid))).rejects.toMatchObject({ name: 'BlockHashMismatchError' })
    expect(await underlying.has(hello.cid)).toBe(false)
    expect(checked.keys.size).toBe(0)
  })

  it('forgets a deleted block, so one stored again is hashed on its next read', async () => {
    const { hello, underlying, checked, store } = await readOnce()
    await store.delete(hello.cid)
    expect(checked.keys.size).toBe(0)
    await underlying.put(hello.cid, new TextEncoder().encode('hellO'))
    await expect(toBuffer(store.get(hello.cid))).rejects.toMatchObject({ name: 'BlockHashMismatchError' })
  })
})

describe('refetchingCorrupt', () => {
  it('reads a block again once its stored copy failed the check, so a networked store fetches it', async () => {
    const hello = await block('hello')
    const disk = new MemoryBlockstore()
    await disk.put(hello.cid, new TextEncoder().encode('hellO'))
    const checked = new CheckedBlockstore(disk)
    let fetches = 0
    const networked = {
      async * get (cid: CID): AsyncGenerator<Uint8Array> {
        if (!await checked.has(cid)) {
          fetches++
          await checked.put(cid, hello.bytes)
        }
        yield * checked.get(cid)
      }
    }
    expect(new TextDecoder().decode(await toBuffer(refetchingCorrupt(networked).get(hello.cid)))).toBe('hello')
    expect(fetches).toBe(1)
  })
})
