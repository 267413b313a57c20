import { encodeNameRecord } from '../../../naming/index.js'
import type { NameRecord } from '../../../naming/index.js'
import type { HostComponents } from '../components.js'
import type { HostedSite, SiteVersion } from '../store.js'
import type { AbortOptions } from '@libp2p/interface'

export interface VersionsInit {
  /** Full site name, e.g. `alice.wia.home`. */
  name: string
}

/** Listing the versions reads IndexedDB only: there is no progress to report. */
export type VersionsOptions = AbortOptions

/** A version of a site kept on this device. */
export interface KeptVersion extends SiteVersion {
  /** Whether the name points at this version now. */
  current: boolean
}

/**
 * The versions of a hosted site kept on this device, newest published first:
 * root, publish time, files and bytes, and which one is live. The name can be
 * pointed back at any of them (see `rollback`). Empty for a name this device
 * does not host or holds no blocks of.
 */
export async function versions (components: Pick<HostComponents, 'store'>, init: VersionsInit, options: VersionsOptions = {}): Promise<KeptVersion[]> {
  options.signal?.throwIfAborted()
  const site = await components.store.getSite(init.name)
  return keptVersions(site).map(version => ({ ...version, current: version.root === site?.root }))
}

/**
 * The versions `site` keeps, newest first: its stored list, or for a site
 * stored before versions were kept, its current version alone (none when
 * this device holds none of its blocks).
 */
export function keptVersions (site: HostedSite | undefined): SiteVersion[] {
  if (site == null) {
    return []
  }
  if (site.versions != null) {
    return site.versions
  }
  if (site.hasContent === false) {
    return []
  }
  return [{ root: site.root, publishedAt: site.publishedAt, files: site.files, bytes: site.bytes, seq: site.seq }]
}

/**
 * The number people know the live version by: that of the record that first
 * published it (`seq + 1`; a rollback to version 1 makes the site version 1
 * again).
 */
export function liveVersionNumber (site: Pick<HostedSite, 'root' | 'seq' | 'versions'>): number {
  const live = site.versions?.find(version => version.root === site.root)
  return (live?.seq ?? site.seq) + 1
}

/**
 * `site` pointing at `version` through `record`: the version's root, files,
 * bytes and publish time, the record and its sequence number.
 */
export function atVersion (site: Omit<HostedSite, 'root' | 'seq' | 'record' | 'files' | 'bytes' | 'publishedAt'>, version: SiteVersion, record: NameRecord): HostedSite {
  return {
    ...site,
    root: version.root,
    seq: record.seq,
    record: encodeNameRecord(record),
    files: version.files,
    bytes: version.bytes,
    publishedAt: version.publishedAt
  }
}
