import { depthFirstWalker } from '@helia/utils'
import { logger } from '@libp2p/logger'
import drain from 'it-drain'
import type { Helia } from '@helia/interface'
import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

const log = logger('wia:app:discard')

/**
 * Unpin `root` (when pinned) and delete the blocks of its DAG stored on this
 * device that no other pin holds: another site's identical files stay. Unlike
 * a garbage collection only this root's blocks are considered, so blocks a
 * publish is importing meanwhile (not pinned yet) are left alone. Blocks are
 * read from this device only, never fetched; a walk that meets a missing
 * block deletes what it found. Returns how many blocks were deleted.
 */
export async function discardRoot (helia: Pick<Helia, 'pins' | 'blockstore' | 'getCodec'>, root: CID, options: AbortOptions = {}): Promise<number> {
  if (await helia.pins.isPinned(root, options)) {
    await drain(helia.pins.rm(root, options))
  }
  if (!await helia.blockstore.has(root, options)) {
    return 0
  }
  const cids: CID[] = []
  try {
    // the walker asks `get` only: answered from this device's blocks
    const local = new Proxy(helia.blockstore, {
      get (target, prop, receiver) {
        return prop === 'get'
          ? (cid: CID, opts?: AbortOptions) => target.get(cid, { ...opts, offline: true })
          : Reflect.get(target, prop, receiver)
      }
    })
    const walker = depthFirstWalker()({ blockstore: local, getCodec: helia.getCodec })
    for await (const node of walker.walk(root, options)) {
      cids.push(node.block.cid)
    }
  } catch (err) {
    options.signal?.throwIfAborted()
    log('walking %c stopped - %e', root, err)
  }
  let deleted = 0
  for (const cid of cids) {
    if (!await helia.pins.isPinned(cid, options) && await helia.blockstore.has(cid, options)) {
      await helia.blockstore.delete(cid, options)
      deleted++
    }
  }
  log('deleted %d of the %d blocks of %c', deleted, cids.length, root)
  return deleted
}
