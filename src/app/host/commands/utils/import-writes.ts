import type { HostComponents } from '../../components.js'
import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

type WritableBlockstore = HostComponents['blockstore']

/**
 * The blockstore as one import writes to it: counts the bytes of blocks
 * written (for the "room there was" of a quota error), refuses every put
 * after the first one failed (and aborts {@link ImportWrites.signal}, which
 * the import should stop at), and says when every put it took has landed or
 * failed ({@link ImportWrites.settled}).
 *
 * A failed import's blocks are collected by garbage collection, which must
 * start only once no put of the import can still land: the importer hashes
 * and puts blocks in parallel, so when one put fails (IndexedDB's
 * `QuotaExceededError`) others are still under way, and one landing after
 * the collection listed the blocks would stay, pinned by nobody, for ever.
 * Each put is made without the import's signal for the same reason: an
 * aborted put still lands (IndexedDB transactions are not cancelled), and
 * {@link ImportWrites.settled} must wait for it.
 */
export class ImportWrites {
  /** Bytes of the blocks written so far. */
  writtenBytes = 0
  private readonly failure = new AbortController()
  private readonly pending = new Set<Promise<unknown>>()
  private readonly store: WritableBlockstore

  constructor (store: WritableBlockstore) {
    this.store = store
  }

  /** Aborts, with the put's error as reason, when a put failed. */
  get signal (): AbortSignal {
    return this.failure.signal
  }

  /** The blockstore to give the importer. */
  get blockstore (): WritableBlockstore {
    return {
      get: (...args) => this.store.get(...args),
      has: async (...args) => this.store.has(...args),
      put: async (cid, block, options) => this.put(cid, block, options)
    }
  }

  /** Resolves once every put taken so far landed or failed. */
  async settled (): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.allSettled([...this.pending])
    }
  }

  private async put (cid: CID, block: Parameters<WritableBlockstore['put']>[1], options?: AbortOptions): Promise<CID> {
    this.failure.signal.throwIfAborted()
    options?.signal?.throwIfAborted()
    const put = Promise.resolve(this.store.put(cid, block))
    this.pending.add(put)
    try {
      const key = await put
      this.writtenBytes += block instanceof Uint8Array ? block.byteLength : 0
      return key
    } catch (err) {
      this.failure.abort(err)
      throw err
    } finally {
      this.pending.delete(put)
    }
  }
}
