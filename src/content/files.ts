import { exporter } from 'ipfs-unixfs-exporter'
import { BLOCK_BYTES } from './import.js'
import type { Blockstore } from 'interface-blockstore'
import type { UnixFSFile } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'

/**
 * Most bytes of a file {@link exporterFiles}' `cat` asks the exporter for at
 * once (bytes). `ipfs-unixfs-exporter` fetches every block of the range it
 * is given as fast as it can, whether or not they are read, so one `cat` of
 * a video from `bytes=N-` fetched the whole rest of the file while the player
 * read a few seconds of it and then sought elsewhere. Windows start at
 * multiples of this size, so each is one block of a file the app imported.
 */
export const READ_WINDOW_BYTES = BLOCK_BYTES

/** What a site path resolves to: a UnixFS file, directory or raw leaf, with its size in bytes. */
export interface SiteEntryStats {
  cid: CID
  type: 'file' | 'directory' | 'raw'
  /** File content size in bytes (0 for a directory). */
  size: bigint
}

/**
 * The reads serving a site needs: the entry at a path under a directory, and
 * a file's bytes (optionally a part of them). `@helia/unixfs`'s `UnixFS` has
 * this shape; {@link exporterFiles} gives it over a bare blockstore without
 * the importer, which keeps the site worker small.
 */
export interface SiteFiles {
  /**
   * @throws {NotFoundError} (the exporter's) when nothing is at `path`
   */
  stat(cid: CID, options?: { path?: string, signal?: AbortSignal }): Promise<SiteEntryStats>
  /**
   * The file's bytes, from `offset` for `length` bytes: only the blocks
   * holding them are read, each as the reader gets near it.
   */
  cat(cid: CID, options?: { signal?: AbortSignal, offset?: number, length?: number }): AsyncIterable<Uint8Array>
}

/**
 * {@link SiteFiles} over a blockstore with `ipfs-unixfs-exporter`. `path` is
 * one directory entry name at a time (`resolveSitePath` never passes a `/`).
 */
export function exporterFiles (blockstore: Pick<Blockstore, 'get'>): SiteFiles {
  return {
    async stat (cid, options = {}) {
      const entry = await exporter(options.path == null || options.path === '' ? cid : `${cid}/${options.path}`, blockstore, { signal: options.signal })
      switch (entry.type) {
        case 'directory':
          return { cid: entry.cid, type: 'directory', size: 0n }
        case 'file':
          return { cid: entry.cid, type: 'file', size: entry.unixfs.fileSize() }
        case 'raw':
        case 'identity':
          return { cid: entry.cid, type: 'raw', size: BigInt(entry.node.byteLength) }
        default:
          throw Object.assign(new Error(`${entry.cid} is not a UnixFS file or directory`), { name: 'NotFoundError' })
      }
    },
    async * cat (cid, options = {}) {
      const entry = await exporter(cid, blockstore, { signal: options.signal })
      if (entry.type !== 'file' && entry.type !== 'raw' && entry.type !== 'identity') {
        throw Object.assign(new Error(`${cid} is not a file`), { name: 'NotAFileError' })
      }
      if (entry.type !== 'file') {
        // the file is this one block, read already
        yield * entry.content({ offset: options.offset, length: options.length, signal: options.signal })
        return
      }
      yield * readInWindows(entry, options)
    }
  }
}

/**
 * A file's bytes from `offset` for `length`, asked of the exporter one
 * {@link READ_WINDOW_BYTES} window at a time, each once the reader has taken
 * the one before: the blocks fetched run at most a window ahead of the
 * reader, and one block more (the exporter also reads the block that starts
 * where a range ends, which here fetches the next window's first block early).
 */
async function * readInWindows (file: UnixFSFile, options: { signal?: AbortSignal, offset?: number, length?: number }): AsyncGenerator<Uint8Array> {
  const size = Number(file.size)
  const start = options.offset ?? 0
  const end = options.length == null ? size : Math.min(size, start + options.length)
  if (start < 0 || start >= end) {
    // nothing to read, or a range the exporter refuses: it says which
    yield * file.content({ offset: options.offset, length: options.length, signal: options.signal })
    return
  }
  for (let from = start; from < end;) {
    const to = Math.min(end, (Math.floor(from / READ_WINDOW_BYTES) + 1) * READ_WINDOW_BYTES)
    yield * file.content({ offset: from, length: to - from, signal: options.signal })
    from = to
  }
}
