import { MemoryBlockstore } from 'blockstore-core'
import toBuffer from 'it-to-buffer'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { rawBlock as block } from '../../test/fixtures/blocks.js'
import { CheckedBlockstore, refetchingCorrupt } from './checked-blockstore.js'

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
