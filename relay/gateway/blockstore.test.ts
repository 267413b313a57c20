import { MemoryBlockstore } from 'blockstore-core'
import toBuffer from 'it-to-buffer'
import { describe, expect, it } from 'vitest'
import { rawBlock as block } from '../../test/fixtures/blocks.js'
import { pageWords } from '../../src/gateway/index.js'
import { CheckedBlockstore, readRefetchingCorrupt } from '../../src/trustless/index.js'
import { localFirst, onFetched, sharedFetches } from './blockstore.js'
import { boundedFetches, forKeeping } from './fetch-slots.js'
import { NetworkFetchesBusyError } from './errors.js'
import type { GatewayBlockstore } from './blockstore.js'
import type { TestBlock } from '../../test/fixtures/blocks.js'

/** Helia in miniature: what the local store lacks comes "from peers" (counted) and is kept. */
function networkOver (local: MemoryBlockstore | CheckedBlockstore, peers: Map<string, Uint8Array>): GatewayBlockstore & { asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    has: async (cid) => local.has(cid),
    async * get (cid, options) {
      if (!await local.has(cid)) {
        asked.push(cid.toString())
        await local.put(cid, peers.get(cid.toString())!)
      }
      yield * local.get(cid, options)
    }
  }
}

/** A relay's store holding the block `held`, and the network over it from which `fetched` comes. */
async function heldAndFetched (): Promise<{ held: TestBlock, fetched: TestBlock, local: MemoryBlockstore, network: ReturnType<typeof networkOver> }> {
  const [held, fetched] = [await block('held'), await block('fetched')]
  const local = new MemoryBlockstore()
  await local.put(held.cid, held.bytes)
  return { held, fetched, local, network: networkOver(local, new Map([[fetched.cid.toString(), fetched.bytes]])) }
}

describe('localFirst', () => {
  it('reads a kept block from the relay\'s own store and asks the network only for the others', async () => {
    const [kept, missing] = [await block('kept'), await block('missing')]
    const local = new MemoryBlockstore()
    await local.put(kept.cid, kept.bytes)
    const network = networkOver(local, new Map([[missing.cid.toString(), missing.bytes]]))
    const blocks = localFirst(local, network)
    expect(new TextDecoder().decode(await toBuffer(blocks.get(kept.cid)))).toBe('kept')
    expect(new TextDecoder().decode(await toBuffer(blocks.get(missing.cid)))).toBe('missing')
    expect(network.asked).toEqual([missing.cid.toString()])
  })

  it('never serves a kept block that changed on disk: the re-read fetches it from peers', async () => {
    const rotted = await block('right bytes')
    const disk = new MemoryBlockstore()
    await disk.put(rotted.cid, new TextEncoder().encode('rotted bytes'))
    const checked = new CheckedBlockstore(disk)
    const network = networkOver(checked, new Map([[rotted.cid.toString(), rotted.bytes]]))
    const bytes = await readRefetchingCorrupt(localFirst(checked, network), rotted.cid)
    expect(new TextDecoder().decode(bytes)).toBe('right bytes')
    expect(network.asked).toEqual([rotted.cid.toString()])
  })
})

describe('localFirst with onServed', () => {
  it('tells where each block came from: the store, or the peer bitswap names', async () => {
    const [kept, missing] = [await block('kept'), await block('from a peer')]
    const local = new MemoryBlockstore()
    await local.put(kept.cid, kept.bytes)
    const network: GatewayBlockstore = {
      has: async () => false,
      async * get (cid, options) {
        (options as { onProgress?: (event: { type: string, detail: unknown }) => void }).onProgress?.({ type: 'bitswap:block', detail: { cid, sender: { toString: () => '12D3KooWHost' } } })
        yield missing.bytes
      }
    }
    const served: unknown[] = []
    const blocks = localFirst(local, network, (source, bytes) => { served.push({ ...source, bytes }) })
    await toBuffer(blocks.get(kept.cid))
    await toBuffer(blocks.get(missing.cid))
    expect(served).toEqual([
      { from: 'store', bytes: kept.bytes.byteLength },
      { from: 'peer', peer: '12D3KooWHost', bytes: missing.bytes.byteLength }
    ])
  })

  it('counts a block the network layer found in the store after all (no bitswap sender) as the store\'s', async () => {
    const late = await block('stored meanwhile')
    const network: GatewayBlockstore = { has: async () => true, async * get () { yield late.bytes } }
    const served: unknown[] = []
    await toBuffer(localFirst(new MemoryBlockstore(), network, (source, bytes) => { served.push({ ...source, bytes }) }).get(late.cid))
    expect(served).toEqual([{ from: 'store', bytes: late.bytes.byteLength }])
  })
})

