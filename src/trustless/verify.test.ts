import { CarWriter } from '@ipld/car/writer'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { rawBlock as block } from '../../test/fixtures/blocks.js'
import { verifiedCarBlocks, verifyBlock } from './verify.js'

async function car (blocks: Array<{ cid: CID, bytes: Uint8Array }>): Promise<Uint8Array[]> {
  const { writer, out } = CarWriter.create([blocks[0]!.cid])
  const chunks: Uint8Array[] = []
  const collected = (async () => { for await (const chunk of out) chunks.push(chunk) })()
  for (const b of blocks) await writer.put(b)
  await writer.close()
  await collected
  return chunks
}

async function * from (chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield * chunks
}

describe('verifyBlock', () => {
  it('accepts the bytes a CID names', async () => {
    const { cid, bytes } = await block('hello')
    await expect(verifyBlock(cid, bytes)).resolves.toBeUndefined()
  })

  it('refuses one changed byte, naming the block', async () => {
    const { cid, bytes } = await block('hello')
    const altered = bytes.slice()
    altered[0] = altered[0]! ^ 1
    await expect(verifyBlock(cid, altered)).rejects.toMatchObject({ name: 'BlockHashMismatchError', cid: cid.toString() })
  })

  it('refuses a hash function it cannot check', async () => {
    const { bytes } = await block('hello')
    const blake = CID.parse('bafk2bzacecpjqb6ht5dcc4qoyciztiyvhjzj7mpt6mmhbmrohxvxvj4uumgfs')
    await expect(verifyBlock(blake, bytes)).rejects.toMatchObject({ name: 'UnsupportedHashError' })
  })
})

describe('verifiedCarBlocks', () => {
  it('yields every block of a CAR once each is checked', async () => {
    const blocks = [await block('a'), await block('b'), await block('c')]
    const seen: string[] = []
    for await (const b of verifiedCarBlocks(from(await car(blocks)))) seen.push(new TextDecoder().decode(b.bytes))
    expect(seen).toEqual(['a', 'b', 'c'])
  })

  it('stops at an altered block and never yields it', async () => {
    const good = await block('a')
    const bad = await block('b')
    const altered = { cid: bad.cid, bytes: new TextEncoder().encode('B') }
    const seen: string[] = []
    const read = (async () => {
      for await (const b of verifiedCarBlocks(from(await car([good, altered, await block('c')])))) seen.push(new TextDecoder().decode(b.bytes))
    })()
    await expect(read).rejects.toMatchObject({ name: 'BlockHashMismatchError', cid: bad.cid.toString() })
    expect(seen).toEqual(['a'])
  })

  it('yields each block on a buffer of its own, not a view into the stream', async () => {
    const blocks = [await block('a'), await block('bb'), await block('ccc')]
    // the whole CAR in one chunk, as a fast stream delivers it
    const whole = (await car(blocks)).reduce((all, chunk) => new Uint8Array([...all, ...chunk]), new Uint8Array())
    for await (const { bytes } of verifiedCarBlocks(from([whole]))) {
      expect(bytes.buffer.byteLength).toBe(bytes.byteLength)
    }
  })
})
