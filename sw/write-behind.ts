import { logger } from '@libp2p/logger'
import { BaseBlockstore } from 'blockstore-core'
import toBuffer from 'it-to-buffer'
import type { AbortOptions } from '@libp2p/interface'
import type { Blockstore, Pair } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

const log = logger('wia:sw:write-behind')

/**
 * The worker's blockstore: memory in front of a lasting store (the visitor's
 * block cache in IndexedDB). A put returns once the block is in memory; its
 * IndexedDB write runs in the background. Helia stores every fetched block
 * before it hands it on, and waiting for one IndexedDB transaction per block
 * held each level of a cold visit back: the 19 subresources of the 1 MB
 * bench site took ~400 ms with the wait and ~250 ms from memory alone.
 *
 * A block whose IndexedDB write fails (the origin's quota is used up) is
 * logged and stays in memory for the worker's life; the next visit fetches it
 * from peers again. Reads look in memory first, then IndexedDB.
 */
export class WriteBehindBlockstore extends BaseBlockstore {
  private readonly writes = new Set<Promise<void>>()

  constructor (private readonly memory: Blockstore, private readonly lasting: Blockstore) {
    super()
  }

  override async put (cid: CID, value: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options?: AbortOptions): Promise<CID> {
    const bytes = value instanceof Uint8Array ? value : await toBuffer(value)
    await this.memory.put(cid, bytes, options)
    const write = Promise.resolve(this.lasting.put(cid, bytes))
      .then(() => {}, (err: Error) => { log.error('block %c stays in memory only: %e', cid, err) })
    this.writes.add(write)
    void write.finally(() => this.writes.delete(write))
    return cid
  }

  override async * get (cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    if (await this.memory.has(cid, options)) {
      yield * this.memory.get(cid, options)
      return
    }
    yield * this.lasting.get(cid, options)
  }

  override async has (cid: CID, options?: AbortOptions): Promise<boolean> {
    return (await this.memory.has(cid, options)) || this.lasting.has(cid, options)
  }

  override async delete (cid: CID, options?: AbortOptions): Promise<void> {
    await this.settled()
    await this.memory.delete(cid, options)
    await this.lasting.delete(cid, options)
  }

  /** Every block in the lasting store, once the writes under way have landed. */
  override async * getAll (options?: AbortOptions): AsyncGenerator<Pair> {
    await this.settled()
    yield * this.lasting.getAll(options)
  }

  /** Resolves once every block put so far is in the lasting store (or its write failed and was logged). */
  async settled (): Promise<void> {
    await Promise.all([...this.writes])
  }
}
