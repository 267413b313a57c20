import * as dagCbor from '@ipld/dag-cbor'
import { logger } from '@libp2p/logger'
import { base64 } from 'multiformats/bases/base64'
import type { Helia } from '@helia/interface'
import type { AbortOptions } from '@libp2p/interface'
import type { Key } from 'interface-datastore'

const log = logger('wia:cache:pins')

/**
 * Helia 7's layout of the pins in its datastore (`helia/src/pins.ts`): a
 * root's pin at `/pin/<base36 CID>`, and each block it holds at
 * `/pinned-block/<base36 multihash>` with the roots that hold it. The unit
 * test pins through Helia itself, so a change of layout fails it.
 */
const PINNED_BLOCK_PREFIX = '/pinned-block/'

/** A `/pinned-block/` entry: how many roots hold the block, and their CID bytes. */
interface PinnedBlock {
  pinCount: number
  pinnedBy: Uint8Array[]
}

/**
 * Release the blocks held for roots that were never pinned. Helia's
 * `pins.add` walks a root's DAG and marks each block as held by the root
 * before it stores the root's pin last, so an add cut short (a tab or relay
 * killed while pinning, an aborted signal) leaves blocks marked as held by a
 * pin that does not exist: no `pins.rm` can release them and garbage
 * collection never deletes them (README "Limits and threat model"). This
 * drops such roots from every block's entry and deletes entries left with
 * none; the next `helia.gc()` deletes those blocks.
 *
 * Run it only while nothing pins: a root being pinned now has no pin yet,
 * and its marks would be taken for left-overs. The app runs it when it
 * starts, before any import; a relay before it serves.
 *
 * @param helia - the node whose pins to repair
 * @param options - `signal` stops it between entries (what was repaired stays repaired)
 * @returns how many blocks no pin holds any more
 */
export async function releaseOrphanedPins (helia: Pick<Helia, 'pins' | 'datastore'>, options: AbortOptions = {}): Promise<number> {
  const pinned = new Set<string>()
  for await (const pin of helia.pins.ls(options)) {
    // a block's entry names the root as it was passed to pins.add: either version
    pinned.add(base64.encode(pin.cid.bytes))
    pinned.add(base64.encode(pin.cid.toV1().bytes))
  }

  // changes gathered first: writing while a listing's cursor is open would end an IndexedDB transaction
  const changes: Array<{ key: Key, entry?: PinnedBlock }> = []
  for await (const { key, value } of helia.datastore.query({ prefix: PINNED_BLOCK_PREFIX }, options)) {
    const entry = dagCbor.decode<PinnedBlock>(value)
    const pinnedBy = entry.pinnedBy.filter(root => pinned.has(base64.encode(root)))
    if (pinnedBy.length !== entry.pinnedBy.length || entry.pinCount !== pinnedBy.length) {
      changes.push(pinnedBy.length === 0 ? { key } : { key, entry: { pinCount: pinnedBy.length, pinnedBy } })
    }
  }

  let released = 0
  for (const { key, entry } of changes) {
    options.signal?.throwIfAborted()
    if (entry == null) {
      await helia.datastore.delete(key, options)
      released++
    } else {
      await helia.datastore.put(key, dagCbor.encode(entry), options)
    }
  }
  if (changes.length > 0) {
    log('repaired %d pinned-block entries: %d blocks no pin holds any more', changes.length, released)
  }
  return released
}
