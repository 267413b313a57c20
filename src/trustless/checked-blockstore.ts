import { BaseBlockstore } from 'blockstore-core/base'
import toBuffer from 'it-to-buffer'
import { blockBytes } from './block-bytes.js'
import { BlockHashMismatchError } from './errors.js'
import { verifyBlock } from './verify.js'
import type { AbortOptions } from '@libp2p/interface'
import type { Blockstore, Pair } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

/**
 * Blocks whose stored bytes passed the check lately, which a
 * {@link CheckedBlockstore} does not hash again (the relay's `RecentChecks`).
 * Storage someone else can write to (an origin's IndexedDB) has none.
 */
export interface CheckMemo {
  /** Whether the block's stored bytes passed the check lately. */
  has(cid: CID): boolean
  /** The block's stored bytes passed the check just now. */
  add(cid: CID): void
  /** The block left the store. */
  delete(cid: CID): void
}

/** Init of {@link CheckedBlockstore}. */
export interface CheckedBlockstoreInit {
  /** Called with each block that failed its check and was deleted (for logs and counters). */
  onCorrupt?(cid: CID): void
  /** Blocks checked lately, read without hashing again; absent: every read is hashed. */
  checked?: CheckMemo
}

/**
 * A blockstore whose reads are checked: every block read from the store it
 * wraps is hashed again and compared with its CID before it is returned
 * (WebCrypto SHA-256 in browsers). Storage anyone else can write to (an
 * origin's IndexedDB, which the site's own pages can reach; a relay's data
 * directory on a disk that can rot) is never believed: a block that fails is
 * deleted, so the caller fetches it again from peers, and never served.
 * With a {@link CheckMemo} (`init.checked`), a block whose bytes passed the
 * check lately is returned without hashing it again.
 *
 * @throws {BlockHashMismatchError} from `get` when the stored bytes do not match the CID (the block is gone by then)
 * @throws {UnsupportedHashError} from `get` for a CID whose hash function cannot be checked
 */
export class CheckedBlockstore extends BaseBlockstore {
  constructor (private readonly store: Blockstore, private readonly init: CheckedBlockstoreInit = {}) {
    super()
  }

  override async * get (cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    const bytes = await blockBytes(this.store.get(cid, options))
    const { checked } = this.init
    if (checked?.has(cid) === true) {
      yield bytes
      return
    }
    try {
      await verifyBlock(cid, bytes)
    } catch (err) {
      if ((err as Error).name === BlockHashMismatchError.name) {
        await this.store.delete(cid, options)
        this.init.onCorrupt?.(cid)
      }
      throw err
    }
    checked?.add(cid)
    yield bytes
  }

  override async put (cid: CID, value: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options?: AbortOptions): Promise<CID> {
    return this.store.put(cid, value, options)
  }

  override async has (cid: CID, options?: AbortOptions): Promise<boolean> {
    return this.store.has(cid, options)
  }

  override async delete (cid: CID, options?: AbortOptions): Promise<void> {
    this.init.checked?.delete(cid)
    await this.store.delete(cid, options)
  }

  /** Every stored pair as stored: a bulk listing (for bounds and garbage collection) is not a read of content. */
  override async * getAll (options?: AbortOptions): AsyncGenerator<Pair> {
    yield * this.store.getAll(options)
  }
}

/**
 * The bytes of `cid` from a store built over a {@link CheckedBlockstore}:
 * when the stored copy failed its hash check (and was dropped), it is read
 * once more, which a networked store (Helia's `helia.blockstore`) answers by
 * fetching the block from peers. A block that changed on disk costs one
 * extra fetch and is never served. The first read's bytes are taken as the
 * store yields them (not copied), so `store` must yield buffers it does not
 * reuse: the relay's `localFirst` copies what the network brings and hands
 * its own store's buffers on. The second read's bytes are a copy
 * (`it-to-buffer`): a networked store may yield a view into a buffer it
 * reuses (the relay's gateway read Helia's blocks without a copy and its
 * reachability e2e failed on most runs).
 *
 * @throws whatever the store's second `get` throws (`BlockHashMismatchError` only if the peers' copy was dropped too, which cannot pass Helia's own check)
 */
export async function readRefetchingCorrupt (store: Pick<Blockstore, 'get'>, cid: CID, options?: AbortOptions): Promise<Uint8Array> {
  try {
    return await blockBytes(store.get(cid, options))
  } catch (err) {
    if ((err as Error).name !== BlockHashMismatchError.name) {
      throw err
    }
    return await toBuffer(store.get(cid, options))
  }
}

/**
 * A reader's view of `store` whose every `get` goes through
 * {@link readRefetchingCorrupt}, for readers (the UnixFS exporter) that read
 * blocks one `get` at a time.
 */
export function refetchingCorrupt (store: Pick<Blockstore, 'get'>): Pick<Blockstore, 'get'> {
  return {
    async * get (cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
      yield await readRefetchingCorrupt(store, cid, options)
    }
  }
}
