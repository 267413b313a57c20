import { MemoryBlockstore } from 'blockstore-core'
import type { CID } from 'multiformats/cid'
import toBuffer from 'it-to-buffer'
import { describe, expect, it } from 'vitest'
import { carBytes, rawBlock as block, type TestBlock } from '../../test/fixtures/blocks.js'
import { CheckedBlockstore } from '../../src/trustless/index.js'
import { FetchingBlockstore } from './fetching-blockstore.js'
import { RelayGateways } from './gateways.js'

/** A relay gateway over a block map, optionally altering one block's bytes, and a log of the URLs asked. */
function relay (blocks: TestBlock[], options: { tamper?: CID, down?: boolean, car?: TestBlock[], cutCar?: boolean } = {}): { fetch: typeof fetch, asked: string[] } {
  const asked: string[] = []
  const fetch = async (input: string | URL | Request, _init?: RequestInit): Promise<Response> => {
    const url = String(input)
    asked.push(url)
    if (options.down === true) throw new TypeError('Failed to fetch')
    const match = /ipfs\/([^/?]+)/.exec(url)
    if (url.includes('dag-scope=entity')) {
      const car = (await carBytes(options.car ?? [])).slice()
      // cut inside the last block: a malformed CAR, not one with fewer blocks
      return new Response(new Blob([options.cutCar === true ? car.subarray(0, car.byteLength - 1) : car]), { headers: { 'content-type': 'application/vnd.ipld.car' } })
    }
    const found = blocks.find(b => b.cid.toString() === match?.[1])
    if (found == null) return new Response(null, { status: 404 })
    const bytes = options.tamper?.equals(found.cid) === true ? new TextEncoder().encode('forged') : found.bytes
    return new Response(new Blob([bytes.slice()]), { headers: { 'content-type': 'application/vnd.ipld.raw' } })
  }
  return { fetch: fetch as typeof globalThis.fetch, asked }
}

/** Two gateways: requests to each base go to its own relay. */
function two (a: ReturnType<typeof relay>, b: ReturnType<typeof relay>): RelayGateways {
  return new RelayGateways({
    bases: ['https://a.test/_wia/', 'https://b.test/_wia/'],
    fetch: (async (input: string | URL | Request, init?: RequestInit) => String(input).startsWith('https://a.test') ? a.fetch(input, init) : b.fetch(input, init)) as typeof fetch
  })
}

/** A fetch whose answer's body is `parts`, each `delayMs` after the one before (ending after them unless `endless`), failing once the request is aborted, as a browser's does. */
function trickling (parts: Uint8Array[], delayMs: number, endless = false): typeof fetch {
  return (async (_input: string | URL | Request, init?: RequestInit) => new Response(new ReadableStream<Uint8Array>({
    async start (controller) {
      init?.signal?.addEventListener('abort', () => { controller.error(init.signal?.reason) })
      for (const part of parts) {
        await new Promise(resolve => setTimeout(resolve, delayMs))
        if (init?.signal?.aborted === true) return
        controller.enqueue(part)
      }
      if (!endless) controller.close()
    }
  }))) as typeof fetch
}

/** The texts of the blocks `gateways.car` yields for `cid`, pushed to `seen` as they come (kept when the stream fails). */
async function readCar (gateways: RelayGateways, cid: CID, seen: string[]): Promise<void> {
  for await (const { bytes } of gateways.car(cid, '/')) seen.push(new TextDecoder().decode(bytes))
}

