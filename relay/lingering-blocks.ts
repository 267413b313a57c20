import { BaseBlockstore } from 'blockstore-core/base'
import toBuffer from 'it-to-buffer'
import { LRUCache } from 'lru-cache'
import { FETCHED_BLOCK_LINGER_MS, FETCHED_BLOCKS_MAX_BYTES } from './gateway/index.js'
import { ownBytes } from '../src/trustless/index.js'
import type { AbortOptions } from '@libp2p/interface'
import type { Blockstore, Pair } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

/** Init of {@link LingeringBlocks}. */
export interface LingeringBlocksInit {
  /**
   * How long a block put stays (ms after its put).
   *
   * @default FETCHED_BLOCK_LINGER_MS (6 s)
   */
  lingerMs?: number
  /**
   * Bytes of blocks held at most; past it the block put longest ago goes first.
   *
   * @default FETCHED_BLOCKS_MAX_BYTES (64 MiB)
   */
  maxBytes?: number
}

/**
 * The blockstore of a relay without a cache (`--cache-size 0`), given to its
 * Helia node: every block put (Helia puts each block it fetched from a peer
 * for a visitor) is held in memory for `lingerMs` after its put and never
 * written to disk; reads, `has` and deletes go to memory first and then to
 * `store` (the relay's checked LevelDB store, which holds only what an earlier
 * run with a cache kept). The linger outlasts `@helia/bitswap`'s
 * do-not-resend window (`FETCHED_BLOCK_LINGER_MS`), so a block wanted again
 * right after its fetch is still had; later visits are served by the peers
 * that hold the site. The relay used to write each such block to LevelDB,
 * read it back and delete it 6 s later: LevelDB's writes were the largest
 * item of a cache-less relay's CPU profile while it streamed a 95 MiB file
 * from a host's tab (2026-12-02).
 *
 * Blocks reach here checked (Helia hashes each fetched block before its put).
 * A block that is a view into a larger buffer (Helia's blocks are views into
 * the bitswap message that brought them) is copied, so memory holds exactly
 * the bytes counted and no message buffer is kept alive by one block of it.
 * Readers share the bytes held and must not change them.
 */
export class LingeringBlocks extends BaseBlockstore {
  private readonly held: LRUCache<string, { cid: CID, bytes: Uint8Array }>

  constructor (private readonly store: Blockstore, init: LingeringBlocksInit = {}) {
    super()
    this.held = new LRUCache({
      maxSize: Math.max(1, init.maxBytes ?? FETCHED_BLOCKS_MAX_BYTES),
      sizeCalculation: ({ bytes }) => Math.max(1, bytes.byteLength),
      ttl: init.lingerMs ?? FETCHED_BLOCK_LINGER_MS,
      // dropped when its time is up, not when next touched: the memory is freed (the timers do not hold the process)
      ttlAutopurge: true,
      // the order of puts, not of reads: a block leaves lingerMs after its fetch however often it is read
      updateAgeOnGet: false,
      noUpdateTTL: false
    })
  }

  override async put (cid: CID, value: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<CID> {
    const bytes = value instanceof Uint8Array ? value : await toBuffer(value)
    // a view into a larger buffer (a bitswap message) would keep all of that buffer alive
    this.held.set(cid.toString(), { cid, bytes: ownBytes(bytes) })
    return cid
  }

  override async * get (cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    const held = this.held.get(cid.toString())
    if (held != null) {
      yield held.bytes
      return
    }
    yield * this.store.get(cid, options)
  }

  override async has (cid: CID, options?: AbortOptions): Promise<boolean> {
    return this.held.has(cid.toString()) || await this.store.has(cid, options)
  }

  override async delete (cid: CID, options?: AbortOptions): Promise<void> {
    this.held.delete(cid.toString())
    await this.store.delete(cid, options)
  }

  /** The blocks held in memory, then every pair of `store`. */
  override async * getAll (options?: AbortOptions): AsyncGenerator<Pair> {
    for (const { cid, bytes } of [...this.held.values()]) {
      yield { cid, bytes: (async function * () { yield bytes })() }
    }
    yield * this.store.getAll(options)
  }

  /** Bytes of blocks held in memory; those past their time are dropped first (the autopurge timer may not have run yet). */
  get bytes (): number {
    this.held.purgeStale()
    return this.held.calculatedSize
  }
}