describe('onFetched', () => {
  it('tells of each block fetched from peers with its size, and of none the store held before', async () => {
    const { held, fetched, local, network } = await heldAndFetched()
    const told: Array<[string, number]> = []
    const store = onFetched(network, local, (cid, bytes) => { told.push([cid.toString(), bytes]) })
    expect(new TextDecoder().decode(await toBuffer(store.get(held.cid)))).toBe('held')
    expect(new TextDecoder().decode(await toBuffer(store.get(fetched.cid)))).toBe('fetched')
    // now in the store: read from it, not told again
    expect(new TextDecoder().decode(await toBuffer(store.get(fetched.cid)))).toBe('fetched')
    expect(told).toEqual([[fetched.cid.toString(), 'fetched'.length]])
  })
})

describe('forKeeping', () => {
  it('is never refused by boundedFetches, and its fetch takes a slot visitors then lack', async () => {
    const wanted = await block('wanted')
    const slow = slowNetwork(wanted.bytes)
    const network = boundedFetches(slow, 1)
    const keeping = forKeeping(network)
    const options = { signal: new AbortController().signal }
    const kept = toBuffer(keeping.get(wanted.cid, options))
    await expect(toBuffer(network.get(wanted.cid, options))).rejects.toBeInstanceOf(NetworkFetchesBusyError)
    const keptToo = toBuffer(keeping.get(wanted.cid, options))
    slow.release()
    expect((await Promise.all([kept, keptToo])).map(bytes => new TextDecoder().decode(bytes))).toEqual(['wanted', 'wanted'])
  })

  it('fetches a block the store lacks without telling onFetched: the cache pins it, it is no visitor\'s', async () => {
    const { fetched, local, network } = await heldAndFetched()
    const told: string[] = []
    const store = forKeeping(onFetched(network, local, cid => { told.push(cid.toString()) }))
    expect(new TextDecoder().decode(await toBuffer(store.get(fetched.cid)))).toBe('fetched')
    expect(network.asked).toEqual([fetched.cid.toString()])
    expect(told).toEqual([])
  })
})

describe('boundedFetches', () => {
  it('refuses a fetch past its bound at once and takes the next one when a slot is free', async () => {
    const wanted = await block('wanted')
    let arrive: () => void = () => {}
    const arrived = new Promise<void>(resolve => { arrive = resolve })
    const slow: GatewayBlockstore = {
      has: async () => false,
      async * get () {
        await arrived
        yield wanted.bytes
      }
    }
    const network = boundedFetches(slow, 1)
    const first = toBuffer(network.get(wanted.cid))
    await expect(toBuffer(network.get(wanted.cid))).rejects.toBeInstanceOf(NetworkFetchesBusyError)
    arrive()
    expect(new TextDecoder().decode(await first)).toBe('wanted')
    expect(new TextDecoder().decode(await toBuffer(network.get(wanted.cid)))).toBe('wanted')
  })

  it('gives a plain HTTP visitor the 504 page when busy, not an unexpected error', () => {
    expect(pageWords(new NetworkFetchesBusyError(1), { name: 'alice.wia.home' })).toMatchObject({ status: 504, title: 'Site unavailable' })
  })
})

/** A network whose fetches wait until `release` is called, counting them and the signals they were given. */
function slowNetwork (bytes: Uint8Array): GatewayBlockstore & { fetches: AbortSignal[], release: () => void } {
  const fetches: AbortSignal[] = []
  let release = (): void => {}
  const released = new Promise<void>(resolve => { release = resolve })
  return {
    fetches,
    release: () => { release() },
    has: async () => false,
    async * get (cid, options) {
      fetches.push(options!.signal!)
      const progress = (options as { onProgress?: (event: { type: string, detail: unknown }) => void }).onProgress
      await Promise.race([released, new Promise((_resolve, reject) => { options!.signal!.addEventListener('abort', () => { reject(options!.signal!.reason) }) })])
      progress?.({ type: 'bitswap:block', detail: { cid, sender: { toString: () => '12D3KooWHost' } } })
      yield bytes
    }
  }
}

