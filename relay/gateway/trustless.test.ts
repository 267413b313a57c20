import { request } from 'node:http'
import * as dagPb from '@ipld/dag-pb'
import toBuffer from 'it-to-buffer'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { equals } from 'uint8arrays/equals'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { READ_AHEAD_MAX_BLOCKS } from './constants.js'
import { FALLTHROUGH_HEADER, addSite, dagCids, gatewayComponents, readCar, startGateway, startHelia } from './fixtures.js'
import type { RunningGateway, Site } from './fixtures.js'
import type { GatewayBlockstore } from './blockstore.js'
import type { Helia } from '@helia/interface'

const CAR = 'application/vnd.ipld.car'
const RAW = 'application/vnd.ipld.raw'
/** A raw-codec CID of bytes nobody has. */
const NOBODY_HAS = CID.parse('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')

/**
 * The node's blockstore as the relay sees it with bitswap: a block it does
 * not hold is waited for until the signal aborts (nobody sends it). `delayMs`
 * slows every read; `gets` counts them.
 */
function networkLike (helia: Helia, delayMs = 0): { blockstore: GatewayBlockstore, gets: () => number } {
  let gets = 0
  const blockstore: GatewayBlockstore = {
    has: async (cid, options) => await helia.blockstore.has(cid, options),
    get: async function * (cid, options = {}) {
      gets++
      if (delayMs > 0) await new Promise(resolve => setTimeout(resolve, delayMs))
      if (!(await helia.blockstore.has(cid))) {
        await new Promise((_resolve, reject) => {
          options.signal?.throwIfAborted()
          options.signal?.addEventListener('abort', () => { reject(options.signal?.reason) }, { once: true })
        })
      }
      yield * helia.blockstore.get(cid, options)
    }
  }
  return { blockstore, gets: () => gets }
}

let helia: Helia
let site: Site
let gateway: RunningGateway
const others: RunningGateway[] = []

beforeAll(async () => {
  helia = await startHelia()
  site = await addSite(helia)
  const { blockstore } = networkLike(helia)
  gateway = await startGateway({ firstByteTimeoutMs: 300, blockStallTimeoutMs: 300 }, await gatewayComponents({ blockstore, getCodec: helia.getCodec }))
})

afterAll(async () => {
  await gateway.close()
  await Promise.all(others.map(async other => { await other.close() }))
  await helia.stop()
})

async function getCar (path: string, accept = CAR): Promise<{ response: Response, car: Awaited<ReturnType<typeof readCar>> }> {
  const response = await fetch(`${gateway.origin}${path}`, { headers: { accept } })
  expect(response.status).toBe(200)
  return { response, car: await readCar(new Uint8Array(await response.arrayBuffer())) }
}

