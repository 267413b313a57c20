import { logger } from '@libp2p/logger'
import { CustomProgressEvent } from 'progress-events'
import { EXPIRY_GRACE_MS, decodeNameRecord } from '../../../naming/index.js'
import { SiteNotHostedError } from '../errors.js'
import { unpublishSite } from './unpublish.js'
import type { HostComponents } from '../components.js'
import type { ReleasedName } from '../store.js'
import type { UnpublishProgressEvents } from './unpublish.js'
import type { AbortOptions } from '@libp2p/interface'
import type { ProgressEvent, ProgressOptions } from 'progress-events'

const log = logger('wia:app:host:release-name')

export interface ReleaseNameInit {
  /** Full site name, e.g. `alice.wia.home`. */
  name: string
}

export type ReleaseNameProgressEvents =
  | UnpublishProgressEvents
  | ProgressEvent<'release:forget', ReleasedName>

export interface ReleaseNameOptions extends AbortOptions, ProgressOptions<ReleaseNameProgressEvents> {}

/**
 * Give a hosted name up (`docs/naming.md` §6a, "to release the name the owner
 * stops renewing it"): unpublish the site first if it is not yet (visitors
 * see "unpublished", not the old content, until the record lapses), release
 * every kept version's blocks (`HostedPins.release`), then stop hosting it:
 * the site leaves this device's store, so `republish` neither re-puts nor
 * renews its record again, and the store remembers the name as released.
 *
 * The name stays this key's until the last record's `exp` plus the grace
 * period (`EXPIRY_GRACE_MS`); then anyone may register it. Until `exp`,
 * publishing under it again from a device with the same key costs no proof
 * of work. Copies others saved cannot be recalled (§6a).
 *
 * Releasing a name already released returns what was stored then, signing
 * nothing.
 *
 * @returns when the name's record expires and when it becomes free for anyone
 * @throws {SiteNotHostedError} when this device neither hosts nor released the name
 * @throws {NameTakenError} when another key holds the name now (it was transferred away)
 * @throws {PutRejectedError} when no relay stored the unpublished record
 * @throws {NoRelayReachableError} when no DHT server answers
 */
export async function releaseName (components: HostComponents, init: ReleaseNameInit, options: ReleaseNameOptions = {}): Promise<ReleasedName> {
  const { name } = init
  const release = await components.locks.lock(name, options)
  try {
    const site = await components.store.getSite(name)
    if (site == null) {
      const released = await components.store.getReleased(name)
      if (released == null) {
        throw new SiteNotHostedError(name)
      }
      return released
    }
    const current = await unpublishSite(components, site, true, options)
    const { expires } = decodeNameRecord(current.record)
    const released: ReleasedName = { name, releasedAt: components.clock.now(), expires, freeAt: expires + EXPIRY_GRACE_MS }
    options.signal?.throwIfAborted()
    options.onProgress?.(new CustomProgressEvent('release:forget', released))
    await components.store.releaseSite(released)
    log('released %s: free from %s', name, new Date(released.freeAt).toISOString())
    return released
  } finally {
    release()
  }
}
