import { CID } from 'multiformats/cid'
import { CustomProgressEvent } from 'progress-events'
import { VersionNotKeptError } from '../errors.js'
import { announceRecord, lookUpName, signNextRecord } from './utils/record.js'
import { atVersion, keptVersions } from './versions.js'
import type { HostComponents } from '../components.js'
import type { HostedSite } from '../store.js'
import type { RecordProgressEvents } from './utils/record.js'
import type { AbortOptions } from '@libp2p/interface'
import type { ProgressEvent, ProgressOptions } from 'progress-events'

export interface RollbackInit {
  /** Full site name, e.g. `alice.wia.home`. */
  name: string
  /** Root of the version to point the name at: one of the versions this device keeps (see `versions`). */
  root: CID | string
}

export type RollbackProgressEvents =
  | ProgressEvent<'rollback:check', { name: string, root: CID }>
  | RecordProgressEvents

export interface RollbackOptions extends AbortOptions, ProgressOptions<RollbackProgressEvents> {}

/**
 * Point a hosted name back at an earlier version kept on this device: a
 * record update (sequence number above the current one) to that version's
 * root, whose blocks are already stored here, so nothing is imported again.
 * The root is announced before the record is put, as when publishing. The
 * kept versions stay as they are; the site's files, bytes and publish time
 * become the version's. Pointing the name at its current root changes nothing.
 *
 * @throws {VersionNotKeptError} when the name is not hosted here, the root is not one of its kept versions, or its blocks are gone
 * @throws {NameTakenError} when another key holds the name now (it was transferred away)
 * @throws {PutRejectedError} when no relay stored the name record
 * @throws {NoReservationError} when no relay gave this node a reservation
 */
export async function rollback (components: HostComponents, init: RollbackInit, options: RollbackOptions = {}): Promise<HostedSite> {
  const { name } = init
  const root = typeof init.root === 'string' ? CID.parse(init.root) : init.root
  const release = await components.locks.lock(name, options)
  try {
    return await pointAt(components, name, root, options)
  } finally {
    release()
  }
}

/** Point `name` at its kept version `root` (holding the name's lock). */
async function pointAt (components: HostComponents, name: string, root: CID, options: RollbackOptions): Promise<HostedSite> {
  const site = await components.store.getSite(name)
  const version = keptVersions(site).find(v => v.root === root.toString())
  if (site == null || version == null || !await components.blockstore.has(root, { signal: options.signal })) {
    throw new VersionNotKeptError(`no kept version ${root} of ${name}`, name, root.toString())
  }
  if (site.root === version.root) {
    return site
  }
  options.onProgress?.(new CustomProgressEvent('rollback:check', { name, root }))
  const registration = await lookUpName(components, name, options)
  const record = await signNextRecord(components, { name, root, registration, local: site }, options)
  await announceRecord(components, record, options)

  // the relays are asked again about this version (see `Host.rollback`)
  const current = atVersion({ ...site, hasContent: true, versions: keptVersions(site), relayCopies: undefined }, version, record)
  await components.store.putSite(current)
  return current
}
