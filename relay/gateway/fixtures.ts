/**
 * Test fixtures of the gateway's tests (not used by the relay): a real
 * in-memory Helia (no network) holding a small site, a loopback HTTP server
 * running a gateway handler, and a CAR reader that verifies every block.
 */

import { createServer } from 'node:http'
import { unixfs } from '@helia/unixfs'
import { CarBlockIterator } from '@ipld/car'
import * as dagPb from '@ipld/dag-pb'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import { createHeliaLight } from 'helia'
import { equals } from 'uint8arrays/equals'
import { sha256 } from 'multiformats/hashes/sha2'
import { pseudoRandomBytes } from '../../test/fixtures/bytes.js'
import { createGatewayHandler } from './router.js'
import type { GatewayComponents, GatewayInit } from './router.js'
import type { Helia } from '@helia/interface'
import type { CID } from 'multiformats/cid'
import type { AddressInfo } from 'node:net'

/** Pseudo-random bytes (xorshift32) that differ from any other call's: no chunk repeats within or across files. */
let seed = 0x9e3779b9
export function uniqueBytes (length: number): Uint8Array {
  seed = (seed + 0x6d2b79f5) >>> 0
  return pseudoRandomBytes(length, seed)
}

/** One MiB. */
export const MiB = 1024 * 1024

/** Size of the site's `big.bin`: three 1 MiB leaves and a short fourth. */
export const BIG_FILE_BYTES = 3 * MiB + 1000

/** A started in-memory Helia with no network (no block brokers: a missing block fails at once). */
export async function startHelia (): Promise<Helia> {
  const helia = createHeliaLight({ blockstore: new MemoryBlockstore(), datastore: new MemoryDatastore() })
  await helia.start()
  return helia
}

/** The site every test serves, and the CIDs in it. */
export interface Site {
  root: CID
  /** `/dir` */
  dir: CID
  /** `/dir/file.txt` */
  file: CID
  /** `/dir/other.txt`, the sibling of `file.txt` */
  other: CID
  /** `/big.bin`: {@link BIG_FILE_BYTES}, four leaves (@helia/unixfs chunks files in 1 MiB blocks) */
  big: CID
  /** `/zeros.bin`: 4 MiB of zeros, four identical leaves */
  zeros: CID
}

/** Import the test site into a Helia node: `index.html`, `dir/file.txt`, `dir/other.txt`, `big.bin`, `zeros.bin`. */
export async function addSite (helia: Helia): Promise<Site> {
  const fs = unixfs(helia)
  const entries = new Map<string, CID>()
  let root: CID | undefined
  const files = [
    { path: 'index.html', content: new TextEncoder().encode('<!doctype html><h1>hello</h1>') },
    { path: 'dir/file.txt', content: uniqueBytes(1000) },
    { path: 'dir/other.txt', content: uniqueBytes(1000) },
    { path: 'big.bin', content: uniqueBytes(BIG_FILE_BYTES) },
    { path: 'zeros.bin', content: new Uint8Array(4 * MiB) }
  ]
  for await (const entry of fs.addAll(files, { wrapWithDirectory: true })) {
    entries.set(entry.path ?? '', entry.cid)
    root = entry.cid
  }
  const get = (path: string): CID => {
    const cid = entries.get(path)
    if (cid == null) throw new Error(`no ${path} in the site`)
    return cid
  }
  if (root == null) throw new Error('no root')
  return { root, dir: get('dir'), file: get('dir/file.txt'), other: get('dir/other.txt'), big: get('big.bin'), zeros: get('zeros.bin') }
}

/** Every block CID of the DAG under `cid` (dag-pb and raw), each once, as strings. */
export async function dagCids (helia: Helia, cid: CID): Promise<Set<string>> {
  const out = new Set<string>()
  const visit = async (current: CID): Promise<void> => {
    if (out.has(current.toString())) return
    out.add(current.toString())
    if (current.code !== dagPb.code) return
    const bytes = await helia.blockstore.get(current, { offline: true })
    const chunks: Uint8Array[] = []
    for await (const chunk of bytes) chunks.push(chunk)
    const node = dagPb.decode(Buffer.concat(chunks))
    for (const link of node.Links) await visit(link.Hash)
  }
  await visit(cid)
  return out
}

/** A CAR read back: its roots and its blocks in order, each checked against its CID (sha2-256). */
export interface ReadCar {
  roots: string[]
  blocks: string[]
}

/** Read a CAR and verify every block's hash; throws on a block that does not match its CID. */
export async function readCar (bytes: Uint8Array): Promise<ReadCar> {
  const iterator = await CarBlockIterator.fromBytes(bytes)
  const roots = (await iterator.getRoots()).map(cid => cid.toString())
  const blocks: string[] = []
  for await (const block of iterator) {
    const digest = await sha256.digest(block.bytes)
    if (block.cid.multihash.code !== sha256.code || !equals(digest.digest, block.cid.multihash.digest)) {
      throw new Error(`block ${block.cid.toString()} does not match its CID`)
    }
    blocks.push(block.cid.toString())
  }
  return { roots, blocks }
}

/** Components for a gateway over `helia`, with a fresh PeerId and stub lookups unless given. */
export async function gatewayComponents (helia: GatewayComponents['helia'], overrides: Partial<GatewayComponents> = {}): Promise<GatewayComponents> {
  const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  return {
    helia,
    libp2p: { peerId, getMultiaddrs: () => [multiaddr(`/ip4/127.0.0.1/tcp/4001/ws/p2p/${peerId.toString()}`)] },
    getRecord: async () => undefined,
    findProviders: async function * () {},
    ...overrides
  }
}

/** A gateway served on a free loopback port. */
export interface RunningGateway {
  /** `http://127.0.0.1:<port>` */
  origin: string
  close: () => Promise<void>
}

/** Header the server's fallback answer carries: the gateway did not take the request. */
export const FALLTHROUGH_HEADER = 'x-test-fallthrough'

/** Serve a gateway handler on a free loopback port; requests it does not take get 418 with {@link FALLTHROUGH_HEADER}. */
export async function startGateway (init: GatewayInit, components: GatewayComponents): Promise<RunningGateway> {
  const handle = createGatewayHandler(init, components)
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (!handle(req, res, url)) {
      res.writeHead(418, { [FALLTHROUGH_HEADER]: '1' }).end()
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => { resolve() }))
    }
  }
}