describe('RelayGateways', () => {
  it('returns a block whose bytes match its CID from the first relay', async () => {
    const hello = await block('hello')
    const a = relay([hello])
    const b = relay([hello])
    expect(new TextDecoder().decode(await two(a, b).block(hello.cid))).toBe('hello')
    expect(b.asked).toEqual([])
  })

  it('never returns an altered block: asks the next relay and then asks the tamperer last', async () => {
    const hello = await block('hello')
    const a = relay([hello], { tamper: hello.cid })
    const b = relay([hello])
    const gateways = two(a, b)
    expect(new TextDecoder().decode(await gateways.block(hello.cid))).toBe('hello')
    expect(gateways.order()).toEqual(['https://b.test/_wia/', 'https://a.test/_wia/'])
  })

  it('asks a relay that sent a malformed CAR last', async () => {
    const [a, b] = [await block('a'), await block('bb')]
    const gateways = two(relay([a!, b!], { car: [a!, b!], cutCar: true }), relay([a!, b!], { car: [a!, b!] }))
    const seen: string[] = []
    await expect(readCar(gateways, a!.cid, seen)).rejects.toMatchObject({ name: 'MalformedCarError' })
    expect(seen).toEqual(['a'])
    expect(gateways.order()).toEqual(['https://b.test/_wia/', 'https://a.test/_wia/'])
  })

  it('streams a CAR for as long as its blocks keep coming, longer than one attempt may take to start', async () => {
    const texts = ['a', 'b', 'c', 'd', 'e'].map(letter => letter.repeat(1_000))
    const blocks = await Promise.all(texts.map(async text => block(text)))
    const car = await carBytes(blocks)
    const size = Math.ceil(car.byteLength / 10)
    const parts = Array.from({ length: 10 }, (_, i) => car.slice(i * size, (i + 1) * size))
    // a part every 30 ms: 300 ms in all, at most 90 ms between two blocks
    const gateways = new RelayGateways({ bases: ['https://a.test/_wia/'], attemptTimeoutMs: 150, fetch: trickling(parts, 30) })
    const seen: string[] = []
    await readCar(gateways, blocks[0]!.cid, seen)
    expect(seen).toEqual(texts)
  })

  it('waits longer for a started CAR\'s next block than for its head: a host that paused does not cut it', async () => {
    const texts = ['a', 'b', 'c'].map(letter => letter.repeat(1_000))
    const blocks = await Promise.all(texts.map(async text => block(text)))
    const car = await carBytes(blocks)
    const size = Math.ceil(car.byteLength / 3)
    const parts = Array.from({ length: 3 }, (_, i) => car.slice(i * size, (i + 1) * size))
    // a part every 200 ms, a block whole every 400 ms at most: four times the head's bound, under the next block's
    const gateways = new RelayGateways({ bases: ['https://a.test/_wia/'], attemptTimeoutMs: 100, blockStallMs: 1_000, fetch: trickling(parts, 200) })
    const seen: string[] = []
    await readCar(gateways, blocks[0]!.cid, seen)
    expect(seen).toEqual(texts)
  })

  it('gives up on a relay whose CAR goes silent, and asks it last', async () => {
    const [a, b] = [await block('a'), await block('bb')]
    const car = await carBytes([a!, b!])
    // the header and the first block, then nothing and no end
    const gateways = new RelayGateways({ bases: ['https://a.test/_wia/', 'https://b.test/_wia/'], attemptTimeoutMs: 100, blockStallMs: 100, fetch: trickling([car.slice(0, car.byteLength - 8)], 0, true) })
    const seen: string[] = []
    await expect(readCar(gateways, a!.cid, seen)).rejects.toMatchObject({ name: 'FetchStalledError' })
    expect(seen).toEqual(['a'])
    expect(gateways.order()).toEqual(['https://b.test/_wia/', 'https://a.test/_wia/'])
  })

  it('asks the next relay when one is out of reach, and says what each did when none has the block', async () => {
    const hello = await block('hello')
    const other = await block('other')
    const gateways = two(relay([], { down: true }), relay([hello]))
    expect(new TextDecoder().decode(await gateways.block(hello.cid))).toBe('hello')
    await expect(gateways.block(other.cid)).rejects.toMatchObject({ name: 'GatewaysUnavailableError', statuses: [404] })
  })
})

describe('RelayGateways.recordsFromAll', () => {
  const at = (ms: number, answer: Response | Error) => async (): Promise<Response> => {
    await new Promise(resolve => setTimeout(resolve, ms))
    if (answer instanceof Error) throw answer
    return answer
  }
  const gatewaysAnswering = (answers: Record<string, () => Promise<Response>>): RelayGateways => new RelayGateways({
    bases: Object.keys(answers).map(host => `https://${host}/_wia/`),
    fetch: (async (input: string | URL | Request) => answers[new URL(String(input)).host]!()) as typeof fetch
  })

  it('gathers every relay\'s record, but waits only the grace for a slow one', async () => {
    const gateways = gatewaysAnswering({
      'a.test': at(0, new Response('A')),
      'b.test': at(5, new Response('B')),
      'c.test': at(5_000, new Response('C'))
    })
    const seen: string[] = []
    const answers = await gateways.recordsFromAll('alice.wia.home', { graceMs: 100, onAnswer: ({ bytes }) => seen.push(new TextDecoder().decode(bytes)) })
    expect(answers.map(({ base, bytes }) => `${base} ${new TextDecoder().decode(bytes)}`).sort()).toEqual(['https://a.test/_wia/ A', 'https://b.test/_wia/ B'])
    // each answer returned was handed over as it came, in that order
    expect(seen).toEqual(['A', 'B'])
  })

  it('asks the relays past the HTTP cache unless told it may answer (a worker\'s install)', async () => {
    const modes: Array<RequestCache | undefined> = []
    const gateways = new RelayGateways({
      bases: ['https://a.test/_wia/'],
      fetch: (async (_input: string | URL | Request, init?: RequestInit) => {
        modes.push(init?.cache)
        return new Response('A')
      }) as typeof fetch
    })
    await gateways.recordsFromAll('alice.wia.home')
    await gateways.recordsFromAll('alice.wia.home', { cache: 'default' })
    await gateways.record('alice.wia.home', async bytes => bytes)
    await gateways.record('alice.wia.home', async bytes => bytes, { cache: 'default' })
    expect(modes).toEqual(['no-store', 'default', 'no-store', 'default'])
  })

  it('says what each relay did when none has a record', async () => {
    const gateways = gatewaysAnswering({ 'a.test': at(0, new Response(null, { status: 404 })), 'b.test': at(0, new TypeError('Failed to fetch')) })
    await expect(gateways.recordsFromAll('alice.wia.home')).rejects.toMatchObject({ name: 'GatewaysUnavailableError', statuses: [404] })
  })
})

