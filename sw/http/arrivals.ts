import type { AbortOptions } from '@libp2p/interface'
import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

/**
 * The `get`s waiting for blocks that a CAR stream is bringing into a local
 * store, by CID: the stream settles each block as it stores it, and all of
 * them when it ends.
 */
export class Arrivals {
  private readonly waiting = new Map<string, Array<(arrived: boolean) => void>>()

  constructor (private readonly local: Pick<Blockstore, 'has'>) {}

  /**
   * Wait until `cid` is settled: true once stored, false when the stream
   * ended without it. Resolves true at once when the store has it already
   * (it may have landed between the caller's own look and this call).
   */
  async wait (cid: CID, options?: AbortOptions): Promise<boolean> {
    const key = cid.toString()
    const arrival = new Promise<boolean>(resolve => {
      const list = this.waiting.get(key) ?? []
      list.push(resolve)
      this.waiting.set(key, list)
    })
    if (await this.local.has(cid, options)) {
      this.settle(cid, true)
    }
    return await arrival
  }

  /** `cid` arrived (is stored) or will not come. */
  settle (cid: CID | string, arrived: boolean): void {
    const key = cid.toString()
    const list = this.waiting.get(key)
    if (list != null) {
      this.waiting.delete(key)
      for (const resolve of list) resolve(arrived)
    }
  }

  /** The streams are done: whoever still waits fetches on their own. */
  settleAll (): void {
    for (const key of [...this.waiting.keys()]) this.settle(key, false)
  }
}
