import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core'
import toBuffer from 'it-to-buffer'
import * as raw from 'multiformats/codecs/raw'
import { beforeAll, describe, expect, it } from 'vitest'
import { equalBytes, pseudoRandomBytes } from '../../test/fixtures/bytes.js'
import { READ_WINDOW_BYTES, exporterFiles } from './files.js'
import { importSite } from './import.js'
import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

const MiB = 1024 * 1024

/** A blockstore that counts the leaf (raw) blocks read from it. */
class CountingBlockstore extends MemoryBlockstore {
  leavesRead = 0

  override async * get (cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    if (cid.code === raw.code) {
      this.leavesRead++
    }
    yield * super.get(cid, options)
  }
}

describe('exporterFiles', () => {
  const data = pseudoRandomBytes(5 * MiB + 1000)
  let blockstore: CountingBlockstore
  let file: CID

  beforeAll(async () => {
    blockstore = new CountingBlockstore()
    const root = (await importSite(unixfs({ blockstore }), [{ path: 'video.webm', size: data.byteLength, content: async function * () { yield data } }])).root
    file = (await exporterFiles(blockstore).stat(root, { path: 'video.webm' })).cid
  })

  it.each([
    ['the whole file', undefined, undefined],
    ['a range within one window', 100, 1000],
    ['a range across windows, unaligned at both ends', READ_WINDOW_BYTES - 10, 2 * READ_WINDOW_BYTES + 20],
    ['from a window boundary to the end', 3 * READ_WINDOW_BYTES, undefined],
    ['a length past the end', 5 * MiB, 10 * MiB],
    ['no bytes', 7, 0]
  ])('reads %s byte for byte', async (_, offset, length) => {
    const read = await toBuffer(exporterFiles(blockstore).cat(file, { offset, length }))
    const start = offset ?? 0
    expect(equalBytes(read, data.subarray(start, length == null ? undefined : start + length))).toBe(true)
  })

  it('fetches no block more than a window ahead of its reader', async () => {
    blockstore.leavesRead = 0
    const chunks = exporterFiles(blockstore).cat(file, { offset: MiB / 2 })[Symbol.asyncIterator]()
    await chunks.next()
    // what the exporter would fetch ahead unasked has had the time to
    await new Promise(resolve => setTimeout(resolve, 50))
    // the block being read, and the next one (the exporter fetches the block after a range that ends on a boundary)
    expect(blockstore.leavesRead).toBeLessThanOrEqual(2)
    await chunks.return?.()
  })

  it('refuses an offset past the end as the exporter does', async () => {
    await expect(toBuffer(exporterFiles(blockstore).cat(file, { offset: data.byteLength + 1 }))).rejects.toMatchObject({ name: 'InvalidParametersError' })
  })
})
