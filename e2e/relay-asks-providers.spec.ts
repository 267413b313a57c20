import { expect, test } from '@playwright/test'
import { CarReader } from '@ipld/car'
import { MemoryBlockstore } from 'blockstore-core'
import { exporter } from 'ipfs-unixfs-exporter'
import toBuffer from 'it-to-buffer'
import { verifyBlock } from '../src/trustless/index.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { uniqueLabel } from './support/site.js'
import { startNodePeer } from './support/node-peer.js'
import type { NodePeer } from './support/node-peer.js'
import type { SiteFile } from '../src/content/index.js'

/** Five text files of a few kB each, as a site's `SiteFile`s. */
function textFiles (): Array<{ file: SiteFile, bytes: Uint8Array }> {
  return Array.from({ length: 5 }, (_, i) => {
    const bytes = new TextEncoder().encode(`page ${i} of a site only its host holds\n`.repeat(200))
    return { bytes, file: { path: `page-${i}.txt`, size: bytes.byteLength, content: async function * () { yield bytes } } }
  })
}

test("a relay asks only a site's providers for its blocks: another peer on the relay hears no want for them", async () => {
  test.setTimeout(90_000)
  // no relay cache: every block of the CAR comes from the host
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--cache-size', '0'] })
  const peers: NodePeer[] = []
  try {
    const host = await startNodePeer(relay.relayAddrs[0]!)
    peers.push(host)
    // a peer on the same relay that holds nothing of the site (another site's host, say)
    const bystander = await startNodePeer(relay.relayAddrs[0]!)
    peers.push(bystander)
    const files = textFiles()
    const site = await host.publishSite(uniqueLabel('asks'), files.map(({ file }) => file))
    const hostAskedBefore = host.askedFor().length
    const bystanderAskedBefore = bystander.askedFor().length

    const response = await fetch(new URL(`/ipfs/${site.root.toString()}?format=car&dag-scope=all`, relay.appUrl), { headers: { accept: 'application/vnd.ipld.car' } })
    expect(response.status).toBe(200)
    const car = await CarReader.fromBytes(new Uint8Array(await response.arrayBuffer()))
    const store = new MemoryBlockstore()
    for await (const { cid, bytes } of car.blocks()) {
      await verifyBlock(cid, bytes)
      await store.put(cid, bytes)
    }
    for (const { file, bytes } of files) {
      const entry = await exporter(`${site.root.toString()}/${file.path}`, store)
      // a file of one block is a raw leaf
      expect(entry.type === 'file' || entry.type === 'raw' ? await toBuffer(entry.content()) : entry.type).toEqual(bytes)
    }

    // the host was asked for the blocks; the bystander was asked for none of them
    expect(host.askedFor().length).toBeGreaterThan(hostAskedBefore)
    expect(bystander.askedFor().slice(bystanderAskedBefore)).toEqual([])
  } finally {
    await Promise.all(peers.map(async peer => peer.stop()))
    await relay.stop()
  }
})
