import { unixfs } from '@helia/unixfs'
import { depthFirstWalker } from '@helia/utils'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import { createHeliaLight } from 'helia'
import toBuffer from 'it-to-buffer'
import { afterEach, describe, expect, it } from 'vitest'
import { FetchStalledError } from '../signals/index.js'
import { FetchQueueBusyError } from './errors.js'
import { MAX_CONCURRENT_FETCHES, MAX_FETCH_ATTEMPTS, MAX_HOT_FETCHES } from './constants.js'
import { SiteCache } from './site-cache.js'
import type { Helia } from '@helia/interface'
import type { Key } from 'interface-datastore'
import type { CID } from 'multiformats/cid'

const KiB = 1024

/** Bytes no other call returns (no block is shared between two sites). */
let counter = 0
function uniqueBytes (length: number): Uint8Array {
  const bytes = new Uint8Array(length)
  const seed = ++counter
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed * 7919 + (i >> 8) * seed) & 0xff
  bytes.set(new TextEncoder().encode(`site ${seed}`))
  return bytes
}

interface Stores { blockstore: MemoryBlockstore, datastore: MemoryDatastore }

const started: Helia[] = []
async function startHelia (stores: Stores = { blockstore: new MemoryBlockstore(), datastore: new MemoryDatastore() }): Promise<{ helia: Helia, stores: Stores }> {
  const helia = createHeliaLight(stores)
  await helia.start()
  started.push(helia)
  return { helia, stores }
}

/** A one-file site of `bytes` bytes put into the node's blockstore; returns its root. */
async function addSite (helia: Helia, bytes: number): Promise<CID> {
  const fs = unixfs(helia)
  const file = await fs.addBytes(uniqueBytes(bytes))
  return fs.cp(file, await fs.addDirectory(), 'index.html')
}

/** A site of `files` (name → bytes) put into the node's blockstore; returns its root. */
async function addSiteOf (helia: Helia, files: Record<string, Uint8Array>): Promise<CID> {
  const fs = unixfs(helia)
  let root = await fs.addDirectory()
  for (const [name, bytes] of Object.entries(files)) {
    root = await fs.cp(await fs.addBytes(bytes), root, name)
  }
  return root
}

/** The CIDs of every block of `root` (all of them in the node's blockstore). */
async function blocksOf (helia: Helia, root: CID): Promise<CID[]> {
  const cids: CID[] = []
  for await (const node of depthFirstWalker()({ blockstore: helia.blockstore, getCodec: helia.getCodec }).walk(root)) {
    cids.push(node.block.cid)
  }
  return cids
}

/** Those of `cids` the blockstore no longer holds. */
async function missingBlocks (blockstore: MemoryBlockstore, cids: CID[]): Promise<string[]> {
  const missing: string[] = []
  for (const cid of cids) {
    if (!await blockstore.has(cid)) missing.push(cid.toString())
  }
  return missing
}

async function blockCount (blockstore: MemoryBlockstore): Promise<number> {
  let n = 0
  for await (const _ of blockstore.getAll()) n++ // eslint-disable-line @typescript-eslint/no-unused-vars
  return n
}

/**
 * The node's Helia with a blockstore whose `get` of `stalled` never answers
 * (until aborted) the first `stalls` times, as when the message carrying the
 * block was lost on a dead connection. Counts the gets of `stalled`.
 */
function stallingHelia (helia: Helia, stalled: CID, stalls: number): { helia: Helia, gets: () => number } {
  let gets = 0
  const blockstore = new Proxy(helia.blockstore, {
    get (target, prop, receiver) {
      if (prop !== 'get') return Reflect.get(target, prop, receiver)
      return (cid: CID, options: { signal?: AbortSignal } = {}) => {
        if (!cid.equals(stalled)) return target.get(cid, options)
        gets++
        if (gets > stalls) return target.get(cid, options)
        return (async function * () {
          // the chunk that never comes
          yield await new Promise<Uint8Array>((_resolve, reject) => {
            options.signal?.addEventListener('abort', () => { reject(options.signal?.reason) }, { once: true })
          })
        })()
      }
    }
  })
  return { helia: { ...helia, pins: helia.pins, gc: helia.gc.bind(helia), getCodec: helia.getCodec, routing: helia.routing, blockstore }, gets: () => gets }
}

