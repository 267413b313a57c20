import toBuffer from 'it-to-buffer'
import { describe, expect, it } from 'vitest'
import { dagPbBlock, rawBlock } from '../../test/fixtures/blocks.js'
import { gc } from '../../test/fixtures/gc.js'
import { readingAhead } from './car.js'
import type { GatewayBlockstore } from './blockstore.js'
import type { CID } from 'multiformats/cid'

describe('readingAhead', () => {
  it('gives up on a child nobody sends within its bound even when garbage collection ran meanwhile, and reads it from the store', async () => {
    const { cid: child, bytes: childBytes } = await rawBlock('child')
    const { cid: parent, bytes: parentBytes } = await dagPbBlock([child])
    // the network never has the child: its read ends only when its signal aborts
    const network: GatewayBlockstore = {
      has: async () => false,
      get: async function * (_cid, options = {}) {
        await new Promise((_resolve, reject) => { options.signal?.addEventListener('abort', () => { reject(options.signal?.reason) }, { once: true }) })
        yield new Uint8Array()
      }
    }
    const store = {
      get: async function * (cid: CID) { yield cid.equals(parent) ? parentBytes : childBytes }
    }
    const reader = readingAhead(store, network, { signal: new AbortController().signal, timeoutMs: 100 })
    await toBuffer(reader.get(parent))
    for (let i = 0; i < 3; i++) {
      gc()
      await new Promise(resolve => setTimeout(resolve, 5))
    }
    const outcome = await Promise.race([toBuffer(reader.get(child)), new Promise(resolve => setTimeout(resolve, 2_000, 'still waiting'))])
    expect(outcome).toEqual(childBytes)
  })

  it('asks the children of a block it had ahead as soon as it came, before the walk reads that block', async () => {
    // a site: root -> two directories -> two files each
    const files = await Promise.all(['a1', 'a2', 'b1', 'b2'].map(rawBlock))
    const dirA = await dagPbBlock([files[0]!.cid, files[1]!.cid])
    const dirB = await dagPbBlock([files[2]!.cid, files[3]!.cid])
    const root = await dagPbBlock([dirA.cid, dirB.cid])
    const blocks = new Map([root, dirA, dirB, ...files].map(({ cid, bytes }) => [cid.toString(), bytes]))
    const asked: string[] = []
    const network: GatewayBlockstore = {
      has: async () => false,
      get: async function * (cid) {
        asked.push(cid.toString())
        yield blocks.get(cid.toString())!
      }
    }
    const store = {
      get: async function * (cid: CID) { yield * network.get(cid) }
    }
    const reader = readingAhead(store, network, { signal: new AbortController().signal, timeoutMs: 1_000 })
    await toBuffer(reader.get(root.cid))
    await toBuffer(reader.get(dirA.cid))
    // the walk has not read directory B yet: its files were asked when it came
    expect(asked).toEqual(expect.arrayContaining([files[2]!.cid.toString(), files[3]!.cid.toString()]))
    for (const file of files) expect(await toBuffer(reader.get(file.cid))).toEqual(file.bytes)
    // each block read from the network once
    expect(asked.length).toBe(blocks.size)
  })
})
