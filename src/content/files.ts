import { exporter } from 'ipfs-unixfs-exporter'
import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

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
  /** The file's bytes, from `offset` for `length` bytes (only the blocks holding them are read). */
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
      yield * entry.content({ offset: options.offset, length: options.length, signal: options.signal })
    }
  }
}
