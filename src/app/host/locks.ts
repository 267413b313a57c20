import createMortice from 'mortice'
import type { AbortOptions } from '@libp2p/interface'
import type { Mortice } from 'mortice'

/** Gives back a lock. */
export type Release = () => void

/**
 * One write lock per name: a command that signs and stores a name's record
 * holds it from reading the stored site to storing the new one, so a
 * republish renewing a record cannot interleave with a publish or rollback
 * of the same name (both would sign the same sequence number).
 */
export interface NameLocks {
  /** Resolves once `name` is this caller's; call the returned function to let go. */
  lock(name: string, options?: AbortOptions): Promise<Release>
}

let instances = 0

/** {@link NameLocks} over `mortice` write locks, in this page only. */
export function createNameLocks (): NameLocks {
  const prefix = `wia-host-${++instances}:`
  const locks = new Map<string, Mortice>()
  return {
    async lock (name, options) {
      let lock = locks.get(name)
      if (lock == null) {
        lock = createMortice({ name: prefix + name, singleProcess: true })
        locks.set(name, lock)
      }
      return lock.writeLock(options)
    }
  }
}
