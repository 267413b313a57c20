import { PathNotFoundError } from './errors.js'
import type { SiteFiles } from './files.js'
import type { CID } from 'multiformats/cid'

/** Files served for a directory URL ending in `/`, in order of preference. */
export const INDEX_FILES = ['index.html', 'index.htm'] as const

/** The file a site serves, with status 404, for paths it does not have. */
export const NOT_FOUND_PAGE = '404.html'

/**
 * Names of the errors `@helia/unixfs` and `ipfs-unixfs-exporter` throw when a
 * path has no entry in a directory. (Helia's own blockstore reports a missing
 * block differently: `BlockNotFoundWhileOfflineError`, `LoadBlockFailedError`,
 * or an abort.)
 */
const MISSING_ENTRY_ERRORS = new Set(['NotFoundError', 'DoesNotExistError'])

/** A file of the site to serve. */
export interface ResolvedFile {
  kind: 'file'
  /** CID of the file (dag-pb UnixFS file or raw block). */
  cid: CID
  /** The file's path in the site, `/`-separated, for its content type (`'docs/index.html'`). */
  path: string
  /** Size of the file content in bytes. */
  size: bigint | number
}

/** The URL names a directory without a trailing `/`: send the client to `location`. */
export interface ResolvedRedirect {
  kind: 'redirect'
  /** Absolute path with a trailing `/`, each segment percent-encoded (`'/docs/'`). */
  location: string
}

export type Resolved = ResolvedFile

export interface ResolveSitePathOptions {
  /**
   * Whether the URL path ended with `/`. A directory requested without one is
   * answered with a redirect (as static servers do, so relative links work);
   * a file requested with one is not found.
   *
   * @default false
   */
  trailingSlash?: boolean
  /** Aborts the walk (it may fetch blocks from the network). */
  signal?: AbortSignal
}

/**
 * Find what a site serves for a URL path.
 *
 * - a file → that file;
 * - a directory with a trailing slash, or the root → its `index.html`, else
 *   its `index.htm` (no directory listings);
 * - a directory without a trailing slash → a redirect to the path plus `/`.
 *
 * @param fs - UnixFS over the blockstore holding (or fetching) the site
 * @param root - the site's root directory
 * @param segments - decoded path segments, from `normalizeSitePath`
 * @throws {PathNotFoundError} nothing is at the path, or a directory there
 * has no index file
 * @throws the signal's reason when aborted, or the blockstore's error when a
 * block cannot be loaded
 */
export async function resolveSitePath (fs: SiteFiles, root: CID, segments: string[], options: ResolveSitePathOptions = {}): Promise<ResolvedFile | ResolvedRedirect> {
  const { signal } = options
  const trailingSlash = options.trailingSlash ?? false
  let cid = root
  let isFile = false
  let size: bigint = 0n

  for (const [index, segment] of segments.entries()) {
    if (isFile) {
      throw new PathNotFoundError(`/${segments.slice(0, index).join('/')} is a file, not a directory`)
    }
    // one segment at a time: a name is never re-split or unescaped by the walker
    const stats = await statEntry(fs, cid, segment, signal)
    if (stats == null) {
      throw new PathNotFoundError(`No /${segments.slice(0, index + 1).join('/')} in the site`)
    }
    cid = stats.cid
    isFile = stats.type !== 'directory'
    size = stats.size
  }

  const path = segments.join('/')
  if (isFile) {
    if (trailingSlash) {
      throw new PathNotFoundError(`/${path} is a file, not a directory`)
    }
    return { kind: 'file', cid, path, size }
  }
  if (segments.length > 0 && !trailingSlash) {
    return { kind: 'redirect', location: `/${segments.map(encodeURIComponent).join('/')}/` }
  }
  for (const name of INDEX_FILES) {
    const stats = await statEntry(fs, cid, name, signal)
    if (stats != null && stats.type !== 'directory') {
      return { kind: 'file', cid: stats.cid, path: path === '' ? name : `${path}/${name}`, size: stats.size }
    }
  }
  throw new PathNotFoundError(`/${path === '' ? '' : `${path}/`} has no ${INDEX_FILES[0]}`)
}

/**
 * The site's own not-found page, `/404.html`, if it has one.
 *
 * @param fs - UnixFS over the blockstore holding (or fetching) the site
 * @param root - the site's root directory
 * @returns the page, or `null` when the site has none
 * @throws the signal's reason when aborted, or the blockstore's error when a
 * block cannot be loaded
 */
export async function findNotFoundPage (fs: SiteFiles, root: CID, options: { signal?: AbortSignal } = {}): Promise<ResolvedFile | null> {
  const stats = await statEntry(fs, root, NOT_FOUND_PAGE, options.signal)
  if (stats == null || stats.type === 'directory') {
    return null
  }
  return { kind: 'file', cid: stats.cid, path: NOT_FOUND_PAGE, size: stats.size }
}

/** Stat the entry `name` of directory `dir`, or `null` when there is none. */
async function statEntry (fs: SiteFiles, dir: CID, name: string, signal?: AbortSignal): Promise<{ cid: CID, type: 'file' | 'directory' | 'raw', size: bigint } | null> {
  try {
    return await fs.stat(dir, { path: name, signal })
  } catch (err) {
    if (err instanceof Error && MISSING_ENTRY_ERRORS.has(err.name)) {
      return null
    }
    throw err
  }
}