describe('raw blocks', () => {
  it('answers the block, which hashes to its CID, with the spec headers', async () => {
    for (const cid of [site.root, site.file]) {
      const response = await fetch(`${gateway.origin}/_wia/ipfs/${cid.toString()}`, { headers: { accept: RAW } })
      expect(response.status).toBe(200)
      const bytes = new Uint8Array(await response.arrayBuffer())
      expect(equals((await sha256.digest(bytes)).digest, cid.multihash.digest)).toBe(true)
      expect(response.headers.get('content-type')).toBe(RAW)
      expect(response.headers.get('content-length')).toBe(String(bytes.byteLength))
      expect(response.headers.get('etag')).toBe(`"${cid.toString()}.raw"`)
      expect(response.headers.get('cache-control')).toBe('public, max-age=29030400, immutable')
      expect(response.headers.get('access-control-allow-origin')).toBe('*')
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${cid.toString()}.bin"`)
    }
  })

  it('takes ?format=raw over Accept and answers 304 to a matching If-None-Match', async () => {
    const url = `${gateway.origin}/_wia/ipfs/${site.root.toString()}?format=raw`
    const first = await fetch(url, { headers: { accept: 'text/html' } })
    expect(first.status).toBe(200)
    const etag = first.headers.get('etag') ?? ''
    await first.arrayBuffer()
    const second = await fetch(url, { headers: { 'if-none-match': etag } })
    expect(second.status).toBe(304)
    expect(second.headers.get('etag')).toBe(etag)
  })

  it('answers HEAD without a body but with its length', async () => {
    const response = await fetch(`${gateway.origin}/_wia/ipfs/${site.file.toString()}?format=raw`, { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0)
    expect((await response.arrayBuffer()).byteLength).toBe(0)
  })

  it('answers the identity probe bafkqaaa with an empty body', async () => {
    const response = await fetch(`${gateway.origin}/_wia/ipfs/bafkqaaa?format=raw`)
    expect(response.status).toBe(200)
    expect((await response.arrayBuffer()).byteLength).toBe(0)
  })

  it('refuses a path (400), a bad CID (400), other formats (406) and a request without Accept (400)', async () => {
    expect((await fetch(`${gateway.origin}/_wia/ipfs/${site.root.toString()}/index.html?format=raw`)).status).toBe(400)
    expect((await fetch(`${gateway.origin}/_wia/ipfs/not-a-cid?format=raw`)).status).toBe(400)
    expect((await fetch(`${gateway.origin}/_wia/ipfs/${site.root.toString()}`, { headers: { accept: 'text/html' } })).status).toBe(406)
    expect((await fetch(`${gateway.origin}/_wia/ipfs/${site.root.toString()}?format=tar`)).status).toBe(406)
    // fetch() always sends Accept: use node:http for a request without one
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(`${gateway.origin}/_wia/ipfs/${site.root.toString()}`, res => { res.resume(); resolve(res.statusCode) }).on('error', reject).end()
    })
    expect(status).toBe(400)
  })

  it('answers 504 with Retry-After for a block nobody sends in time', async () => {
    const started = Date.now()
    const response = await fetch(`${gateway.origin}/_wia/ipfs/${NOBODY_HAS.toString()}?format=raw`)
    expect(response.status).toBe(504)
    expect(response.headers.get('retry-after')).toBe('10')
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('answers 412 for only-if-cached when the block is not here', async () => {
    const response = await fetch(`${gateway.origin}/_wia/ipfs/${NOBODY_HAS.toString()}?format=raw`, { headers: { 'cache-control': 'only-if-cached' } })
    expect(response.status).toBe(412)
  })
})

describe('CAR', () => {
  it('dag-scope=all (default) holds every block of the DAG once, verified, rooted at the request CID', async () => {
    const { response, car } = await getCar(`/_wia/ipfs/${site.root.toString()}`)
    expect(response.headers.get('content-type')).toBe('application/vnd.ipld.car; version=1; order=dfs; dups=n')
    expect(response.headers.get('etag')).toMatch(new RegExp(`^W/"${site.root.toString()}\\.car\\.`))
    expect(response.headers.get('cache-control')).toBe('public, max-age=29030400, immutable')
    expect(car.roots).toEqual([site.root.toString()])
    expect(car.blocks[0]).toBe(site.root.toString())
    expect(new Set(car.blocks)).toEqual(await dagCids(helia, site.root))
    expect(new Set(car.blocks).size).toBe(car.blocks.length)
  })

  it('dag-scope=all asks for a node\'s children together (read ahead), each block once', async () => {
    // every read takes a while, as bitswap from a host does: the walk alone would ask one block at a time
    const { blockstore } = networkLike(helia, 20)
    let inFlight = 0
    let mostInFlight = 0
    const reads = new Map<string, number>()
    const counting: GatewayBlockstore = {
      has: async () => false,
      get: async function * (cid, options) {
        reads.set(cid.toString(), (reads.get(cid.toString()) ?? 0) + 1)
        mostInFlight = Math.max(mostInFlight, ++inFlight)
        try {
          yield * blockstore.get(cid, options)
        } finally {
          inFlight--
        }
      }
    }
    const other = await startGateway({}, await gatewayComponents({ blockstore: counting, getCodec: helia.getCodec }))
    others.push(other)
    const response = await fetch(`${other.origin}/_wia/ipfs/${site.root.toString()}?dag-scope=all`, { headers: { accept: CAR } })
    const car = await readCar(new Uint8Array(await response.arrayBuffer()))
    expect(new Set(car.blocks)).toEqual(await dagCids(helia, site.root))
    expect(mostInFlight).toBeGreaterThan(1)
    // the walk takes the bytes read ahead: a block is read once per link to it (zeros.bin links one block
    // 4 times), the root twice (the path check, then the walk)
    const links = new Map<string, number>([[site.root.toString(), 2]])
    for (const cid of await dagCids(helia, site.root)) {
      const parsed = CID.parse(cid)
      if (parsed.code !== dagPb.code) continue
      for (const link of dagPb.decode(await toBuffer(helia.blockstore.get(parsed))).Links) {
        links.set(link.Hash.toString(), (links.get(link.Hash.toString()) ?? 0) + 1)
      }
    }
    expect([...reads.entries()].filter(([cid, count]) => count > (links.get(cid) ?? 1))).toEqual([])
  })

  it('dag-scope=entity of a path holds the path and the file, not the siblings', async () => {
    const { response, car } = await getCar(`/_wia/ipfs/${site.root.toString()}/dir/file.txt?dag-scope=entity`)
    expect(car.roots).toEqual([site.root.toString()])
    expect(car.blocks).toEqual([site.root.toString(), site.dir.toString(), site.file.toString()])
    expect(car.blocks).not.toContain(site.other.toString())
    expect(response.headers.get('x-ipfs-roots')).toBe([site.root, site.dir, site.file].join(','))
    expect(response.headers.get('x-ipfs-path')).toBe(`/ipfs/${site.root.toString()}/dir/file.txt`)
  })

  it('dag-scope=entity of a multi-block file holds all its blocks; of a directory only the directory', async () => {
    const big = await getCar(`/_wia/ipfs/${site.root.toString()}/big.bin?format=car&dag-scope=entity`)
    expect(new Set(big.car.blocks)).toEqual(new Set([site.root.toString(), ...await dagCids(helia, site.big)]))
    expect(big.car.blocks.length).toBe(6) // root, file root, 4 leaves
    const dir = await getCar(`/_wia/ipfs/${site.root.toString()}/dir?dag-scope=entity`)
    expect(dir.car.blocks).toEqual([site.root.toString(), site.dir.toString()])
  })

  it('entity-bytes holds only the blocks of the range; outside the file is 400', async () => {
    const all = [...await dagCids(helia, site.big)]
    const first = await getCar(`/_wia/ipfs/${site.big.toString()}?format=car&entity-bytes=0:1000`)
    expect(first.car.blocks).toEqual([site.big.toString(), all[1]])
    const last = await getCar(`/_wia/ipfs/${site.big.toString()}?format=car&entity-bytes=-10:*`)
    expect(last.car.blocks).toEqual([site.big.toString(), all[all.length - 1]])
    expect(first.response.headers.get('etag')).not.toBe(last.response.headers.get('etag'))
    const outside = await fetch(`${gateway.origin}/_wia/ipfs/${site.big.toString()}?format=car&entity-bytes=${4 * 1024 * 1024}:*`)
    expect(outside.status).toBe(400)
    expect((await fetch(`${gateway.origin}/_wia/ipfs/${site.big.toString()}?format=car&entity-bytes=x`)).status).toBe(400)
  })

  it('dag-scope=block holds one block, or the path and its last block', async () => {
    expect((await getCar(`/_wia/ipfs/${site.big.toString()}?dag-scope=block`)).car.blocks).toEqual([site.big.toString()])
    expect((await getCar(`/_wia/ipfs/${site.root.toString()}/big.bin?dag-scope=block`)).car.blocks).toEqual([site.root.toString(), site.big.toString()])
    expect((await fetch(`${gateway.origin}/_wia/ipfs/${site.root.toString()}?format=car&dag-scope=some`)).status).toBe(400)
  })

  it('sends a repeated block once with dups=n and every time with dups=y', async () => {
    const once = await getCar(`/_wia/ipfs/${site.zeros.toString()}`)
    expect(once.car.blocks.length).toBe(2) // file root, one leaf
    const every = await getCar(`/_wia/ipfs/${site.zeros.toString()}`, `${CAR}; version=1; order=dfs; dups=y`)
    expect(every.response.headers.get('content-type')).toBe('application/vnd.ipld.car; version=1; order=dfs; dups=y')
    expect(every.car.blocks.length).toBe(5)
  })

  it('negotiates CAR variants: version=2 alone is 406, car-dups=x is 400', async () => {
    expect((await fetch(`${gateway.origin}/_wia/ipfs/${site.root.toString()}`, { headers: { accept: `${CAR}; version=2` } })).status).toBe(406)
    expect((await fetch(`${gateway.origin}/_wia/ipfs/${site.root.toString()}?format=car&car-dups=x`)).status).toBe(400)
    const picked = await fetch(`${gateway.origin}/_wia/ipfs/${site.file.toString()}`, { headers: { accept: `${CAR}; version=2, ${RAW}; q=0.5` } })
    expect(picked.headers.get('content-type')).toBe(RAW)
  })

  it('answers 404 for a path not in the DAG, 304 for a matching ETag, HEAD without a body', async () => {
    expect((await fetch(`${gateway.origin}/_wia/ipfs/${site.root.toString()}/nope.html`, { headers: { accept: CAR } })).status).toBe(404)
    expect((await fetch(`${gateway.origin}/_wia/ipfs/${site.root.toString()}/dir/nope/deeper`, { headers: { accept: CAR } })).status).toBe(404)
    const { response } = await getCar(`/_wia/ipfs/${site.root.toString()}/dir`)
    const etag = response.headers.get('etag') ?? ''
    expect((await fetch(`${gateway.origin}/_wia/ipfs/${site.root.toString()}/dir`, { headers: { accept: CAR, 'if-none-match': etag } })).status).toBe(304)
    const head = await fetch(`${gateway.origin}/_wia/ipfs/${site.root.toString()}`, { method: 'HEAD', headers: { accept: CAR } })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-type')).toContain(CAR)
    expect((await head.arrayBuffer()).byteLength).toBe(0)
  })

  it('answers 504 when the root block does not come, and the probe bafkqaaa with an empty CAR', async () => {
    expect((await fetch(`${gateway.origin}/_wia/ipfs/${NOBODY_HAS.toString()}`, { headers: { accept: CAR } })).status).toBe(504)
    const probe = await getCar('/_wia/ipfs/bafkqaaa?format=car')
    expect(probe.car).toEqual({ roots: ['bafkqaaa'], blocks: [] })
  })

  it('cuts the stream when a block goes missing after the first byte: a truncated CAR, never a wrong one', async () => {
    const leaves = [...await dagCids(helia, site.big)].slice(1)
    const missing = CID.parse(leaves[2] ?? '')
    const { blockstore } = networkLike(helia)
    const holey: GatewayBlockstore = {
      has: blockstore.has.bind(blockstore),
      get: (cid, options) => blockstore.get(cid.equals(missing) ? NOBODY_HAS : cid, options)
    }
    const other = await startGateway({ blockStallTimeoutMs: 200 }, await gatewayComponents({ blockstore: holey, getCodec: helia.getCodec }))
    others.push(other)
    const response = await fetch(`${other.origin}/_wia/ipfs/${site.big.toString()}`, { headers: { accept: CAR } })
    expect(response.status).toBe(200)
    const reader = response.body?.getReader()
    const chunks: Uint8Array[] = []
    await expect((async () => {
      for (;;) {
        const { done, value } = await reader!.read()
        if (done) return
        chunks.push(value)
      }
    })()).rejects.toThrow()
    // what did arrive is a valid prefix: each whole block verifies
    const got = Buffer.concat(chunks)
    const car = await readCar(got).catch(() => undefined)
    if (car != null) expect(car.blocks).not.toContain(missing.toString())
    expect(got.byteLength).toBeLessThan(3 * 1024 * 1024)
  })

  it('stops reading blocks when the client goes away', async () => {
    const slow = networkLike(helia, 20)
    const other = await startGateway({}, await gatewayComponents({ blockstore: slow.blockstore, getCodec: helia.getCodec }))
    others.push(other)
    const controller = new AbortController()
    const response = await fetch(`${other.origin}/_wia/ipfs/${site.big.toString()}`, { headers: { accept: CAR }, signal: controller.signal })
    await response.body?.getReader().read()
    controller.abort()
    await new Promise(resolve => setTimeout(resolve, 100))
    const afterAbort = slow.gets()
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(slow.gets()).toBeLessThanOrEqual(afterAbort + 1)
    // dag-scope=all (the default) reads up to READ_AHEAD_MAX_BLOCKS of the file's blocks ahead of the walk
    expect(slow.gets()).toBeLessThan(5 + READ_AHEAD_MAX_BLOCKS)
  })
})

describe('routing of requests', () => {
  it('answers OPTIONS preflights with CORS headers, and 405 for other methods', async () => {
    const preflight = await fetch(`${gateway.origin}/_wia/ipfs/${site.root.toString()}`, { method: 'OPTIONS' })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS')
    expect(preflight.headers.get('access-control-allow-headers')).toContain('If-None-Match')
    const post = await fetch(`${gateway.origin}/_wia/ipfs/${site.root.toString()}`, { method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
  })

  it('leaves paths it does not own to the caller; root paths only with standardPaths', async () => {
    for (const path of ['/_wia/sw.js', '/_wia/config.json', `/ipfs/${site.root.toString()}?format=raw`, '/routing/v1/providers/x', '/name/alice.wia.home', '/_wia/name/a/b']) {
      const response = await fetch(`${gateway.origin}${path}`)
      expect(response.headers.get(FALLTHROUGH_HEADER), path).toBe('1')
    }
    const app = await startGateway({ standardPaths: true, passNonTrustless: true }, await gatewayComponents(helia))
    others.push(app)
    expect((await fetch(`${app.origin}/ipfs/${site.root.toString()}?format=raw`)).status).toBe(200)
    expect((await fetch(`${app.origin}/_wia/ipfs/${site.root.toString()}?format=raw`)).status).toBe(200)
    expect((await fetch(`${app.origin}/name/alice.wia.home`)).headers.get(FALLTHROUGH_HEADER)).toBe('1')
    // passNonTrustless: a browser navigation is the deserializing gateway's
    const page = await fetch(`${app.origin}/ipfs/${site.root.toString()}/index.html`, { headers: { accept: 'text/html' } })
    expect(page.headers.get(FALLTHROUGH_HEADER)).toBe('1')
  })
})
