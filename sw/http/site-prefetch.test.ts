import * as dagPb from '@ipld/dag-pb'
import { MemoryBlockstore } from 'blockstore-core'
import toBuffer from 'it-to-buffer'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { carBytes, rawBlock, type TestBlock } from '../../test/fixtures/blocks.js'
import { FetchingBlockstore } from './fetching-blockstore.js'
import { RelayGateways } from './gateways.js'
import { SitePrefetch } from './site-prefetch.js'

/** A directory block linking `files` by name, with their sizes as `Tsize` (what UnixFS writes). */
async function directory (files: Record<string, TestBlock>): Promise<TestBlock> {
  const bytes = dagPb.encode(dagPb.prepare({
    Data: new Uint8Array([8, 1]),
    Links: Object.entries(files).map(([Name, file]) => ({ Name, Hash: file.cid, Tsize: file.bytes.byteLength }))
  }))
  return { cid: CID.createV1(dagPb.code, await sha256.digest(bytes)), bytes }
}

/** A relay that answers `dag-scope=all` with `blocks` as one CAR and any other request with 404; the URLs asked. */
function relay (blocks: TestBlock[]): { gateways: RelayGateways, asked: string[] } {
  const asked: string[] = []
  const fetch = async (input: string | URL | Request): Promise<Response> => {
    const url = String(input)
    asked.push(url)
    if (url.includes('dag-scope=all')) {
      return new Response(new Blob([(await carBytes(blocks)).slice()]), { headers: { 'content-type': 'application/vnd.ipld.car' } })
    }
    return new Response(null, { status: 404 })
  }
  return { gateways: new RelayGateways({ bases: ['https://a.test/_wia/'], fetch: fetch as typeof globalThis.fetch }), asked }
}

describe('SitePrefetch', () => {
  it('brings a small site in one CAR, and a request missing one of its blocks waits for it instead of asking', async () => {
    const css = await rawBlock('body { color: red }')
    const root = await directory({ 'site.css': css })
    const local = new MemoryBlockstore()
    await local.put(root.cid, root.bytes)
    const { gateways, asked } = relay([root, css])
    const site = new SitePrefetch({ local, gateways })

    site.start(root.cid)
    const blocks = new FetchingBlockstore(local, gateways, { root: root.cid, path: '/site.css', site })
    expect(new TextDecoder().decode(await toBuffer(blocks.get(css.cid)))).toBe('body { color: red }')
    expect(asked).toEqual([`https://a.test/_wia/ipfs/${root.cid}?dag-scope=all`])

    // once per worker and root
    await new Promise(resolve => setTimeout(resolve, 10))
    site.start(root.cid)
    expect(asked).toHaveLength(1)
  })

  it('does not fetch a site whose root says it is larger than the bound', async () => {
    const css = await rawBlock('body { color: blue }')
    const root = await directory({ 'site.css': css })
    const local = new MemoryBlockstore()
    await local.put(root.cid, root.bytes)
    const { gateways, asked } = relay([root, css])
    const site = new SitePrefetch({ local, gateways }, { maxBytes: root.bytes.byteLength })

    site.start(root.cid)
    expect(await site.arrives(root.cid, css.cid)).toBe(false)
    expect(asked).toEqual([])
  })
})
