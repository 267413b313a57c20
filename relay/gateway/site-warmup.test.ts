import { unixfs } from '@helia/unixfs'
import * as dagPb from '@ipld/dag-pb'
import { MemoryBlockstore } from 'blockstore-core'
import drain from 'it-drain'
import { CID } from 'multiformats/cid'
import { toString } from 'uint8arrays/to-string'
import { describe, expect, it } from 'vitest'
import { importSite } from '../../src/content/index.js'
import { blockBytes } from '../../src/trustless/index.js'
import { localFirst } from './blockstore.js'
import { SiteWarmup } from './site-warmup.js'
import type { AbortOptions } from '@libp2p/interface'
import type { GatewayBlockstore } from './blockstore.js'
import type { SiteFile } from '../../src/content/index.js'

/** A site's files: `count` of `bytes` each, in two folders, and an index page. */
function siteFiles (count: number, bytes: number): SiteFile[] {
  const files: SiteFile[] = [{ path: 'index.html', size: 20, content: async function * () { yield new TextEncoder().encode('<h1>warm me up</h1>') } }]
  for (let i = 0; i < count; i++) {
    const content = new Uint8Array(bytes).fill(i + 1)
    files.push({ path: `${i % 2 === 0 ? 'css' : 'js'}/f${i}`, size: bytes, content: async function * () { yield content } })
  }
  return files
}

/** A host holding the site of `files`, and a relay's empty store fetching from it (Helia in miniature: a fetched block is kept, the sender named). */
async function relayAndHost (files: SiteFile[]): Promise<{ root: CID, host: MemoryBlockstore, local: MemoryBlockstore, network: GatewayBlockstore & { asked: string[] } }> {
  const host = new MemoryBlockstore()
  const { root } = await importSite(unixfs({ blockstore: host }), files)
  const local = new MemoryBlockstore()
  const asked: string[] = []
  const network = {
    asked,
    has: async (cid: CID) => local.has(cid),
    async * get (cid: CID, options?: { onProgress?: (event: { type: string, detail: unknown }) => void }) {
      if (!await local.has(cid)) {
        asked.push(cid.toString())
        options?.onProgress?.({ type: 'bitswap:block', detail: { cid, sender: { toString: () => '12D3KooWHost' } } })
        await local.put(cid, await blockBytes(host.get(cid)))
      }
      yield * local.get(cid)
    }
  } as unknown as GatewayBlockstore & { asked: string[] }
  return { root, host, local, network }
}

/** Multihashes (base64) of `cids`, sorted: a store lists its blocks by multihash, not by CID version and codec. */
function multihashes (cids: Iterable<CID>): string[] {
  return [...cids].map(cid => toString(cid.multihash.bytes, 'base64')).sort()
}

/** Every block the host holds. */
async function hostBlocks (host: MemoryBlockstore): Promise<CID[]> {
  const cids: CID[] = []
  for await (const { cid } of host.getAll()) cids.push(cid)
  return cids
}

describe('SiteWarmup', () => {
  it('fetches a small site whole and remembers its host sent each block, once per memo time', async () => {
    const { root, host, local, network } = await relayAndHost(siteFiles(6, 10_000))
    const warmup = new SiteWarmup({ local, network })
    await warmup.warm(root)
    const all = await hostBlocks(host)
    expect(multihashes(network.asked.map(cid => CID.parse(cid)))).toEqual(multihashes(all))
    for (const cid of all) expect(await local.has(cid)).toBe(true)
    // the visitor's CAR then reads them from the store, as the host's bytes
    const served: string[] = []
    const visit = localFirst(local, network, source => { served.push(source.from) }, cid => warmup.storedFrom(cid))
    await drain(visit.get(root))
    // a second read of it is the relay's store serving
    await drain(visit.get(root))
    expect(served).toEqual(['peer', 'store'])
    // warmed moments ago: not again
    network.asked.length = 0
    await local.delete(root)
    await warmup.warm(root)
    expect(network.asked).toEqual([])
  })

  it('leaves a site larger than its bound to its visitors\' requests, fetching only its root', async () => {
    const { root, network, local } = await relayAndHost(siteFiles(6, 10_000))
    await new SiteWarmup({ local, network }, { maxBytes: 30_000 }).warm(root)
    expect(network.asked).toEqual([root.toString()])
  })

  it('forgets who sent a block once its memo time passed', async () => {
    let now = 1_000
    const { root, local, network } = await relayAndHost(siteFiles(2, 1_000))
    const warmup = new SiteWarmup({ local, network }, { memoMs: 500, now: () => now })
    await warmup.warm(root)
    const child = dagPb.decode(await blockBytes(local.get(root))).Links[0]!.Hash
    expect(warmup.storedFrom(root)).toEqual({ from: 'peer', peer: '12D3KooWHost' })
    now += 501
    expect(warmup.storedFrom(child)).toBeUndefined()
  })

  it('reads nothing but directory and file nodes of a site the relay holds already', async () => {
    const { root, host, local, network } = await relayAndHost(siteFiles(6, 10_000))
    for (const cid of await hostBlocks(host)) await local.put(cid, await blockBytes(host.get(cid)))
    const read: CID[] = []
    const watched = Object.assign(Object.create(local) as MemoryBlockstore, {
      get: (cid: CID, options?: AbortOptions) => { read.push(cid); return local.get(cid, options) }
    })
    await new SiteWarmup({ local: watched, network }).warm(root)
    expect(network.asked).toEqual([])
    // the six files are single raw blocks: looked for, not read (and hashed)
    expect(read.length).toBeGreaterThan(0)
    expect(read.every(cid => cid.code === dagPb.code)).toBe(true)
  })
})
