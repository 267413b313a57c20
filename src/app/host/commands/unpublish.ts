import { logger } from '@libp2p/logger'
import { CID } from 'multiformats/cid'
import { CustomProgressEvent } from 'progress-events'
import { UNPUBLISHED_ROOT, encodeNameRecord, putNameRecord } from '../../../naming/index.js'
import { SiteNotHostedError } from '../errors.js'
import { lookUpName, signNextRecord } from './utils/record.js'
import { keptVersions } from './versions.js'
import type { HostComponents } from '../components.js'
import type { HostedSite } from '../store.js'
import type { RecordProgressEvents } from './utils/record.js'
import type { AbortOptions } from '@libp2p/interface'
import type { ProgressEvent, ProgressOptions } from 'progress-events'

const log = logger('wia:app:host:unpublish')

export interface UnpublishInit {
  /** Full site name, e.g. `alice.wia.home`. */
  name: string
  /**
   * Also delete the site's versions from this device: unpin every kept
   * version (`HostedPins.release`); the next garbage collection, which never
   * runs during an import, deletes its blocks that no other pin holds
   * (another site's identical files stay). Without it the versions are kept, and the name can
   * be pointed at one of them again (`rollback`).
   *
   * @default false
   */
  deleteBlocks?: boolean
}

export type UnpublishProgressEvents =
  | ProgressEvent<'unpublish:check', { name: string }>
  | ProgressEvent<'unpublish:delete', { name: string, roots: CID[] }>
  | RecordProgressEvents

export interface UnpublishOptions extends AbortOptions, ProgressOptions<UnpublishProgressEvents> {}

/** Whether the hosted site's current record says it was unpublished. */
export function isUnpublishedSite (site: Pick<HostedSite, 'root'>): boolean {
  return site.root === UNPUBLISHED_ROOT.toString()
}

/**
 * Take a hosted site down (`docs/naming.md` §6a): sign the name's next record
 * (sequence number above every one seen, the same proof of work and
 * transfer) pointing at `UNPUBLISHED_ROOT`, and put it. Visitors and relays
 * that see it answer "unpublished" (410) instead of serving the site. The
 * name stays this key's: `republish` keeps re-putting (and renewing) the
 * record, and announces no root for it. Optionally deletes the site's blocks
 * from this device ({@link UnpublishInit.deleteBlocks}). Unpublishing a site
 * already unpublished signs nothing (blocks are still deleted when asked).
 * Copies others saved (peers, visitors, anyone holding the CIDs) cannot be
 * recalled.
 *
 * The stored site afterwards: root `UNPUBLISHED_ROOT`, no files, no content
 * to announce (`hasContent: false`), `publishedAt` the time of unpublishing,
 * and the kept versions (none when deleted).
 *
 * @throws {SiteNotHostedError} when this device does not host the name
 * @throws {NameTakenError} when another key holds the name now (it was transferred away)
 * @throws {PutRejectedError} when no relay stored the record
 * @throws {NoRelayReachableError} when no DHT server answers
 */
export async function unpublish (components: HostComponents, init: UnpublishInit, options: UnpublishOptions = {}): Promise<HostedSite> {
  const { name } = init
  const release = await components.locks.lock(name, options)
  try {
    const site = await components.store.getSite(name)
    if (site == null) {
      throw new SiteNotHostedError(name)
    }
    return await unpublishSite(components, site, init.deleteBlocks === true, options)
  } finally {
    release()
  }
}

/**
 * The body of {@link unpublish} for a stored `site`, the caller holding its
 * name's lock (`releaseName` unpublishes first under its own): take it down
 * unless it already is, then delete its versions when `deleteBlocks`.
 */
export async function unpublishSite (components: HostComponents, site: HostedSite, deleteBlocks: boolean, options: UnpublishOptions = {}): Promise<HostedSite> {
  const current = isUnpublishedSite(site) ? site : await takeDown(components, site, options)
  return deleteBlocks ? deleteVersions(components, current, options) : current
}

/** Sign and put the unpublished record of `site` and store it (holding the name's lock). */
async function takeDown (components: HostComponents, site: HostedSite, options: UnpublishOptions): Promise<HostedSite> {
  const { name } = site
  options.onProgress?.(new CustomProgressEvent('unpublish:check', { name }))
  const registration = await lookUpName(components, name, options)
  const record = await signNextRecord(components, { name, root: UNPUBLISHED_ROOT, registration, local: site }, options)
  // no root to announce: the record alone makes it known
  options.onProgress?.(new CustomProgressEvent('record:put', { record }))
  await putNameRecord(components.dht, record, { signal: options.signal })
  const current: HostedSite = {
    name,
    root: record.root.toString(),
    seq: record.seq,
    record: encodeNameRecord(record),
    files: 0,
    bytes: 0,
    publishedAt: components.clock.now(),
    hasContent: false,
    versions: keptVersions(site)
  }
  await components.store.putSite(current)
  log('unpublished %s (seq %d)', name, record.seq)
  return current
}

/** Unpin every kept version of `site`, delete their blocks and store it without versions. */
async function deleteVersions (components: HostComponents, site: HostedSite, options: UnpublishOptions): Promise<HostedSite> {
  const roots = keptVersions(site).map(version => CID.parse(version.root))
  options.signal?.throwIfAborted()
  options.onProgress?.(new CustomProgressEvent('unpublish:delete', { name: site.name, roots }))
  const current: HostedSite = { ...site, versions: [] }
  await components.store.putSite(current)
  for (const root of roots) {
    components.pins.release(root)
  }
  return current
}
