import { logger } from './log.js'
import { BaseBlockstore } from 'blockstore-core/base'
import { blockBytes } from '../src/trustless/index.js'
import type { AbortOptions } from '@libp2p/interface'
import type { Blockstore, Pair } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

const log = logger('wia:sw:write-behind')

/**
 * Bytes of written blocks a {@link WriteBehindBlockstore} keeps in memory
 * besides those whose write is under way: the latest of a visit's blocks,
 * read by its requests as they arrive, where an IndexedDB read would queue
 * behind the writes and hash the block again. A large file's CAR runs
 * ahead of the page reading it: with 16 MiB the 95 MiB throughput bench
 * fell from 62 to 42–52 MiB/s (blocks read back from IndexedDB), with
 * 64 MiB it stayed at 60–61 MiB/s (`npm run bench -- --only throughput`).
 */
export const WRITE_BEHIND_MEMORY_BYTES = 64 * 1024 * 1024

/**
 * How long the worker waits after the last block it was given or read from
 * memory before it writes its blocks to IndexedDB (ms): a cold visit's
 * blocks arrive in a burst while the page loads, and an IndexedDB write (the
 * structured clone of the block, its transaction) takes the worker's thread
 * and a core from the page it serves. Written once the burst is over and
 * its responses have read what came: after the page. Counting the reads
 * took the 95 MiB file "from the host" from 51.2–62.0 to 68.0–70.9 MiB/s
 * (`npm run bench -- --only "throughput from"`, two runs each, static
 * server 376–399 MiB/s; 2026-12-01). Those host rows were served from the
 * relay's disk after their first repetition (a relay without a cache kept
 * what it fetched then; `docs/performance.md`), so they measured this
 * worker reading a relay's store, not the host.
 */
export const WRITE_QUIET_MS = 250

/**
 * Bytes of blocks waiting for their write past which they are written at
 * once, quiet or not: a long transfer (a video, a large download) writes as
 * it goes instead of holding everything in memory until it ends. With this
 * and {@link WRITE_BEHIND_MEMORY_BYTES} the worker holds at most 128 MiB of
 * blocks. Each IndexedDB write takes the worker's thread from the transfer
 * it serves: the 95 MiB throughput bench from a relay cache gave 59.3 MiB/s
 * with 16 MiB, 75.0 MiB/s with 64 MiB and 93.1 MiB/s with no bound
 * (static server 411–420 MiB/s in the same runs; `npm run bench -- --only
 * throughput`, 2026-12-01).
 */
export const WRITE_WAITING_MAX_BYTES = 64 * 1024 * 1024

export interface WriteBehindInit {
  /**
   * Bytes of written blocks kept in memory.
   *
   * @default WRITE_BEHIND_MEMORY_BYTES
   */
  memoryBytes?: number
  /**
   * Quiet time before blocks are written (ms).
   *
   * @default WRITE_QUIET_MS
   */
  quietMs?: number
  /**
   * Bytes waiting past which blocks are written at once.
   *
   * @default WRITE_WAITING_MAX_BYTES
   */
  waitingMaxBytes?: number
}

/**
 * The worker's blockstore: memory in front of a lasting store (the visitor's
 * block cache in IndexedDB). A put returns once the block is in memory; its
 * IndexedDB write runs in the background, once no block came or was read
 * from memory for {@link WRITE_QUIET_MS} (or at once past
 * {@link WRITE_WAITING_MAX_BYTES} waiting), so a cold visit's writes come
 * after its page. Helia stores every fetched block
 * before it hands it on, and waiting for one IndexedDB transaction per block
 * held each level of a cold visit back: the 19 subresources of the 1 MB
 * bench site took ~400 ms with the wait and ~250 ms from memory alone.
 *
 * Memory holds every block whose write waits or is under way, and of the blocks
 * written (or whose write failed) the latest {@link WRITE_BEHIND_MEMORY_BYTES};
 * older ones are dropped from memory, oldest first, so a long video does
 * not pile up in the worker's memory once it is in IndexedDB. A block whose
 * IndexedDB write fails (the origin's quota is used up) is logged; once
 * dropped from memory the next `get` fetches it from the relays again.
 * Reads look in memory first, then IndexedDB.
 */
export class WriteBehindBlockstore extends BaseBlockstore {
  private readonly writes = new Set<Promise<void>>()
  /** Blocks in memory whose write has not started, in the order they came: CID string → block. */
  private readonly waiting = new Map<string, { cid: CID, bytes: Uint8Array }>()
  private waitingBytes = 0
  private quietTimer: ReturnType<typeof setTimeout> | undefined
  /** When the quiet time ends (`performance.now()`, ms): each put or read from memory moves it, the timer looks again when it fires. */
  private quietUntil = 0
  private readonly quietMs: number
  private readonly waitingMaxBytes: number
  /** Blocks written (or failed) and still in memory, oldest first: CID string → bytes. */
  private readonly droppable = new Map<string, { cid: CID, bytes: number }>()
  private droppableBytes = 0
  private readonly memoryBytes: number

