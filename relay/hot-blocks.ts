import { LRUCache } from 'lru-cache'
import { blockBytes, ownBytes } from '../src/trustless/index.js'
import type { AbortOptions } from '@libp2p/interface'
import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

/**
 * Bytes of recently served blocks a relay keeps in memory
 * ({@link HotBlocks}). A cold visit to reveal.js reads about 1.9 MB of
 * blocks, and every CAR of it reads the site's directory blocks again; the
 * bound holds the hot files of a few such sites and stays small beside the
 * relay's 512 MiB memory goal (`stress/under-attack.ts`).
 */
export const HOT_BLOCKS_MAX_BYTES = 16 * 1024 * 1024

export interface HotBlocksInit {
  /**
   * Bytes kept in memory.
   *
   * @default HOT_BLOCKS_MAX_BYTES
   */
  maxBytes?: number
}

/**
 * A relay's store of blocks it keeps (its checked LevelDB store), with the
 * blocks it read last kept in memory, least recently used out first: a site
 * its visitors open is read from memory, not from LevelDB and SHA-256 again
 * for each request. A block is kept only once the store under it returned it,
 * i.e. once its hash was checked (`CheckedBlockstore`), so what memory holds
 * is as good as what disk held; blocks are content-addressed, so a kept copy
 * never goes stale (a block the site cache deleted since may still be
 * served from memory until it is pushed out, with the right bytes).
 *
 * Read-only view: the relay writes and deletes through Helia, under it.
 */
export class HotBlocks implements Pick<Blockstore, 'get' | 'has'> {
  private readonly kept: LRUCache<string, Uint8Array>
  /** Largest block kept (an eighth of the bound, bytes): one large file cannot push out every other site's blocks. */
  private readonly maxBlockBytes: number

  constructor (private readonly store: Pick<Blockstore, 'get' | 'has'>, init: HotBlocksInit = {}) {
    const maxBytes = init.maxBytes ?? HOT_BLOCKS_MAX_BYTES
    this.maxBlockBytes = Math.max(1, Math.floor(maxBytes / 8))
    this.kept = new LRUCache({ maxSize: maxBytes, sizeCalculation: bytes => Math.max(1, bytes.byteLength) })
  }

  /**
   * The block's bytes: from memory when kept, else from the store (and kept).
   * Callers share the bytes kept in memory and must not change them.
   *
   * @throws what the store throws (`NotFoundError`, `BlockHashMismatchError`)
   */
  async * get (cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    const key = cid.toString()
    const kept = this.kept.get(key)
    if (kept != null) {
      yield kept
      return
    }
    const bytes = await blockBytes(this.store.get(cid, options))
    if (bytes.byteLength <= this.maxBlockBytes) {
      // a view into a larger buffer would keep all of that buffer alive
      this.kept.set(key, ownBytes(bytes))
    }
    yield bytes
  }

  async has (cid: CID, options?: AbortOptions): Promise<boolean> {
    return this.kept.has(cid.toString()) || await this.store.has(cid, options)
  }

  /** Bytes of blocks held in memory. */
  get bytes (): number {
    return this.kept.calculatedSize
  }
}
