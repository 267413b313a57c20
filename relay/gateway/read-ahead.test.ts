import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import toBuffer from 'it-to-buffer'
import { describe, expect, it } from 'vitest'
import { dagPbBlock, rawBlock } from '../../test/fixtures/blocks.js'
import { gc } from '../../test/fixtures/gc.js'
import { allChildren, fileChildren, readingAhead } from './read-ahead.js'
import type { GatewayBlockstore } from './blockstore.js'
import type { CID } from 'multiformats/cid'

/** A network holding `blocks` (by CID string), and the CIDs asked of it in order. */
function networkOf (blocks: Map<string, Uint8Array>): { network: GatewayBlockstore, asked: string[] } {
  const asked: string[] = []
  const network: GatewayBlockstore = {
    has: async () => false,
    get: async function * (cid) {
      asked.push(cid.toString())
      yield blocks.get(cid.toString())!
    }
  }
  return { network, asked }
}

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
    const reader = readingAhead(store, network, { signal: new AbortController().signal, timeoutMs: 100, children: allChildren })
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
    const { network, asked } = networkOf(blocks)
    const store = {
      get: async function * (cid: CID) { yield * network.get(cid) }
    }
    const reader = readingAhead(store, network, { signal: new AbortController().signal, timeoutMs: 1_000, children: allChildren })
    await toBuffer(reader.get(root.cid))
    await toBuffer(reader.get(dirA.cid))
    // the walk has not read directory B yet: its files were asked when it came
    expect(asked).toEqual(expect.arrayContaining([files[2]!.cid.toString(), files[3]!.cid.toString()]))
    for (const file of files) expect(await toBuffer(reader.get(file.cid))).toEqual(file.bytes)
    // each block read from the network once
    expect(asked.length).toBe(blocks.size)
  })

  it('keeps at most maxBlocks ahead, and asks the next children as the walk takes blocks, in order', async () => {
    const leaves = await Promise.all(Array.from({ length: 10 }, async (_, i) => rawBlock(`leaf ${i}`)))
    const file = await dagPbBlock(leaves.map(leaf => leaf.cid))
    const blocks = new Map([file, ...leaves].map(({ cid, bytes }) => [cid.toString(), bytes]))
    const { network, asked } = networkOf(blocks)
    const reader = readingAhead({ get: async function * (cid: CID) { yield * network.get(cid) } }, network, { signal: new AbortController().signal, timeoutMs: 1_000, children: allChildren, maxBlocks: 3 })
    await toBuffer(reader.get(file.cid))
    expect(asked.slice(1)).toEqual(leaves.slice(0, 3).map(leaf => leaf.cid.toString()))
    for (const [i, leaf] of leaves.entries()) {
      expect(await toBuffer(reader.get(leaf.cid))).toEqual(leaf.bytes)
      // the walk took one: the next child was asked, never more than 3 ahead
      expect(asked.length).toBe(1 + Math.min(leaves.length, i + 4))
    }
    expect(asked).toEqual([file, ...leaves].map(b => b.cid.toString()))
  })
})

describe('fileChildren', () => {
  /** A UnixFS file node over leaves of `sizes` bytes (dag-pb, `blockSizes` set). */
  async function fileNode (sizes: number[]): Promise<{ node: dagPb.PBNode, leaves: CID[] }> {
    const leaves = await Promise.all(sizes.map(async (size, i) => (await rawBlock(String(i).repeat(size))).cid))
    const data = new UnixFS({ type: 'file', blockSizes: sizes.map(BigInt) })
    return { node: dagPb.prepare({ Data: data.marshal(), Links: leaves.map(Hash => ({ Hash, Tsize: 1 })) }), leaves }
  }

  it('names every leaf of a file, and those holding bytes of a range', async () => {
    const { node, leaves } = await fileNode([10, 10, 10, 10])
    expect(fileChildren()(node)).toEqual(leaves)
    expect(fileChildren({ offset: 12, length: 10 })(node)).toEqual(leaves.slice(1, 3))
    expect(fileChildren({ offset: 35, length: 100 })(node)).toEqual(leaves.slice(3))
  })

  it('names no child of a directory', async () => {
    const { cid } = await rawBlock('a file')
    const directory = dagPb.prepare({ Data: new UnixFS({ type: 'directory' }).marshal(), Links: [{ Hash: cid, Name: 'a', Tsize: 6 }] })
    expect(fileChildren()(directory)).toEqual([])
  })
})
