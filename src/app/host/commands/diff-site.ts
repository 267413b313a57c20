import { exporter } from 'ipfs-unixfs-exporter'
import { CID } from 'multiformats/cid'
import { CustomProgressEvent } from 'progress-events'
import { siteFileCids } from '../../../content/index.js'
import { SiteNotHostedError, VersionNotKeptError } from '../errors.js'
import { isUnpublishedSite } from './unpublish.js'
import { keptVersions, liveVersionNumber } from './versions.js'
import type { ImportProgress, SiteFile } from '../../../content/index.js'
import type { HostComponents } from '../components.js'
import type { HostedSite } from '../store.js'
import type { AbortOptions } from '@libp2p/interface'
import type { ProgressEvent, ProgressOptions } from 'progress-events'

export interface DiffSiteInit {
  /** Full site name, e.g. `alice.wia.home`: a site this device hosts. */
  name: string
  /** The new version's files, the folder's contents at its root (as for `publish`). */
  files: SiteFile[]
}

export type DiffSiteProgressEvents =
  | ProgressEvent<'diff:read-live', { name: string, root: CID }>
  | ProgressEvent<'diff:hash', ImportProgress>

export interface DiffSiteOptions extends AbortOptions, ProgressOptions<DiffSiteProgressEvents> {}

/** What publishing the new folder does to one file of the live version. */
export type FileChangeKind = 'added' | 'changed' | 'removed' | 'unchanged'

/** One path of the live version or the new folder, and what publishing does to it. */
export interface FileChange {
  /** Path relative to the site root, `/`-separated (`'css/site.css'`). */
  path: string
  change: FileChangeKind
  /** Size in bytes in the new folder; for a removed file, in the live version. */
  bytes: number
  /** Size in bytes in the live version, for a changed file. */
  previousBytes?: number
}

/** How many files, and how many bytes, one kind of change holds. */
export interface ChangeTotal {
  files: number
  /** Bytes in the new folder (for removed files: in the live version). */
  bytes: number
}

/** The live version a diff compares with. */
export interface LiveVersion {
  /** Root CID (string form). */
  root: string
  /** The number people know it by (see `liveVersionNumber`). */
  number: number
}

/** What publishing a folder would change in a hosted site, file by file. */
export interface SiteDiff {
  name: string
  /**
   * The version the folder was compared with; absent when this device stores
   * no live version of the site (a name that came with an imported identity,
   * or an unpublished site): then every file is `added`.
   */
  live?: LiveVersion
  /** Every path of either side, sorted by path. */
  files: FileChange[]
  totals: {
    added: ChangeTotal
    /** `bytes` in the new folder; `previousBytes` in the live version. */
    changed: ChangeTotal & { previousBytes: number }
    removed: ChangeTotal
    unchanged: ChangeTotal
  }
}

/** A file of the live version, from its UnixFS directory. */
interface LiveFile {
  cid: CID
  bytes: number
}

/**
 * Compare a folder with the live version of a hosted site that this device
 * stores, before publishing it: for every path whether it is added, changed,
 * removed or unchanged, with sizes in bytes, and the totals. A file is
 * unchanged exactly when the CID it would get on import (the importer
 * settings of `publish`, computed without storing anything) is that of the
 * live file; the live version's directory is read from this device's blocks
 * only, never from the network. Nothing is stored or published.
 *
 * @throws {SiteNotHostedError} when this device does not host the name
 * @throws {VersionNotKeptError} when a block of the live version is missing from this device
 * @throws {EmptySiteError} for a folder without files
 * @throws {InvalidPathError} for a file path that is empty or contains `..` or NUL
 * @throws the signal's reason when aborted, or any error of a file's content
 */
