import { describe, expect, it } from 'vitest'
import { blockBytes, ownBytes } from './block-bytes.js'

describe('blockBytes', () => {
  it('returns a block yielded in one chunk as it is, without a copy', async () => {
    const block = new Uint8Array(1024 * 1024).fill(7)
    expect(await blockBytes((async function * () { yield block })())).toBe(block)
  })

  it('joins a block yielded in several chunks once, in order', async () => {
    const chunks = [new Uint8Array([1, 2]), new Uint8Array([3]), new Uint8Array([4, 5, 6])]
    expect([...await blockBytes(chunks)]).toEqual([1, 2, 3, 4, 5, 6])
    expect([...await blockBytes((async function * () { yield * chunks })())]).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('gives an empty block for no chunks', async () => {
    expect((await blockBytes([])).byteLength).toBe(0)
  })
})

describe('ownBytes', () => {
  it('returns bytes that span their whole buffer as they are', () => {
    const bytes = new Uint8Array([1, 2, 3])
    expect(ownBytes(bytes)).toBe(bytes)
  })

  it('copies a view into a larger buffer onto a buffer of its own', () => {
    const buffer = new Uint8Array(1024 * 1024).fill(9)
    buffer.set([1, 2, 3], 4096)
    const own = ownBytes(buffer.subarray(4096, 4099))
    expect([...own]).toEqual([1, 2, 3])
    expect(own.buffer.byteLength).toBe(3)
  })

  it('copies a Node Buffer view too (whose slice() is a view, not a copy), leaving the buffer it came from as it was', () => {
    // a bitswap message read from a WebSocket in Node: a Buffer, and each block a subarray of it
    const message = Buffer.alloc(1024 * 1024, 9)
    message.set([1, 2, 3], 4096)
    const own = ownBytes(message.subarray(4096, 4099))
    expect([...own]).toEqual([1, 2, 3])
    expect(own.buffer.byteLength).toBe(3)
    own[0] = 42
    expect(message[4096]).toBe(1)
  })
})