/**
 * The node's Helia with a blockstore that, like Helia's networked one,
 * fetches a block it lacks from `source` (another node: the host), after
 * `delayMs`, and stores it.
 */
function fetchingHelia (helia: Helia, source: Helia, delayMs: number): Helia {
  const blockstore = new Proxy(helia.blockstore, {
    get (target, prop, receiver) {
      if (prop !== 'get') return Reflect.get(target, prop, receiver)
      return async function * (cid: CID, options: { signal?: AbortSignal } = {}) {
        if (!await target.has(cid, options)) {
          await new Promise(resolve => setTimeout(resolve, delayMs))
          const bytes = await toBuffer(source.blockstore.get(cid, options))
          await target.put(cid, bytes, options)
        }
        yield * target.get(cid, options)
      }
    }
  })
  return { ...helia, pins: helia.pins, gc: helia.gc.bind(helia), getCodec: helia.getCodec, routing: helia.routing, blockstore }
}

afterEach(async () => {
  await Promise.all(started.splice(0).map(async helia => helia.stop()))
})

describe('SiteCache', () => {
  it('keeps a site whole and reports its bytes', async () => {
    const { helia } = await startHelia()
    const cache = new SiteCache({ helia }, { maxBytes: 100 * KiB, provide: false })
    const root = await addSite(helia, 10 * KiB)
    const outcome = await cache.keep('alice.wia.home', root)
    expect(outcome.kept).toBe(true)
    expect(outcome.bytes).toBeGreaterThan(10 * KiB)
    expect(outcome.bytes).toBeLessThan(11 * KiB)
    const sites = await cache.list()
    expect(sites.map(s => [s.name, s.root.toString(), s.bytes])).toEqual([['alice.wia.home', root.toString(), outcome.bytes]])
  })

  it("fetches a site's missing blocks through the store its root names (blocksOf), never Helia's own", async () => {
    const { helia: host } = await startHelia()
    const { helia, stores } = await startHelia()
    const root = await addSiteOf(host, { 'index.html': uniqueBytes(3 * KiB), 'about.html': uniqueBytes(2 * KiB) })
    // what a relay passes: a store asking the root's providers (here: the host) and keeping what it fetched
    const asked: Array<[string, string]> = []
    class ProvidersOf extends MemoryBlockstore {
      constructor (private readonly root: CID) { super() }
      override async * get (cid: CID, options?: { signal?: AbortSignal }): AsyncGenerator<Uint8Array> {
        asked.push([this.root.toString(), cid.toString()])
        const bytes = await toBuffer(host.blockstore.get(cid, options))
        await helia.blockstore.put(cid, bytes, options)
        yield bytes
      }
    }
    const cache = new SiteCache({ helia, blocksOf: r => new ProvidersOf(r) }, { maxBytes: 100 * KiB, provide: false })
    expect(await cache.keep('alice.wia.home', root)).toMatchObject({ kept: true })
    const blocks = await blocksOf(host, root)
    expect(asked.map(([r]) => r)).toEqual(blocks.map(() => root.toString()))
    expect(asked.map(([, cid]) => cid).sort()).toEqual(blocks.map(cid => cid.toString()).sort())
    expect(await missingBlocks(stores.blockstore, blocks)).toEqual([])
  })

  it('stays within its bound and keeps the most visited sites when more arrive than fit', async () => {
    const { helia, stores } = await startHelia()
    const cache = new SiteCache({ helia }, { maxBytes: 35 * KiB, provide: false })
    // five 10 KiB sites into a 35 KiB cache; visits make b and d the most demanded
    const names = ['a', 'b', 'c', 'd', 'e'].map(l => `${l}.wia.home`)
    const visits: Record<string, number> = { 'b.wia.home': 5, 'd.wia.home': 3 }
    for (const name of names) {
      await cache.keep(name, await addSite(helia, 10 * KiB), { demand: 1 + (visits[name] ?? 0) })
      expect(await cache.usedBytes()).toBeLessThanOrEqual(35 * KiB)
    }
    const kept = (await cache.list()).map(s => s.name)
    expect(kept).toHaveLength(3)
    expect(kept.slice(0, 2)).toEqual(['d.wia.home', 'b.wia.home'].sort((x, y) => (visits[y] ?? 0) - (visits[x] ?? 0)))
    // the evicted sites' blocks are gone, not just forgotten: 3 sites of 2 blocks (file, directory)
    expect(await blockCount(stores.blockstore)).toBe(6)
  })

  it('holds no more than its bound even the moment a site that pushes another out is pinned', async () => {
    const { helia } = await startHelia()
    // what the cache holds right after each pin is added, as `/_wia/cache.json` may read it then
    const heldAfterPins: number[] = []
    const pins = new Proxy(helia.pins, {
      get (target, prop, receiver) {
        if (prop !== 'add') {
          const value: unknown = Reflect.get(target, prop, receiver)
          // Helia's pins keep private fields: their methods must run on the real object
          return typeof value === 'function' ? value.bind(target) : value
        }
        return async function * (...args: Parameters<Helia['pins']['add']>) {
          yield * target.add(...args)
          heldAfterPins.push(await cache.usedBytes())
        }
      }
    })
    const cache = new SiteCache({ helia: { ...helia, pins, gc: helia.gc.bind(helia), getCodec: helia.getCodec, routing: helia.routing, blockstore: helia.blockstore } }, { maxBytes: 25 * KiB, provide: false })
    for (const [name, demand] of [['a.wia.home', 1], ['b.wia.home', 2], ['c.wia.home', 3]] as const) {
      await cache.keep(name, await addSite(helia, 10 * KiB), { demand })
    }
    expect((await cache.list()).map(s => s.name)).toEqual(['c.wia.home', 'b.wia.home'])
    expect(heldAfterPins).toHaveLength(3)
    expect(Math.max(...heldAfterPins)).toBeLessThanOrEqual(25 * KiB)
  })

  it('does not let a new site push out sites in more demand', async () => {
    const { helia } = await startHelia()
    const cache = new SiteCache({ helia }, { maxBytes: 25 * KiB, provide: false })
    await cache.keep('a.wia.home', await addSite(helia, 10 * KiB), { demand: 4 })
    await cache.keep('b.wia.home', await addSite(helia, 10 * KiB), { demand: 4 })
    const outcome = await cache.keep('c.wia.home', await addSite(helia, 10 * KiB), { demand: 1 })
    expect(outcome).toMatchObject({ kept: false, evicted: [] })
    expect((await cache.list()).map(s => s.name).sort()).toEqual(['a.wia.home', 'b.wia.home'])
  })

  it('refuses a site larger than the whole cache and keeps none of its blocks', async () => {
    const { helia, stores } = await startHelia()
    const cache = new SiteCache({ helia }, { maxBytes: 8 * KiB, provide: false })
    await expect(cache.keep('big.wia.home', await addSite(helia, 20 * KiB))).rejects.toMatchObject({ name: 'SiteTooLargeError' })
    expect(await cache.list()).toEqual([])
    expect(await blockCount(stores.blockstore)).toBe(0)
  })

  it('releases the blocks a pin that failed part-way had marked, so they are collected without a restart', async () => {
    // a datastore that runs out of space after the pin's third block mark, as a full disk would
    class FillingDatastore extends MemoryDatastore {
      marks = 0
      override put (key: Key, value: Uint8Array): ReturnType<MemoryDatastore['put']> {
        if (key.toString().startsWith('/pinned-block/') && ++this.marks > 3) {
          throw Object.assign(new Error('no space left on the device'), { name: 'QuotaExceededError' })
        }
        return super.put(key, value)
      }
    }
    const stores = { blockstore: new MemoryBlockstore(), datastore: new FillingDatastore() }
    const { helia } = await startHelia(stores)
    const cache = new SiteCache({ helia }, { maxBytes: 100 * KiB, provide: false })
    const root = await addSiteOf(helia, Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`page-${i}.html`, uniqueBytes(KiB)])))
    const blocks = await blocksOf(helia, root)
    expect(blocks).toHaveLength(7)

    await expect(cache.keep('full.wia.home', root)).rejects.toMatchObject({ name: 'QuotaExceededError' })
    expect(await cache.list()).toEqual([])
    await helia.gc()
    // no pin holds any of them: collected, as those of a site never kept
    expect(await missingBlocks(stores.blockstore, blocks)).toHaveLength(7)
  })

  it('follows a name to its new root and drops the old one', async () => {
    const { helia, stores } = await startHelia()
    const cache = new SiteCache({ helia }, { maxBytes: 100 * KiB, provide: false })
    const v1 = await addSite(helia, 10 * KiB)
    await cache.keep('alice.wia.home', v1)
    const v2 = await addSite(helia, 12 * KiB)
    await cache.keep('alice.wia.home', v2)
    const sites = await cache.list()
    expect(sites.map(s => s.root.toString())).toEqual([v2.toString()])
    expect(await stores.blockstore.has(v1)).toBe(false)
  })

  it('keeps the blocks a re-kept site shares with another when the other is dropped', async () => {
    const { helia, stores } = await startHelia()
    const cache = new SiteCache({ helia }, { maxBytes: 100 * KiB, provide: false })
    const logo = uniqueBytes(4 * KiB)
    const alice = { 'index.html': uniqueBytes(1 * KiB), 'logo.png': logo }
    const aliceRoot = await addSiteOf(helia, alice)
    const aliceBlocks = await blocksOf(helia, aliceRoot)
    await cache.keep('alice.wia.home', aliceRoot)
    await cache.keep('bob.wia.home', await addSiteOf(helia, { 'index.html': uniqueBytes(1 * KiB), 'logo.png': logo }))
    // alice is evicted, then kept again (her unshared blocks fetched anew), then bob goes
    await cache.drop('alice.wia.home')
    expect(await addSiteOf(helia, alice)).toEqual(aliceRoot)
    await cache.keep('alice.wia.home', aliceRoot)
    await cache.drop('bob.wia.home')
    expect(await missingBlocks(stores.blockstore, aliceBlocks)).toEqual([])
  })

  it('keeps a block two sites share when the one that links it twice is dropped', async () => {
    const { helia, stores } = await startHelia()
    const cache = new SiteCache({ helia }, { maxBytes: 100 * KiB, provide: false })
    const logo = uniqueBytes(4 * KiB)
    await cache.keep('alice.wia.home', await addSiteOf(helia, { 'index.html': uniqueBytes(1 * KiB), 'logo.png': logo, 'favicon.png': logo }))
    const bobRoot = await addSiteOf(helia, { 'index.html': uniqueBytes(1 * KiB), 'logo.png': logo })
    const bobBlocks = await blocksOf(helia, bobRoot)
    await cache.keep('bob.wia.home', bobRoot)
    await cache.drop('alice.wia.home')
    expect(await missingBlocks(stores.blockstore, bobBlocks)).toEqual([])
  })

  it('counts visits of kept sites and forgets dropped ones', async () => {
    const { helia, stores } = await startHelia()
    const cache = new SiteCache({ helia }, { maxBytes: 100 * KiB, provide: false })
    await cache.keep('alice.wia.home', await addSite(helia, 1 * KiB))
    expect(await cache.touch('alice.wia.home', 2)).toBeCloseTo(3, 3)
    expect(await cache.touch('bob.wia.home')).toBeUndefined()
    expect(await cache.drop('alice.wia.home')).toBe(true)
    expect(await cache.list()).toEqual([])
    expect(await blockCount(stores.blockstore)).toBe(0)
  })

  it('survives a restart on the same stores', async () => {
    const first = await startHelia()
    const root = await addSite(first.helia, 10 * KiB)
    await new SiteCache({ helia: first.helia }, { maxBytes: 100 * KiB, provide: false }).keep('alice.wia.home', root, { demand: 2 })
    await first.helia.stop()
    const second = await startHelia(first.stores)
    const cache = new SiteCache({ helia: second.helia }, { maxBytes: 100 * KiB, provide: false })
    expect(await cache.start()).toBe(1)
    const [site] = await cache.list()
    expect(site?.root.toString()).toBe(root.toString())
    expect(site?.demand).toBeCloseTo(2, 2)
  })

  it('asks again for a block that never came, and keeps the site', async () => {
    const { helia } = await startHelia()
    const root = await addSite(helia, 10 * KiB)
    const stalling = stallingHelia(helia, root, 2)
    const cache = new SiteCache({ helia: stalling.helia }, { maxBytes: 100 * KiB, provide: false, stallMs: 50 })
    const outcome = await cache.keep('alice.wia.home', root)
    expect(outcome.kept).toBe(true)
    expect(stalling.gets()).toBe(3)
    expect((await cache.list()).map(s => s.name)).toEqual(['alice.wia.home'])
  })

  it('gives up with FetchStalledError when the block never comes, and keeps nothing', async () => {
    const { helia } = await startHelia()
    const root = await addSite(helia, 10 * KiB)
    const stalling = stallingHelia(helia, root, Infinity)
    const cache = new SiteCache({ helia: stalling.helia }, { maxBytes: 100 * KiB, provide: false, stallMs: 20 })
    const failure = await cache.keep('alice.wia.home', root).catch((err: Error) => err)
    expect(failure).toBeInstanceOf(FetchStalledError)
    expect((failure as Error).message).toContain('no blocks of alice.wia.home arrived for 20 ms')
    expect(stalling.gets()).toBe(MAX_FETCH_ATTEMPTS)
    expect(await cache.list()).toEqual([])
  })

  it('passes on the caller\'s abort without asking again', async () => {
    const { helia } = await startHelia()
    const root = await addSite(helia, 10 * KiB)
    const stalling = stallingHelia(helia, root, Infinity)
    const cache = new SiteCache({ helia: stalling.helia }, { maxBytes: 100 * KiB, provide: false, stallMs: 10_000 })
    const failure = await cache.keep('alice.wia.home', root, { signal: AbortSignal.timeout(50) }).catch((err: Error) => err)
    expect((failure as Error).name).toBe('TimeoutError')
    expect(stalling.gets()).toBe(1)
  })

  it('fetches hot sites only while they leave slots free, and a site asked for while they stall', async () => {
    const { helia } = await startHelia()
    const hollow = await addSite(helia, 10 * KiB)
    const asked = await addSite(helia, 10 * KiB)
    const another = await addSite(helia, 10 * KiB)
    const stalling = stallingHelia(helia, hollow, Infinity)
    const cache = new SiteCache({ helia: stalling.helia }, { maxBytes: 100 * KiB, provide: false, stallMs: 10_000 })
    const controller = new AbortController()
    const stalled = Array.from({ length: MAX_HOT_FETCHES }, async (_, i) => cache.keep(`hollow-${i}.wia.home`, hollow, { hot: true, signal: controller.signal }).catch((err: Error) => err))
    const refused = await cache.keep('another.wia.home', another, { hot: true }).catch((err: Error) => err)
    expect(refused).toBeInstanceOf(FetchQueueBusyError)
    expect((await cache.keep('asked.wia.home', asked)).kept).toBe(true)
    controller.abort()
    await Promise.all(stalled)
    expect((await cache.list()).map(s => s.name)).toEqual(['asked.wia.home'])
  })

  it('deletes evicted sites\' blocks while keeps keep arriving, not only once they stop', async () => {
    const { helia: host } = await startHelia()
    const { helia, stores } = await startHelia()
    // 24 one-file sites of 10 KiB (2 blocks each) asked for at once through a 35 KiB cache:
    // a fetch is always running until the last one ends
    const roots: CID[] = []
    for (let i = 0; i < 24; i++) roots.push(await addSite(host, 10 * KiB))
    const cache = new SiteCache({ helia: fetchingHelia(helia, host, 5) }, { maxBytes: 35 * KiB, provide: false })
    let peak = 0
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await blockCount(stores.blockstore))
        await new Promise(resolve => setTimeout(resolve, 2))
      }
    })()
    const outcomes = await Promise.all(roots.map(async (root, i) => cache.keep(`site-${i}.wia.home`, root)))
    sampling = false
    await sampler
    expect(outcomes.every(outcome => outcome.bytes > 10 * KiB)).toBe(true)
    expect(await cache.usedBytes()).toBeLessThanOrEqual(35 * KiB)
    // at most the 3 kept sites, a quarter of the bound waiting for collection and the running fetches:
    // never the 48 blocks of all 24
    expect(peak).toBeLessThanOrEqual(2 * (3 + 1 + MAX_CONCURRENT_FETCHES))
    expect(await blockCount(stores.blockstore)).toBe(2 * (await cache.list()).length)
  })

  it('deletes the blocks visitors had fetched through it once they reach a share of its bound, and keeps the kept sites\' blocks', async () => {
    const { helia: host } = await startHelia()
    const { helia, stores } = await startHelia()
    const cache = new SiteCache({ helia: fetchingHelia(helia, host, 0) }, { maxBytes: 80 * KiB, provide: false })
    const kept = await addSite(host, 10 * KiB)
    await cache.keep('kept.wia.home', kept)
    const keptBlocks = await blockCount(stores.blockstore)
    // a visitor's 16 KiB site of another name, read through the relay: stored, pinned by nobody
    const visited = await addSite(host, 16 * KiB)
    for (const cid of await blocksOf(host, visited)) {
      await helia.blockstore.put(cid, await toBuffer(host.blockstore.get(cid)))
      cache.addVisitorBlocks(cid.code === 0x55 ? 16 * KiB : 100)
    }
    // below a quarter of the bound: they wait for a collection
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(await blockCount(stores.blockstore)).toBe(keptBlocks + 2)
    // another visitor's 8 KiB: past a quarter of 80 KiB, collected
    const other = await addSite(host, 8 * KiB)
    for (const cid of await blocksOf(host, other)) {
      await helia.blockstore.put(cid, await toBuffer(host.blockstore.get(cid)))
      cache.addVisitorBlocks(cid.code === 0x55 ? 8 * KiB : 100)
    }
    await expect.poll(async () => blockCount(stores.blockstore)).toBe(keptBlocks)
    expect(await missingBlocks(stores.blockstore, await blocksOf(helia, kept))).toEqual([])
  })

  it('collects while the only fetch running has had no block yet (a site whose peers are gone)', async () => {
    const { helia: host } = await startHelia()
    const { helia, stores } = await startHelia()
    const hollow = await addSite(host, 4 * KiB)
    const stalling = stallingHelia(helia, hollow, Infinity)
    const cache = new SiteCache({ helia: stalling.helia }, { maxBytes: 40 * KiB, provide: false, stallMs: 10_000 })
    const controller = new AbortController()
    const keeping = cache.keep('hollow.wia.home', hollow, { signal: controller.signal }).catch((err: Error) => err)
    try {
      await expect.poll(() => stalling.gets()).toBe(1)
      const visited = await addSite(host, 12 * KiB)
      for (const cid of await blocksOf(host, visited)) {
        await helia.blockstore.put(cid, await toBuffer(host.blockstore.get(cid)))
      }
      cache.addVisitorBlocks(12 * KiB)
      await expect.poll(async () => blockCount(stores.blockstore)).toBe(0)
    } finally {
      controller.abort()
    }
    expect(await keeping).toMatchObject({ name: 'AbortError' })
  })
})