describe('sharedFetches', () => {
  it('makes one fetch for gets of one block at the same time, and each hears who sent it', async () => {
    const { cid, bytes } = await block('a file a warm-up and a CAR want at once')
    const network = slowNetwork(bytes)
    const shared = sharedFetches(network)
    const heard: string[] = []
    const get = async (who: string): Promise<Uint8Array> => toBuffer(shared.get(cid, {
      signal: AbortSignal.timeout(5_000),
      onProgress: (event: { type: string }) => { heard.push(`${who} ${event.type}`) }
    } as unknown as Parameters<GatewayBlockstore['get']>[1]))
    const both = Promise.all([get('warm-up'), get('car')])
    await new Promise(resolve => setTimeout(resolve, 10))
    network.release()
    expect(await both).toEqual([bytes, bytes])
    // without it each get asked the network: in Helia the later one raced the first one's store
    expect(network.fetches).toHaveLength(1)
    expect(heard.sort()).toEqual(['car bitswap:block', 'warm-up bitswap:block'])
  })

  it('goes on for the gets still waiting when one aborts, and stops a grace time after all have', async () => {
    const { cid, bytes } = await block('a block one visitor stopped waiting for')
    const network = slowNetwork(bytes)
    const shared = sharedFetches(network)
    const leaving = new AbortController()
    const left = toBuffer(shared.get(cid, { signal: leaving.signal }))
    const staying = toBuffer(shared.get(cid, { signal: AbortSignal.timeout(5_000) }))
    leaving.abort(new Error('the visitor went away'))
    await expect(left).rejects.toThrow('the visitor went away')
    expect(network.fetches[0]!.aborted).toBe(false)
    network.release()
    expect(await staying).toEqual(bytes)

    const alone = new AbortController()
    const abandoned = slowNetwork(bytes)
    const get = toBuffer(sharedFetches(abandoned, 50).get(cid, { signal: alone.signal }))
    alone.abort(new Error('gone'))
    await expect(get).rejects.toThrow('gone')
    expect(abandoned.fetches[0]!.aborted).toBe(false)
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(abandoned.fetches[0]!.aborted).toBe(true)
  })

  it('a get that comes within the grace joins the fetch its requester left, and gets the block', async () => {
    const { cid, bytes } = await block('a block a worker gave up on and asked for again')
    const network = slowNetwork(bytes)
    const shared = sharedFetches(network, 1_000)
    const gaveUp = new AbortController()
    const first = toBuffer(shared.get(cid, { signal: gaveUp.signal }))
    gaveUp.abort(new Error('the CAR stalled'))
    await expect(first).rejects.toThrow('the CAR stalled')
    // the worker's retry, at once: the host's answer to the first want is still on its way
    const retry = toBuffer(shared.get(cid, { signal: AbortSignal.timeout(5_000) }))
    await new Promise(resolve => setTimeout(resolve, 10))
    network.release()
    expect(await retry).toEqual(bytes)
    // without the grace the first fetch was aborted and the retry made a want of its own (which a host ignores within its do-not-resend window)
    expect(network.fetches).toHaveLength(1)
    expect(network.fetches[0]!.aborted).toBe(false)
  })

  it("ends at once a fetch the cache's walk left last, so the walk's next try wants the block anew", async () => {
    const { cid, bytes } = await block('a block a host ignored the want of')
    const network = slowNetwork(bytes)
    const keeping = forKeeping(sharedFetches(network, 60_000))
    const stalled = new AbortController()
    const first = toBuffer(keeping.get(cid, { signal: stalled.signal }))
    stalled.abort(new Error('no block for 10 s'))
    await expect(first).rejects.toThrow('no block for 10 s')
    expect(network.fetches[0]!.aborted).toBe(true)
    const retry = toBuffer(keeping.get(cid, { signal: AbortSignal.timeout(5_000) }))
    await new Promise(resolve => setTimeout(resolve, 10))
    network.release()
    expect(await retry).toEqual(bytes)
    expect(network.fetches).toHaveLength(2)
  })

  it("shares a fetch between the cache's walk and a visitor: the visitor's get neither waits on a want of its own nor ends with the walk", async () => {
    const { cid, bytes } = await block('a block kept and visited at once')
    const network = slowNetwork(bytes)
    const shared = sharedFetches(network, 60_000)
    const walk = new AbortController()
    const kept = toBuffer(forKeeping(shared).get(cid, { signal: walk.signal }))
    const visited = toBuffer(shared.get(cid, { signal: AbortSignal.timeout(5_000) }))
    walk.abort(new Error('the walk was cut'))
    await expect(kept).rejects.toThrow('the walk was cut')
    network.release()
    expect(await visited).toEqual(bytes)
    expect(network.fetches).toHaveLength(1)
    expect(network.fetches[0]!.aborted).toBe(false)
  })
})
