import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core'
import { beforeEach, describe, expect, it } from 'vitest'
import { equalBytes, pseudoRandomBytes } from '../../test/fixtures/bytes.js'
import { importSite, siteFileCids } from './import.js'
import type { ImportProgress, SiteFile } from './import.js'
import type { UnixFS } from '@helia/unixfs'

const KiB = 1024
const MiB = 1024 * KiB

/** A site file whose content is yielded in `pieces`. */
function siteFile (path: string, ...pieces: Uint8Array[]): SiteFile {
  return {
    path,
    size: pieces.reduce((sum, piece) => sum + piece.byteLength, 0),
    content: async function * () { yield * pieces }
  }
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s)

/** `bytes` as views (`subarray`) of `pieceBytes` each into its one buffer. */
function views (bytes: Uint8Array, pieceBytes: number): Uint8Array[] {
  const pieces: Uint8Array[] = []
  for (let offset = 0; offset < bytes.byteLength; offset += pieceBytes) {
    pieces.push(bytes.subarray(offset, offset + pieceBytes))
  }
  return pieces
}

async function concat (source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const part of source) {
    parts.push(part)
  }
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}


/** Bytes the store keeps: the whole buffer behind each stored array, as blockstore-idb persists it. */
async function storedBufferBytes (blockstore: MemoryBlockstore): Promise<number> {
  let total = 0
  for await (const { bytes } of blockstore.getAll()) {
    for await (const chunk of bytes) {
      total += chunk.buffer.byteLength
    }
  }
  return total
}

// `unixfs` over a bare MemoryBlockstore, not `createHeliaLight()`: importing
// 'helia' loads undici 8, which needs Node >= 22.19 and crashes on Node 20.
describe('importSite', () => {
  let blockstore: MemoryBlockstore
  let fs: UnixFS

  beforeEach(() => {
    blockstore = new MemoryBlockstore()
    fs = unixfs({ blockstore })
  })

  it('imports a tree under one root directory', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3])
    const files = [
      siteFile('index.html', text('<h1>hi</h1>')),
      siteFile('css/a.css', text('body{}')),
      siteFile('img/x.png', png),
      siteFile('deep/a/b/c.txt', text('deep'), text(' text'))
    ]
    const events: ImportProgress[] = []
    const result = await importSite(fs, files, { onProgress: p => events.push(p) })

    expect(result.root.version).toBe(1)
    expect(result.files).toBe(4)
    expect(result.bytes).toBe(11 + 6 + 8 + 9)

    const names = []
    for await (const entry of fs.ls(result.root)) {
      names.push(entry.name)
    }
    expect(names.sort()).toEqual(['css', 'deep', 'img', 'index.html'])
    expect(await concat(fs.cat(result.root, { path: 'img/x.png' }))).toEqual(png)
    expect(new TextDecoder().decode(await concat(fs.cat(result.root, { path: 'deep/a/b/c.txt' })))).toBe('deep text')

    const last = events.at(-1)
    expect(last).toEqual({ files: 4, totalFiles: 4, bytes: 34, totalBytes: 34 })
    expect(events.every(p => p.totalFiles === 4 && p.totalBytes === 34)).toBe(true)
  })

  it('accepts an async iterable of files with ReadableStream content', async () => {
    async function * files (): AsyncGenerator<SiteFile> {
      yield {
        path: 'index.html',
        size: 5,
        content: () => new ReadableStream({
          start (controller) {
            controller.enqueue(text('he'))
            controller.enqueue(text('llo'))
            controller.close()
          }
        })
      }
    }
    const result = await importSite(fs, files())
    expect(new TextDecoder().decode(await concat(fs.cat(result.root, { path: 'index.html' })))).toBe('hello')
  })

  it('imports an empty file', async () => {
    const result = await importSite(fs, [siteFile('empty.txt')])
    const stats = await fs.stat(result.root, { path: 'empty.txt' })
    expect(stats.size).toBe(0n)
  })

  it('throws EmptySiteError for no files', async () => {
    await expect(importSite(fs, [])).rejects.toMatchObject({ name: 'EmptySiteError' })
  })

  it('throws InvalidPathError for a path that escapes the root', async () => {
    await expect(importSite(fs, [siteFile('../x.html', text('x'))])).rejects.toMatchObject({ name: 'InvalidPathError' })
  })

  it('stops when aborted', async () => {
    const controller = new AbortController()
    const file: SiteFile = {
      path: 'big.bin',
      size: 4 * MiB,
      content: async function * () {
        yield new Uint8Array(MiB)
        controller.abort()
        yield new Uint8Array(MiB)
        yield new Uint8Array(MiB)
      }
    }
    await expect(importSite(fs, [file], { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' })
  })

  it.each([
    ['64 KiB', 64 * KiB],
    ['1 MiB', MiB],
    ['one 3 MiB', 3 * MiB]
  ])('stores no more than the file when given %s view(s) into one buffer', async (_, pieceBytes) => {
    const data = pseudoRandomBytes(3 * MiB)
    const result = await importSite(fs, [siteFile('big.bin', ...views(data, pieceBytes))])

    expect(await storedBufferBytes(blockstore)).toBeLessThanOrEqual(1.05 * data.byteLength)
    expect(equalBytes(await concat(fs.cat(result.root, { path: 'big.bin' })), data)).toBe(true)
  })

  it('stores small files given as views into one buffer by themselves', async () => {
    const data = pseudoRandomBytes(MiB)
    const files = views(data, 100 * KiB).map((piece, i) => siteFile(`f${i}.bin`, piece))
    await importSite(fs, files)

    expect(await storedBufferBytes(blockstore)).toBeLessThanOrEqual(1.05 * data.byteLength)
  })
})

describe('siteFileCids', () => {
  it('gives each file the CID and size an import gives it, storing nothing', async () => {
    const blockstore = new MemoryBlockstore()
    const files = [
      siteFile('index.html', text('<h1>hi</h1>')),
      siteFile('/css/site.css', text('body {}')),
      siteFile('docs/guide/deep/notes.txt', text('deep')),
      siteFile('empty.txt'),
      // several leaves, handed over in pieces that do not line up with them
      siteFile('data/blob.bin', ...views(pseudoRandomBytes(2 * MiB + 3), 300 * KiB))
    ]
    const { root } = await importSite(unixfs({ blockstore }), files)
    const fs = unixfs({ blockstore })

    const cids = await siteFileCids(files)

    expect([...cids.keys()].sort()).toEqual(['css/site.css', 'data/blob.bin', 'docs/guide/deep/notes.txt', 'empty.txt', 'index.html'])
    for (const [path, { cid, bytes }] of cids) {
      const stats = await fs.stat(root, { path })
      expect(cid.toString(), path).toBe(stats.cid.toString())
      expect(bytes, path).toBe(files.find(file => file.path.replace(/^\//, '') === path)?.size)
    }
  })

  it('throws EmptySiteError for no files, and the reason when aborted', async () => {
    await expect(siteFileCids([])).rejects.toMatchObject({ name: 'EmptySiteError' })
    const controller = new AbortController()
    controller.abort(new Error('stop'))
    await expect(siteFileCids([siteFile('a.txt', text('a'))], { signal: controller.signal })).rejects.toThrow('stop')
  })
})
