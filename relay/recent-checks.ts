import { LRUCache } from 'lru-cache'
import type { CheckMemo } from '../src/trustless/index.js'
import type { CID } from 'multiformats/cid'

/**
 * How long a block of the relay's store that passed its hash check is read
 * without hashing it again (ms). The check guards against a disk that
 * changed a block's bytes at rest; a block read again within minutes of its
 * last check is taken as checked. Hashing every read cost the relay 170–200
 * ms of CPU per 95 MB of a large file served from its site cache, a fifth of
 * its work there (`bench/probe`, 2026-12-02). Kubo, the reference IPFS node,
 * does not hash stored blocks on read at all by default
 * (`Datastore.HashOnRead`).
 */
export const RECHECK_AFTER_MS = 10 * 60_000

/**
 * Most blocks remembered as checked (about 150 bytes of memory each), least
 * recently checked out first: a block pushed out is hashed on its next read.
 * At 1 MiB per block of a large file it spans 64 GiB of reads.
 */
export const RECENT_CHECKS_MAX = 65_536

/** Init of {@link RecentChecks}. */
export interface RecentChecksInit {
  /** @default RECHECK_AFTER_MS */
  recheckAfterMs?: number
  /** @default RECENT_CHECKS_MAX */
  max?: number
}

/**
 * The relay's {@link CheckMemo}: blocks of its store whose bytes passed
 * their hash check within {@link RECHECK_AFTER_MS}, so a large file its
 * visitors fetch again is read from LevelDB without SHA-256 each time. The
 * first read after the relay starts, and the first after that window, are
 * hashed as before (`CheckedBlockstore`). Visitors' workers hash every
 * block themselves either way; this only concerns the relay's own check.
 */
export class RecentChecks implements CheckMemo {
  private readonly checked: LRUCache<string, true>

  constructor (init: RecentChecksInit = {}) {
    this.checked = new LRUCache({ max: init.max ?? RECENT_CHECKS_MAX, ttl: init.recheckAfterMs ?? RECHECK_AFTER_MS })
  }

  has (cid: CID): boolean {
    return this.checked.has(cid.toString())
  }

  add (cid: CID): void {
    this.checked.set(cid.toString(), true)
  }

  delete (cid: CID): void {
    this.checked.delete(cid.toString())
  }

  /** Blocks remembered as checked (expired ones may still count until read). */
  get size (): number {
    return this.checked.size
  }
}
