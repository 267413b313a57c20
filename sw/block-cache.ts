import { logger } from './log.js'
import { IDBBlockstore } from 'blockstore-idb'
import drain from 'it-drain'

const log = logger('wia:sw:blocks')

/** IndexedDB database of the visitor's block cache (one per site origin). */
export const VISITOR_BLOCKS_DB = 'wia-sw-blocks'
/** Share of the origin's storage quota the block cache may fill. */
export const VISITOR_CACHE_QUOTA_SHARE = 0.5
/** Upper bound of the block cache whatever the quota (bytes): 2 GiB. */
export const VISITOR_CACHE_MAX_BYTES = 2 * 1024 ** 3

let opened: Promise<IDBBlockstore> | undefined

/**
 * The visitor's block cache: every block the site worker fetched, kept in the
 * site origin's IndexedDB, so a repeat visit is served locally and a visited
 * site opens offline. Each block is checked against its CID before it is
 * stored and again whenever it is read back (`relays.ts`). Opened once per worker.
 */
export async function visitorBlockstore (): Promise<IDBBlockstore> {
  opened ??= (async () => {
    const blockstore = new IDBBlockstore(VISITOR_BLOCKS_DB)
    await blockstore.open()
    return blockstore
  })().catch(err => {
    opened = undefined
    throw err
  })
  return opened
}

/**
 * Keep the block cache within its bound: when the origin uses more than
 * {@link VISITOR_CACHE_QUOTA_SHARE} of its quota (at most
 * {@link VISITOR_CACHE_MAX_BYTES}), every cached block is dropped and the next
 * visit fetches from peers again. One origin holds one site, so there is no
 * other site to prefer; the name records and the owner pin are kept.
 */
export async function enforceVisitorCacheBound (): Promise<void> {
  const { usage = 0, quota = Infinity } = await navigator.storage.estimate()
  const bound = Math.min(quota * VISITOR_CACHE_QUOTA_SHARE, VISITOR_CACHE_MAX_BYTES)
  if (usage <= bound) {
    return
  }
  log('origin uses %d bytes, bound %d: dropping the block cache', usage, bound)
  await clearVisitorBlocks()
}

/**
 * Drop every cached block of this origin: when the cache outgrows its bound,
 * and when the origin's site was unpublished (`docs/naming.md` §6a; its
 * blocks are not served again). The name records and the owner pin stay.
 */
export async function clearVisitorBlocks (): Promise<void> {
  const blockstore = await visitorBlockstore()
  await drain(blockstore.deleteMany((async function * () {
    for await (const { cid } of blockstore.getAll()) yield cid
  })()))
}