export async function diffSite (components: Pick<HostComponents, 'store' | 'blockstore'>, init: DiffSiteInit, options: DiffSiteOptions = {}): Promise<SiteDiff> {
  const { name } = init
  options.signal?.throwIfAborted()
  const site = await components.store.getSite(name)
  if (site == null) {
    throw new SiteNotHostedError(name)
  }
  const liveRoot = await storedLiveRoot(components, site, options)
  const live = liveRoot == null ? new Map<string, LiveFile>() : await liveFiles(components, name, liveRoot, options)
  const next = await siteFileCids(init.files, {
    signal: options.signal,
    onProgress: progress => options.onProgress?.(new CustomProgressEvent('diff:hash', progress))
  })

  const files: FileChange[] = []
  for (const [path, file] of next) {
    const before = live.get(path)
    if (before == null) {
      files.push({ path, change: 'added', bytes: file.bytes })
    } else if (before.cid.equals(file.cid)) {
      files.push({ path, change: 'unchanged', bytes: file.bytes })
    } else {
      files.push({ path, change: 'changed', bytes: file.bytes, previousBytes: before.bytes })
    }
  }
  for (const [path, file] of live) {
    if (!next.has(path)) {
      files.push({ path, change: 'removed', bytes: file.bytes })
    }
  }
  files.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  return {
    name,
    live: liveRoot == null ? undefined : { root: liveRoot.toString(), number: liveVersionNumber(site) },
    files,
    totals: totalsOf(files)
  }
}

/** The live version's root when this device stores it: a site with content, not unpublished, whose root block is here. */
async function storedLiveRoot (components: Pick<HostComponents, 'blockstore'>, site: HostedSite, options: AbortOptions): Promise<CID | undefined> {
  if (isUnpublishedSite(site) || !keptVersions(site).some(version => version.root === site.root)) {
    return undefined
  }
  const root = CID.parse(site.root)
  return await components.blockstore.has(root, options) ? root : undefined
}

/**
 * Every file under the live root (path → CID and size), read from this
 * device's blocks alone: a block that is not stored here is not fetched.
 *
 * @throws {VersionNotKeptError} when a block of the version is missing
 */
async function liveFiles (components: Pick<HostComponents, 'blockstore'>, name: string, root: CID, options: DiffSiteOptions): Promise<Map<string, LiveFile>> {
  options.onProgress?.(new CustomProgressEvent('diff:read-live', { name, root }))
  const { blockstore } = components
  const offline: Pick<HostComponents['blockstore'], 'get'> = {
    get: async function * (cid, getOptions) {
      if (!await blockstore.has(cid, getOptions)) {
        throw new VersionNotKeptError(`block ${cid} of ${name}'s live version ${root} is not stored on this device`, name, root.toString())
      }
      yield * blockstore.get(cid, getOptions)
    }
  }
  const files = new Map<string, LiveFile>()
  // each entry's own block tells file from directory; a file's leaves are not read
  const walk = async (cid: CID, path: string): Promise<void> => {
    const entry = await exporter(cid, offline, { signal: options.signal })
    if (entry.type === 'directory') {
      for await (const child of entry.entries({ signal: options.signal })) {
        await walk(child.cid, path === '' ? child.name : `${path}/${child.name}`)
      }
    } else if (entry.type === 'file') {
      files.set(path, { cid: entry.cid, bytes: Number(entry.unixfs.fileSize()) })
    } else if (entry.type === 'raw' || entry.type === 'identity') {
      files.set(path, { cid: entry.cid, bytes: entry.node.byteLength })
    }
  }
  await walk(root, '')
  return files
}

function totalsOf (files: FileChange[]): SiteDiff['totals'] {
  const total = (change: FileChangeKind): ChangeTotal => {
    const of = files.filter(file => file.change === change)
    return { files: of.length, bytes: of.reduce((sum, file) => sum + file.bytes, 0) }
  }
  const changed = files.filter(file => file.change === 'changed')
  return {
    added: total('added'),
    changed: { ...total('changed'), previousBytes: changed.reduce((sum, file) => sum + (file.previousBytes ?? 0), 0) },
    removed: total('removed'),
    unchanged: total('unchanged')
  }
}
