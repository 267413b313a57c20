import { describe, expect, it } from 'vitest'
import toBuffer from './to-buffer.js'

async function * chunks (...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part)
}

describe('the worker\'s it-to-buffer', () => {
  it('returns a block that comes in one chunk as it is, without a copy', async () => {
    const block = new Uint8Array([1, 2, 3])
    const source = (async function * () { yield block })()
    expect(await toBuffer(source)).toBe(block)
    expect(toBuffer([block])).toBe(block)
  })

  it('joins several chunks in order, from a sync source without a promise (as blockstore-idb calls it)', async () => {
    expect(new TextDecoder().decode(await toBuffer(chunks('one ', 'two ', 'three')))).toBe('one two three')
    const joined = toBuffer([new Uint8Array([1]), new Uint8Array([2, 3])])
    expect(joined).toBeInstanceOf(Uint8Array)
    expect([...joined]).toEqual([1, 2, 3])
    expect([...toBuffer([])]).toEqual([])
  })
})
