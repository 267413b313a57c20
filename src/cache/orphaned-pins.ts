import * as dagCbor from '@ipld/dag-cbor'
import { logger } from '@libp2p/logger'
import drain from 'it-drain'
import { base64 } from 'multiformats/bases/base64'
import type { AddOptions, Helia } from '@helia/interface'
import type { AbortOptions } from '@libp2p/interface'
import type { Key } from 'interface-datastore'
import type { CID } from 'multiformats/cid'

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
 * starts, before any import; a relay before it serves. A pin cut short
 * while others may be under way is released by {@link releasePinCutShort}.
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
  return releaseMarks(helia, root => !pinned.has(root), { ...options, recount: true })
}

/**
 * Release the blocks one `pins.add` of `root` that failed or was aborted
 * marked as held, unless `root`'s pin was stored after all. Only entries
 * that name `root` are written, and only `root` is dropped from them, so
 * pins of other roots may be under way meanwhile (not one of `root` itself:
 * the caller's own add has ended). A block another pin holds stays held by
 * it. Like Helia's own `pins.add` and `pins.rm`, which take no lock, a
 * write here may race with another pin's write of the same block's entry;
 * callers that pin one root at a time (`SiteCache`) run it in that turn.
 *
 * @param helia - the node whose add failed
 * @param root - the root as it was passed to `pins.add`
 * @param options - `signal` stops it between entries (what was released stays released)
 * @returns how many blocks no pin holds any more
 */
export async function releasePinCutShort (helia: Pick<Helia, 'pins' | 'datastore'>, root: CID, options: AbortOptions = {}): Promise<number> {
  // `pins.isPinned` looks at the root block's mark, which a cut-short add already wrote: the pin itself is the question
  const pinned = await helia.pins.get(root, options).then(() => true, (err: Error) => {
    if (err.name !== 'NotFoundError') {
      throw err
    }
    return false
  })
  if (pinned) {
    return 0
  }
  const forms = new Set([base64.encode(root.bytes), base64.encode(root.toV1().bytes)])
  return releaseMarks(helia, marked => forms.has(marked), options)
}

/**
 * `helia.pins.add(root)` walked to its end; when it fails or is aborted
 * part-way (a full disk, a keep's timeout), the blocks it had marked are
 * released at once ({@link releasePinCutShort}) rather than held against
 * every collection until the next start.
 *
 * @throws what `pins.add` throws (`AlreadyPinnedError`, the abort reason, the store's errors)
 */
export async function addPin (helia: Pick<Helia, 'pins' | 'datastore'>, root: CID, options: AddOptions = {}): Promise<void> {
  try {
    await drain(helia.pins.add(root, options))
  } catch (err) {
    if ((err as Error).name === 'AlreadyPinnedError') {
      // thrown before the walk marks anything: nothing to release (the app pins every hosted root again at each start)
      throw err
    }
    const released = await releasePinCutShort(helia, root).catch(releaseErr => {
      log.error('releasing the blocks of a pin of %c cut short failed - %e', root, releaseErr)
      return 0
    })
    if (released > 0) {
      log('pinning %c failed: %d blocks it held released - %e', root, released, err)
    }
    throw err
  }
}

/**
 * Drop the roots `release` names (base64 of their CID bytes) from every
 * `/pinned-block/` entry, and delete the entries left with none. With
 * `recount`, an entry whose count disagrees with its roots is set right too.
 *
 * @returns how many entries were deleted: blocks no pin holds any more
 */
async function releaseMarks (helia: Pick<Helia, 'datastore'>, release: (root: string) => boolean, options: AbortOptions & { recount?: boolean }): Promise<number> {
  // changes gathered first: writing while a listing's cursor is open would end an IndexedDB transaction
  const changes: Array<{ key: Key, entry?: PinnedBlock }> = []
  for await (const { key, value } of helia.datastore.query({ prefix: PINNED_BLOCK_PREFIX }, options)) {
    const entry = dagCbor.decode<PinnedBlock>(value)
    const pinnedBy = entry.pinnedBy.filter(root => !release(base64.encode(root)))
    if (pinnedBy.length !== entry.pinnedBy.length || (options.recount === true && entry.pinCount !== pinnedBy.length)) {
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
