import { CarWriter } from '@ipld/car/writer'
import { MemoryBlockstore } from 'blockstore-core'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import toBuffer from 'it-to-buffer'
import { describe, expect, it } from 'vitest'
import { FetchingBlockstore } from './fetching-blockstore.js'
import { RelayGateways } from './gateways.js'

interface Block { cid: CID, bytes: Uint8Array }

async function block (text: string): Promise<Block> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

async function carBytes (blocks: Block[]): Promise<Uint8Array> {
  const { writer, out } = CarWriter.create([blocks[0]!.cid])
  const collected = toBuffer(out)
  for (const b of blocks) await writer.put(b)
  await writer.close()
  return collected
}

/** A relay gateway over a block map, optionally altering one block's bytes, and a log of the URLs asked. */
function relay (blocks: Block[], options: { tamper?: CID, down?: boolean, car?: Block[] } = {}): { fetch: typeof fetch, asked: string[] } {
  const asked: string[] = []
  const fetch = async (input: string | URL | Request, _init?: RequestInit): Promise<Response> => {
    const url = String(input)
    asked.push(url)
    if (options.down === true) throw new TypeError('Failed to fetch')
    const match = /ipfs\/([^/?]+)/.exec(url)
    if (url.includes('dag-scope=entity')) {
      return new Response(new Blob([(await carBytes(options.car ?? [])).slice()]), { headers: { 'content-type': 'application/vnd.ipld.car' } })
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

  it('asks the next relay when one is out of reach, and says what each did when none has the block', async () => {
    const hello = await block('hello')
    const other = await block('other')
    const gateways = two(relay([], { down: true }), relay([hello]))
    expect(new TextDecoder().decode(await gateways.block(hello.cid))).toBe('hello')
    await expect(gateways.block(other.cid)).rejects.toMatchObject({ name: 'GatewaysUnavailableError', statuses: [404] })
  })
})

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
})
