/**
 * Reading a CAR's blocks ahead of `@helia/car`'s walk, which reads one block
 * at a time: without it a relay fetching a large file from its host asked
 * bitswap for one 1 MiB block, waited for it, and only then asked for the
 * next (one bitswap message each way per block; 15.7–17.5 MiB/s for a
 * 95 MiB file, `npm run bench -- --only throughput`, 2026-12-02).
 */

import * as dagPb from '@ipld/dag-pb'
import { logger } from '@libp2p/logger'
import { UnixFS } from 'ipfs-unixfs'
import { identity } from 'multiformats/hashes/identity'
import { timeBound } from '../../src/signals/index.js'
import { blockBytes } from '../../src/trustless/index.js'
import { READ_AHEAD_MAX_BLOCKS } from './constants.js'
import type { BoundedBlockstore, GatewayBlockstore } from './blockstore.js'
import type { PBNode } from '@ipld/dag-pb'
import type { CID } from 'multiformats/cid'

const log = logger('wia:relay:gateway:read-ahead')

/** The children of a dag-pb node a CAR will hold, in the order its walk reads them, for {@link readingAhead} to ask ahead. */
export type ChildrenAhead = (node: PBNode) => CID[]

/** Every child (`dag-scope=all`: the whole DAG below the target). */
export const allChildren: ChildrenAhead = node => node.Links.map(link => link.Hash)

/**
 * The children of a UnixFS file node that hold bytes of `range` (offset and
 * length in bytes; the whole file when absent), by the rule `@helia/car`'s
 * `UnixFSExporter` includes them with (3.x: the range compared with each
 * child's span from its parent's `blockSizes`), and none below a directory
 * or HAMT shard (`dag-scope=entity` of a directory holds only its own
 * blocks). A CAR of `dag-scope=entity` reads these ahead.
 */
export function fileChildren (range?: { offset: number, length: number }): ChildrenAhead {
  const start = range?.offset ?? 0
  const end = start + (range?.length ?? Infinity)
  return node => {
    if (node.Data == null) {
      return []
    }
    const data = UnixFS.unmarshal(node.Data)
    if (data.type !== 'file' && data.type !== 'raw') {
      return []
    }
    const children: CID[] = []
    let childStart = 0
    node.Links.forEach((link, index) => {
      const childEnd = childStart + Number(data.blockSizes[index] ?? 0n)
      const startsIn = start >= childStart && start < childEnd
      const endsIn = end >= childStart && end < childEnd
      const contains = start <= childStart && end >= childEnd
      if (startsIn || endsIn || contains) {
        children.push(link.Hash)
      }
      childStart = childEnd
    })
    return children
  }
}

/** Init of {@link readingAhead}. */
export interface ReadingAheadInit {
  /** Stops every read ahead (the client went away or the CAR was cut). */
  signal: AbortSignal
  /** Longest one read ahead may take (ms); a block not had by then is read from the store when the walk reaches it. */
  timeoutMs: number
  /** Which children of each dag-pb block to ask for. */
  children: ChildrenAhead
  /** @default READ_AHEAD_MAX_BLOCKS */
  maxBlocks?: number
}

/**
 * `store` whose every dag-pb block has the children `init.children` names
 * asked of `network` at once, in the background (at most `maxBlocks` held
 * or on their way), so bitswap sends the wants of one DAG level to the host
 * together instead of one block at a time as the walk reads them. Children
 * are asked as soon as a block is had: when the walk reads it, or already
 * when it arrives ahead, so the files of a site's directories are asked
 * together once the directories came, not directory by directory as the
 * depth-first walk reaches each (a cold visit of a 1 MB site of 20 files in
 * three directories from its host: two round trips to the host fewer). The
 * walk's read of a block takes the bytes asked ahead (each block is read
 * from `network` once, and counted once); a block that could not be had
 * ahead is read from `store` (bounded, and cuts the stream when missing).
 * Both must yield each block on a buffer nobody reuses (the gateway's
 * `localFirst` and `BoundedBlockstore` do): a block in one chunk is passed
 * on as it is, not copied (`it-to-buffer` copied 100 MB per 100 MB file,
 * 136 ms of the relay's CPU and its garbage).
 */
export function readingAhead (store: Pick<BoundedBlockstore, 'get'>, network: GatewayBlockstore, init: ReadingAheadInit): Pick<BoundedBlockstore, 'get'> {
  const maxBlocks = init.maxBlocks ?? READ_AHEAD_MAX_BLOCKS
  const ahead = new Map<string, Promise<Uint8Array | undefined>>()
  /** Blocks the walk has read: not asked ahead again. */
  const taken = new Set<string>()
  /** Children whose turn has not come yet (the bound was reached), as a stack: the next to ask last. */
  const waiting: CID[] = []
  const askChildren = (cid: CID, bytes: Uint8Array): void => {
    if (cid.code === dagPb.code && !init.signal.aborted) {
      // depth first: a block's children go before the children of blocks asked earlier
      waiting.push(...init.children(dagPb.decode(bytes)).reverse())
      askWaiting()
    }
  }
  const askWaiting = (): void => {
    while (ahead.size < maxBlocks && waiting.length > 0 && !init.signal.aborted) {
      ask(waiting.pop()!)
    }
  }
  const ask = (cid: CID): void => {
    const key = cid.toString()
    if (ahead.has(key) || taken.has(key) || cid.multihash.code === identity.code) {
      return
    }
    // cleared once the block is had or given up: no 20 s timer left for each block read ahead
    const bound = timeBound(init.timeoutMs, init.signal)
    ahead.set(key, blockBytes(network.get(cid, { signal: bound.signal })).finally(() => { bound.clear() }).then(bytes => {
      try {
        askChildren(cid, bytes)
      } catch (err) {
        // not dag-pb after all: the walk's own decoding of it says so, in order
        log('reading the links of %c ahead failed - %e', cid, err)
      }
      return bytes
    }, err => {
      log('reading %c ahead failed - %e', cid, err)
      return undefined
    }))
  }
  return {
    async * get (cid, getOptions) {
      const key = cid.toString()
      const pending = ahead.get(key)
      ahead.delete(key)
      taken.add(key)
      askWaiting()
      const readAhead = await pending
      if (readAhead != null) {
        // its children were asked when it came
        yield readAhead
        return
      }
      const bytes = await blockBytes(store.get(cid, getOptions))
      askChildren(cid, bytes)
      yield bytes
    }
  }
}
