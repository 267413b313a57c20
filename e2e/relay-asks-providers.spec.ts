import { expect, test } from '@playwright/test'
import { CarReader } from '@ipld/car'
import { MemoryBlockstore } from 'blockstore-core'
import { exporter } from 'ipfs-unixfs-exporter'
import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import toBuffer from 'it-to-buffer'
import { verifyBlock } from '../src/trustless/index.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { uniqueLabel } from './support/site.js'
import { startNodePeer } from './support/node-peer.js'
import { plainGet } from './support/plain-http.js'
import type { NodePeer, PublishedSite } from './support/node-peer.js'
import type { RelayProcess } from './support/relay-process.js'
import type { SiteFile } from '../src/content/index.js'

/** Five text files of a few kB each, as a site's `SiteFile`s. */
function textFiles (): Array<{ file: SiteFile, bytes: Uint8Array }> {
  return Array.from({ length: 5 }, (_, i) => {
    const bytes = new TextEncoder().encode(`page ${i} of a site only its host holds\n`.repeat(200))
    return { bytes, file: { path: `page-${i}.txt`, size: bytes.byteLength, content: async function * () { yield bytes } } }
  })
}

/** Fetch the CAR of `root` (`dag-scope=all`) from a relay over HTTP: every block hashes right and each file comes out byte for byte. */
async function expectSiteCar (relayUrl: string, root: CID, files: Array<{ file: SiteFile, bytes: Uint8Array }>): Promise<void> {
  const response = await fetch(new URL(`/ipfs/${root.toString()}?format=car&dag-scope=all`, relayUrl), { headers: { accept: 'application/vnd.ipld.car' } })
  expect(response.status).toBe(200)
  const car = await CarReader.fromBytes(new Uint8Array(await response.arrayBuffer()))
  const store = new MemoryBlockstore()
  for await (const { cid, bytes } of car.blocks()) {
    await verifyBlock(cid, bytes)
    await store.put(cid, bytes)
  }
  for (const { file, bytes } of files) {
    const entry = await exporter(`${root.toString()}/${file.path}`, store)
    // a file of one block is a raw leaf
    expect(entry.type === 'file' || entry.type === 'raw' ? await toBuffer(entry.content()) : entry.type).toEqual(bytes)
  }
}

/** The CID of `bytes` as a raw leaf (a file of one block: its CID names its bytes). */
async function rawCid (bytes: Uint8Array): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(bytes))
}

/** Ask a relay, on the site origin of `name`, for the raw block of `bytes` as the site worker does for a byte range: its bytes, after a 200. */
async function rawBlockOnOrigin (relay: RelayProcess, name: string, bytes: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
  const cid = await rawCid(bytes)
  const answer = await plainGet(`${name}.localhost`, `/_wia/ipfs/${cid.toString()}?format=raw`, { accept: 'application/vnd.ipld.raw' }, relay.httpPort, signal)
  expect(answer.status).toBe(200)
  return new Uint8Array(answer.body)
}

/** What a test of whom the relay asks gets: the relay, a host that published a site of `files`, and a bystander. */
interface Scene {
  relay: RelayProcess
  host: NodePeer
  site: PublishedSite
  files: Array<{ file: SiteFile, bytes: Uint8Array }>
  /** Whether the host was asked for blocks since the scene began. */
  hostWasAsked(): boolean
  /** The CIDs the bystander was asked for since the scene began. */
  bystanderAskedFor(): string[]
}

/**
 * A relay started with `relayArgs`, a Node peer on it hosting a site of five
 * files, and another Node peer on it holding nothing of that site (another
 * site's host, say); everything is stopped after `run`.
 */