  constructor (private readonly memory: Blockstore, private readonly lasting: Blockstore, init: WriteBehindInit = {}) {
    super()
    this.memoryBytes = init.memoryBytes ?? WRITE_BEHIND_MEMORY_BYTES
    this.quietMs = init.quietMs ?? WRITE_QUIET_MS
    this.waitingMaxBytes = init.waitingMaxBytes ?? WRITE_WAITING_MAX_BYTES
  }

  override async put (cid: CID, value: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options?: AbortOptions): Promise<CID> {
    if (await this.memory.has(cid, options)) {
      // in memory: its write waits, is under way or is done
      return cid
    }
    const bytes = value instanceof Uint8Array ? value : await blockBytes(value)
    const key = cid.toString()
    await this.memory.put(cid, bytes, options)
    if (!this.waiting.has(key)) {
      this.waiting.set(key, { cid, bytes })
      this.waitingBytes += bytes.byteLength
    }
    if (this.waitingBytes >= this.waitingMaxBytes) {
      this.writeWaiting()
    } else {
      this.writeWhenQuiet()
    }
    return cid
  }

  /**
   * (Re)start the quiet time after which the blocks waiting are written. The
   * end of the quiet time moves and the one timer set looks again when it
   * fires: a timer cleared and set again for each block read took about
   * 4 ms of the worker's thread in each repeat visit of a 1 MB site of 20
   * files (a CPU profile of the worker; `docs/performance.md` §A repeat visit).
   */
  private writeWhenQuiet (): void {
    this.quietUntil = performance.now() + this.quietMs
    if (this.quietTimer == null) {
      this.armQuietTimer(this.quietMs)
    }
  }

  private armQuietTimer (ms: number): void {
    this.quietTimer = setTimeout(() => {
      const left = this.quietUntil - performance.now()
      if (left > 0) {
        this.armQuietTimer(left)
      } else {
        this.writeWaiting()
      }
    }, ms)
  }

  /** Start the IndexedDB writes of every block waiting. */
  private writeWaiting (): void {
    clearTimeout(this.quietTimer)
    this.quietTimer = undefined
    for (const { cid, bytes } of this.waiting.values()) {
      const write = Promise.resolve(this.lasting.put(cid, bytes))
        .then(() => {}, (err: Error) => { log.error('block %c was not kept in IndexedDB: %e', cid, err) })
        .then(async () => { await this.written(cid, bytes.byteLength) })
      this.writes.add(write)
      void write.finally(() => this.writes.delete(write))
    }
    this.waiting.clear()
    this.waitingBytes = 0
  }

  override async * get (cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    if (await this.memory.has(cid, options)) {
      if (this.quietTimer != null) {
        // a response is still reading what came: not quiet yet
        this.writeWhenQuiet()
      }
      try {
        yield await blockBytes(this.memory.get(cid, options))
        return
      } catch (err) {
        // dropped from memory since the look: it is in IndexedDB now
        if ((err as Error).name !== 'NotFoundError') {
          throw err
        }
      }
    }
    yield * this.lasting.get(cid, options)
  }

  /** Its write is done: the block may be dropped from memory, oldest first, past the bound. */
  private async written (cid: CID, bytes: number): Promise<void> {
    const key = cid.toString()
    this.forget(key)
    this.droppable.set(key, { cid, bytes })
    this.droppableBytes += bytes
    for (const [oldest, entry] of this.droppable) {
      if (this.droppableBytes <= this.memoryBytes) {
        break
      }
      this.forget(oldest)
      await this.memory.delete(entry.cid)
    }
  }

  private forget (key: string): void {
    const entry = this.droppable.get(key)
    if (entry != null) {
      this.droppable.delete(key)
      this.droppableBytes -= entry.bytes
    }
  }

  override async has (cid: CID, options?: AbortOptions): Promise<boolean> {
    return (await this.memory.has(cid, options)) || this.lasting.has(cid, options)
  }

  override async delete (cid: CID, options?: AbortOptions): Promise<void> {
    await this.settled()
    this.forget(cid.toString())
    await this.memory.delete(cid, options)
    await this.lasting.delete(cid, options)
  }

  /** Every block in the lasting store, once the writes under way have landed. */
  override async * getAll (options?: AbortOptions): AsyncGenerator<Pair> {
    await this.settled()
    yield * this.lasting.getAll(options)
  }

  /** Resolves once every block put so far is in the lasting store (or its write failed and was logged): writes what waits at once. */
  async settled (): Promise<void> {
    this.writeWaiting()
    await Promise.all([...this.writes])
  }
}