/**
 * `store` whose first look (`has`) for `cid` answers only once `until`
 * settles: a slow IndexedDB read racing the CAR. `looked()` says whether that
 * look has started. `overrides` replace more of the store's methods.
 */
function firstLookWaits (store: MemoryBlockstore, cid: CID, until: Promise<void>, overrides: Partial<MemoryBlockstore> = {}): { store: MemoryBlockstore, looked: () => boolean } {
  let looks = 0
  const slow = Object.assign(Object.create(store) as MemoryBlockstore, {
    has: async (look: CID) => {
      const had = await store.has(look)
      if (look.equals(cid) && looks++ === 0) await until
      return had
    },
    ...overrides
  })
  return { store: slow, looked: () => looks > 0 }
}

describe('FetchingBlockstore', () => {
  it('serves a block a prefetch brings without a request of its own, and fetches the rest one by one', async () => {
    const [a, b, c] = [await block('a'), await block('b'), await block('c')]
    const r = relay([a!, b!, c!], { car: [a!, b!] })
    const store = new FetchingBlockstore(new MemoryBlockstore(), new RelayGateways({ bases: ['https://a.test/_wia/'], fetch: r.fetch }))
    const prefetch = store.prefetch(a!.cid, '/index.html')
    const got = await Promise.all([a!, b!, c!].map(async x => new TextDecoder().decode(await toBuffer(store.get(x.cid)))))
    await prefetch
    expect(got).toEqual(['a', 'b', 'c'])
    expect(r.asked.filter(url => !url.includes('dag-scope'))).toEqual([`https://a.test/_wia/ipfs/${c!.cid}`])
  })

  it('asks nothing when every block is kept, and prefetches the path at the first block that is not', async () => {
    const [a, b] = [await block('a'), await block('b')]
    const local = new MemoryBlockstore()
    await local.put(a!.cid, a!.bytes)
    const r = relay([a!, b!], { car: [b!] })
    const store = new FetchingBlockstore(local, new RelayGateways({ bases: ['https://a.test/_wia/'], fetch: r.fetch }), { root: a!.cid, path: '/b.txt' })
    expect(new TextDecoder().decode(await toBuffer(store.get(a!.cid)))).toBe('a')
    expect(r.asked).toEqual([])
    expect(new TextDecoder().decode(await toBuffer(store.get(b!.cid)))).toBe('b')
    expect(r.asked).toEqual([`https://a.test/_wia/ipfs/${a!.cid}/b.txt?dag-scope=entity`])
  })

  it('fetches a missing block once for two gets that want it at the same time', async () => {
    const a = await block('a')
    const r = relay([a!])
    const store = new FetchingBlockstore(new MemoryBlockstore(), new RelayGateways({ bases: ['https://a.test/_wia/'], fetch: r.fetch }))
    const got = await Promise.all([toBuffer(store.get(a!.cid)), toBuffer(store.get(a!.cid))])
    expect(got.map(bytes => new TextDecoder().decode(bytes))).toEqual(['a', 'a'])
    expect(r.asked).toEqual([`https://a.test/_wia/ipfs/${a!.cid}`])
  })

  it('fetches a missing block alone, with no prefetch, once told to stop prefetching (a range whose path is resolved)', async () => {
    const [a, b] = [await block('a'), await block('b')]
    const r = relay([a!, b!], { car: [a!, b!] })
    const store = new FetchingBlockstore(new MemoryBlockstore(), new RelayGateways({ bases: ['https://a.test/_wia/'], fetch: r.fetch }), { root: a!.cid, path: '/video.webm', entityBytes: '0:2097151' })
    store.stopPrefetchOnMiss()
    expect(new TextDecoder().decode(await toBuffer(store.get(b!.cid)))).toBe('b')
    expect(r.asked).toEqual([`https://a.test/_wia/ipfs/${b!.cid}`])
  })

  it('keeps nothing of a CAR after an altered block, and fetches that block from a relay that sends it right', async () => {
    const [a, b] = [await block('a'), await block('b')]
    const forged = { cid: b!.cid, bytes: new TextEncoder().encode('B') }
    const local = new MemoryBlockstore()
    const r = relay([a!, b!], { car: [a!, forged] })
    const store = new FetchingBlockstore(local, new RelayGateways({ bases: ['https://a.test/_wia/'], fetch: r.fetch }))
    await store.prefetch(a!.cid, '/')
    expect(await local.has(a!.cid)).toBe(true)
    expect(await local.has(b!.cid)).toBe(false)
    expect(new TextDecoder().decode(await toBuffer(store.get(b!.cid)))).toBe('b')
  })

  it('never serves a kept block that was altered in storage: drops it and fetches it again', async () => {
    const [a, b] = [await block('a'), await block('b')]
    const idb = new MemoryBlockstore()
    // what a page of the site can do to its origin's IndexedDB
    await idb.put(a!.cid, new TextEncoder().encode('poisoned'))
    await idb.put(b!.cid, b!.bytes)
    const r = relay([a!, b!])
    const store = new FetchingBlockstore(new CheckedBlockstore(idb), new RelayGateways({ bases: ['https://a.test/_wia/'], fetch: r.fetch }))
    expect(new TextDecoder().decode(await toBuffer(store.get(a!.cid)))).toBe('a')
    expect(new TextDecoder().decode(await toBuffer(store.get(b!.cid)))).toBe('b')
    expect(r.asked).toEqual([`https://a.test/_wia/ipfs/${a!.cid}`])
    expect(new TextDecoder().decode(await toBuffer(idb.get(a!.cid)))).toBe('a')
  })

  it('stores a CAR\'s block over an altered kept copy, and serves the right bytes', async () => {
    const [a, b] = [await block('a'), await block('b')]
    const idb = new MemoryBlockstore()
    // what a page of the site can do to its origin's IndexedDB
    await idb.put(b!.cid, new TextEncoder().encode('poisoned'))
    const r = relay([a!, b!], { car: [a!, b!] })
    const store = new FetchingBlockstore(new CheckedBlockstore(idb), new RelayGateways({ bases: ['https://a.test/_wia/'], fetch: r.fetch }), { root: a!.cid, path: '/b.txt' })
    const got = await Promise.all([toBuffer(store.get(a!.cid)), toBuffer(store.get(b!.cid))])
    expect(got.map(bytes => new TextDecoder().decode(bytes))).toEqual(['a', 'b'])
    expect(new TextDecoder().decode(await toBuffer(idb.get(b!.cid)))).toBe('b')
    expect(r.asked).toEqual([`https://a.test/_wia/ipfs/${a!.cid}/b.txt?dag-scope=entity`])
  })

  it('uses a block the prefetch brought and finished with while the local look for it was still under way', async () => {
    const [a, b] = [await block('a'), await block('b')]
    const memory = new MemoryBlockstore()
    // the request's first look for b (an IndexedDB read) answers "no" only after the whole CAR arrived
    let carDone: () => void = () => {}
    const landed = new Promise<void>(resolve => { carDone = resolve })
    const slowLook = firstLookWaits(memory, b!.cid, landed).store
    const r = relay([a!, b!], { car: [a!, b!] })
    const store = new FetchingBlockstore(slowLook, new RelayGateways({ bases: ['https://a.test/_wia/'], fetch: r.fetch }), { root: a!.cid, path: '/b.txt' })
    const got = toBuffer(store.get(a!.cid))
    const gotB = toBuffer(store.get(b!.cid))
    await got
    await new Promise(resolve => setTimeout(resolve, 10))
    carDone()
    expect(new TextDecoder().decode(await gotB)).toBe('b')
    expect(r.asked).toEqual([`https://a.test/_wia/ipfs/${a!.cid}/b.txt?dag-scope=entity`])
  })
})
