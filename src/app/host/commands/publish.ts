import { unixfs } from '@helia/unixfs'
import { logger } from '@libp2p/logger'
import { CID } from 'multiformats/cid'
import { CustomProgressEvent } from 'progress-events'
import { importSite } from '../../../content/index.js'
import { NameTakenError, formatName } from '../../../naming/index.js'
import { MAX_KEPT_VERSIONS } from '../constants.js'
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
 * proof of work, an update by the owner costs nothing. The root is announced
 * before the record that points at it is put. The new version joins the
 * versions kept on this device (at most {@link MAX_KEPT_VERSIONS}; the
 * oldest beyond are unpinned).
 *
 * @throws {InvalidNameError} for a label that breaks the name rules
 * @throws {NameTakenError} when another key registered the name first (checked before importing)
 * @throws {EmptySiteError} for a folder without files
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
  const imported = await importSite(unixfs(components), init.files, {
    signal: options.signal,
    onProgress: progress => options.onProgress?.(new CustomProgressEvent('publish:import', progress))
  })
  components.pins.protect(imported.root)
  const release = await components.locks.lock(name, options)
  try {
    return await storeVersion(components, name, registration, imported, options)
  } finally {
    release()
  }
}

/** Sign, announce and store the imported version (holding the name's lock). */
async function storeVersion (components: HostComponents, name: string, registration: Registration, imported: ImportResult, options: PublishOptions): Promise<HostedSite> {
  const previous = await components.store.getSite(name)
  const kept = keptVersions(previous)
  let record
  try {
    record = await signNextRecord(components, { name, root: imported.root, registration, local: previous }, options)
    await announceRecord(components, record, options)
  } catch (err) {
    if (!kept.some(version => version.root === imported.root.toString())) {
      // nothing points at the new root: let its blocks go
      components.pins.release(imported.root)
    }
    throw err
  }

  const version: SiteVersion = { root: imported.root.toString(), publishedAt: components.clock.now(), files: imported.files, bytes: imported.bytes, seq: record.seq }
  const versions = [version, ...kept.filter(v => v.root !== version.root)]
  const site = atVersion({ name, hasContent: true, versions: versions.slice(0, MAX_KEPT_VERSIONS) }, version, record)
  await components.store.putSite(site)
  await components.store.deleteTransfer(name)
  for (const dropped of versions.slice(MAX_KEPT_VERSIONS)) {
    log('%s keeps version %s no more', name, dropped.root)
    components.pins.release(CID.parse(dropped.root))
  }
  return site
}