async function withBystander (relayArgs: string[], run: (scene: Scene) => Promise<void>): Promise<void> {
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), ...relayArgs] })
  const peers: NodePeer[] = []
  try {
    const host = await startNodePeer(relay.relayAddrs[0]!)
    peers.push(host)
    const bystander = await startNodePeer(relay.relayAddrs[0]!)
    peers.push(bystander)
    const files = textFiles()
    const site = await host.publishSite(uniqueLabel('asks'), files.map(({ file }) => file))
    const hostAskedBefore = host.askedFor().length
    const bystanderAskedBefore = bystander.askedFor().length
    await run({
      relay,
      host,
      site,
      files,
      hostWasAsked: () => host.askedFor().length > hostAskedBefore,
      bystanderAskedFor: () => bystander.askedFor().slice(bystanderAskedBefore)
    })
  } finally {
    // a peer a test stopped already stops again without harm
    await Promise.all(peers.map(async peer => peer.stop()))
    await relay.stop()
  }
}

test("a relay asks only a site's providers for its blocks: another peer on the relay hears no want for them", async () => {
  test.setTimeout(90_000)
  // no relay cache: every block of the CAR comes from the host
  await withBystander(['--cache-size', '0'], async ({ relay, site, files, hostWasAsked, bystanderAskedFor }) => {
    await expectSiteCar(relay.appUrl, site.root, files)
    // the host was asked for the blocks; the bystander was asked for none of them
    expect(hostWasAsked()).toBe(true)
    expect(bystanderAskedFor()).toEqual([])
  })
})

test("a relay keeping a site asks only the site's providers for its blocks", async () => {
  test.setTimeout(90_000)
  await withBystander([], async ({ relay, host, site, files, hostWasAsked, bystanderAskedFor }) => {
    // the owner asks the relay to keep its site: the relay fetches every block of it
    const kept = await host.askRelayToKeep(site.name)
    expect(kept.root.toString()).toBe(site.root.toString())
    // the relay serves the whole site with its owner gone
    await host.stop()
    await expectSiteCar(relay.appUrl, site.root, files)
    expect(hostWasAsked()).toBe(true)
    expect(bystanderAskedFor()).toEqual([])
  })
})

test("a raw block a site's origin asks for alone is asked of the site's providers only", async () => {
  test.setTimeout(90_000)
  await withBystander(['--cache-size', '0'], async ({ relay, site, files, hostWasAsked, bystanderAskedFor }) => {
    // what the site worker does for a byte range of a file: each block by CID, on the site's origin
    for (const { bytes } of files) {
      expect(await rawBlockOnOrigin(relay, site.name, bytes)).toEqual(bytes)
    }
    expect(hostWasAsked()).toBe(true)
    expect(bystanderAskedFor()).toEqual([])
  })
})

test("the files a plain HTTP client reads are asked of the site's providers only", async () => {
  test.setTimeout(90_000)
  await withBystander(['--cache-size', '0'], async ({ relay, site, files, hostWasAsked, bystanderAskedFor }) => {
    // curl, a link preview: the relay reads the site itself
    for (const { file, bytes } of files) {
      const answer = await plainGet(`${site.name}.localhost`, `/${file.path}`, {}, relay.httpPort)
      expect(answer.status, file.path).toBe(200)
      expect(new Uint8Array(answer.body), file.path).toEqual(bytes)
    }
    expect(hostWasAsked()).toBe(true)
    expect(bystanderAskedFor()).toEqual([])
  })
})

test("a site's provider missing one block does not send the site's later reads to every peer", async () => {
  test.setTimeout(90_000)
  await withBystander(['--cache-size', '0'], async ({ relay, site, files, hostWasAsked, bystanderAskedFor }) => {
    // a block of the site's origin that nobody holds: the host says it lacks it, so the relay asks
    // every peer for it (as it must), until this client gives up
    const nobodys = new TextEncoder().encode(`no one has this ${site.name}`)
    const absent = await rawCid(nobodys)
    await expect(rawBlockOnOrigin(relay, site.name, nobodys, AbortSignal.timeout(3_000))).rejects.toThrow()
    // the site's own blocks, asked for afterwards, still go to its provider only
    for (const { bytes } of files) {
      expect(await rawBlockOnOrigin(relay, site.name, bytes)).toEqual(bytes)
    }
    expect(hostWasAsked()).toBe(true)
    expect(bystanderAskedFor().filter(cid => cid !== absent.toString())).toEqual([])
  })
})
