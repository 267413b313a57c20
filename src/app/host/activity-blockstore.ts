import { BatchedIDBBlockstore } from './batched-idb-blockstore.js'
import type { IDBBlockstore } from 'blockstore-idb'
import type { CID } from 'multiformats/cid'

type GetOptions = Parameters<IDBBlockstore['get']>[1]
type HasOptions = Parameters<IDBBlockstore['has']>[1]

/**
 * The hosting tab's blockstore (`blockstore-idb`, puts batched), telling `onActivity`
 * whenever a block is looked up: a visitor's bitswap request reaches the
 * blockstore first, which is what wakes a sleeping host (see `sleep.ts`).
 */
export class ActivityBlockstore extends BatchedIDBBlockstore {
  onActivity: () => void = () => {}

  override get (key: CID, options?: GetOptions): ReturnType<IDBBlockstore['get']> {
    this.onActivity()
    return super.get(key, options)
  }

  override async has (key: CID, options?: HasOptions): Promise<boolean> {
    this.onActivity()
    return super.has(key, options)
  }
}
