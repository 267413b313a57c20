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
import type { AbortOptions } from '@libp2p/interface'

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

/** A one-stylesheet site whose root directory the worker keeps (its first page's CAR brought it), the relay that holds it, and the worker's SitePrefetch. */
async function keptSite (text: string, init: { maxBytes?: (root: TestBlock) => number } = {}): Promise<{ css: TestBlock, root: TestBlock, local: MemoryBlockstore, site: SitePrefetch } & ReturnType<typeof relay>> {
  const css = await rawBlock(text)
  const root = await directory({ 'site.css': css })
  const local = new MemoryBlockstore()
  await local.put(root.cid, root.bytes)
  const served = relay([root, css])
  const site = new SitePrefetch({ local, gateways: served.gateways }, init.maxBytes == null ? {} : { maxBytes: init.maxBytes(root) })
  return { css, root, local, site, ...served }
}

describe('SitePrefetch', () => {
  it('brings a small site in one CAR, and a request missing one of its blocks waits for it instead of asking', async () => {
    const { css, root, local, site, gateways, asked } = await keptSite('body { color: red }')

    site.start(root.cid)
    const blocks = new FetchingBlockstore(local, gateways, { root: root.cid, path: '/site.css', site })
    expect(new TextDecoder().decode(await toBuffer(blocks.get(css.cid)))).toBe('body { color: red }')
    expect(asked).toEqual([`https://a.test/_wia/ipfs/${root.cid}?dag-scope=all`])

    // once per worker and root
    await new Promise(resolve => setTimeout(resolve, 10))
    site.start(root.cid)
    expect(asked).toHaveLength(1)
  })

  it('uses a block the whole-site stream brought while the request\'s first look was still under way', async () => {
    const { css, root, local, site, gateways, asked } = await keptSite('body { color: green }')
    // the request's first read of the stylesheet (a slow IndexedDB read) says "not found" only once the stream has ended
    let release: () => void = () => {}
    const released = new Promise<void>(resolve => { release = resolve })
    let first = true
    const slowFirstRead = Object.assign(Object.create(local) as MemoryBlockstore, {
      get: async function * (cid: CID, options?: AbortOptions) {
        if (first && cid.equals(css.cid)) {
          first = false
          await released
          throw Object.assign(new Error('not found'), { name: 'NotFoundError' })
        }
        yield * local.get(cid, options)
      }
    })
    const blocks = new FetchingBlockstore(slowFirstRead, gateways, { root: root.cid, path: '/site.css', site })
    site.start(root.cid)
    const got = toBuffer(blocks.get(css.cid))
    while (site.arrives(root.cid, css.cid) != null) await new Promise(resolve => setTimeout(resolve, 1))
    release()
    expect(new TextDecoder().decode(await got)).toBe('body { color: green }')
    expect(asked).toEqual([`https://a.test/_wia/ipfs/${root.cid}?dag-scope=all`])
  })

  it('does not fetch a site whose root says it is larger than the bound', async () => {
    const { css, root, site, asked } = await keptSite('body { color: blue }', { maxBytes: root => root.bytes.byteLength })

    site.start(root.cid)
    expect(await site.arrives(root.cid, css.cid)).toBe(false)
    expect(asked).toEqual([])
  })
})
