import { unixfs } from '@helia/unixfs'
import { logger } from '@libp2p/logger'
import { CID } from 'multiformats/cid'
import { CustomProgressEvent } from 'progress-events'
import { importSite } from '../../../content/index.js'
import { NameTakenError, formatName } from '../../../naming/index.js'
import { MAX_KEPT_VERSIONS } from '../constants.js'
import { availableBytes, isQuotaExceeded, neededBytes, notEnoughSpace } from '../space.js'
import { ImportWrites } from './utils/import-writes.js'
import { announceRecord, lookUpName, signNextRecord } from './utils/record.js'
import { atVersion, keptVersions } from './versions.js'
import type { ImportProgress, ImportResult, SiteFile } from '../../../content/index.js'
import type { Tld } from '../../../naming/index.js'
import type { HostComponents } from '../components.js'
import type { Registration } from '../registration.js'
import type { HostedSite, SiteVersion } from '../store.js'
import type { RecordProgressEvents } from './utils/record.js'
import type { AbortOptions } from '@libp2p/interface'
import type { ProgressEvent, ProgressOptions } from 'progress-events'

const log = logger('wia:app:host:publish')

export interface PublishInit {
  /** The name's label, e.g. `alice` for `alice.wia.home`. */
  label: string
  tld: Tld
  /** The site's files, the folder's contents at its root. */
  files: SiteFile[]
}

export type PublishProgressEvents =
  | ProgressEvent<'publish:check', { name: string }>
  | ProgressEvent<'publish:import', ImportProgress>
  | RecordProgressEvents

export interface PublishOptions extends AbortOptions, ProgressOptions<PublishProgressEvents> {}

/**
 * Import a folder and point `<label>.wia.<tld>` at it: a new name costs a
 * proof of work, an update by the owner costs nothing. The site is stored
 * pointing at the new version once its blocks are all imported, then the root
 * is announced before the record that points at it is put (a failure stores
 * the previous site back; a tab killed meanwhile reopens with the new
 * version and puts its record). The new version joins the
 * versions kept on this device (at most {@link MAX_KEPT_VERSIONS}; the
 * oldest beyond are unpinned).
 *
 * @throws {InvalidNameError} for a label that breaks the name rules
 * @throws {NameTakenError} when another key registered the name first (checked before importing)
 * @throws {EmptySiteError} for a folder without files
 * @throws {NotEnoughSpaceError} when the browser's storage has no room for the folder (nothing is kept of it)
 * @throws {PutRejectedError} when no relay stored the name record
 * @throws {NoReservationError} when no relay gave this node a reservation
 */
export async function publish (components: HostComponents, init: PublishInit, options: PublishOptions = {}): Promise<HostedSite> {
  const name = formatName(init.label, init.tld)
  options.onProgress?.(new CustomProgressEvent('publish:check', { name }))
  const registration = await lookUpName(components, name, options)
  if (registration.kind === 'theirs' && await components.store.getTransfer(name) == null) {
    throw new NameTakenError(name)
  }
  const imported = await importWithin(components, name, init.files, options)
  const release = await components.locks.lock(name, options)
  try {
    return await storeVersion(components, name, registration, imported, options)
  } finally {
    release()
  }
}

/**
 * Import the files if the browser leaves room for them; the blocks of an
 * import that fails are collected (see `HostedPins.importing`).
 *
 * @throws {NotEnoughSpaceError} when the free space is short of the files' bytes, or IndexedDB ran out of it
 */
async function importWithin (components: HostComponents, name: string, files: SiteFile[], options: PublishOptions): Promise<ImportResult> {
  const fileBytes = files.reduce((sum, file) => sum + file.size, 0)
  const available = await availableBytes(components.storage)
  if (available != null && neededBytes(fileBytes) > available) {
    throw notEnoughSpace(name, fileBytes, available)
  }
  const writes = new ImportWrites(components.blockstore)
  try {
    return await components.pins.importing(async () => {
      try {
        return await importSite(unixfs({ blockstore: writes.blockstore }), files, {
          signal: options.signal == null ? writes.signal : AbortSignal.any([options.signal, writes.signal]),
          onProgress: progress => options.onProgress?.(new CustomProgressEvent('publish:import', progress))
        })
      } catch (err) {
        // the failed import's blocks are collected once no put of it can still land
        await writes.settled()
        throw writes.signal.aborted ? writes.signal.reason : err
      }
    })
  } catch (err) {
    if (isQuotaExceeded(err)) {
      // the room there was is what got written before the browser refused
      // more (its estimate need not say: Chromium reports a static quota)
      throw notEnoughSpace(name, fileBytes, Math.min(writes.writtenBytes, available ?? writes.writtenBytes), { cause: err })
    }
    throw err
  }
}

/**
 * Sign the record of the imported version, store the site pointing at it,
 * then announce the root and put the record (holding the name's lock). The
 * site is stored first so that a tab closed or crashed while announcing
 * reopens with the new version, whose blocks are all stored, and puts its
 * record again; a failed announcement stores the previous site back.
 */
async function storeVersion (components: HostComponents, name: string, registration: Registration, imported: ImportResult, options: PublishOptions): Promise<HostedSite> {
  const previous = await components.store.getSite(name)
  const kept = keptVersions(previous)
  const isKept = kept.some(version => version.root === imported.root.toString())
  let record
  try {
    record = await signNextRecord(components, { name, root: imported.root, registration, local: previous }, options)
  } catch (err) {
    unpinNew(components, imported, isKept)
    throw err
  }

  const version: SiteVersion = { root: imported.root.toString(), publishedAt: components.clock.now(), files: imported.files, bytes: imported.bytes, seq: record.seq }
  const versions = [version, ...kept.filter(v => v.root !== version.root)]
  const site = atVersion({ name, hasContent: true, versions: versions.slice(0, MAX_KEPT_VERSIONS) }, version, record)
  await components.store.putSite(site)
  try {
    await announceRecord(components, record, options)
  } catch (err) {
    await (previous == null ? components.store.deleteSite(name) : components.store.putSite(previous))
    unpinNew(components, imported, isKept)
    throw err
  }
  await components.store.deleteTransfer(name)
  // published again after a release: the name is hosted, not released
  await components.store.deleteReleased(name)
  for (const dropped of versions.slice(MAX_KEPT_VERSIONS)) {
    log('%s keeps version %s no more', name, dropped.root)
    components.pins.release(CID.parse(dropped.root))
  }
  return site
}

/** Nothing points at the new root when it is not a kept version: let its blocks go. */
function unpinNew (components: HostComponents, imported: ImportResult, isKept: boolean): void {
  if (!isKept) {
    components.pins.release(imported.root)
  }
}
