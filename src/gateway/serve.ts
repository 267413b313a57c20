import { findNotFoundPage, normalizeSitePath, resolveSitePath } from '../content/index.js'
import type { SiteFiles } from '../content/index.js'
import { errorName, MethodNotAllowedError } from './errors.js'
import { matchesEtag, parseRange } from './range.js'
import { toResponse } from './answer.js'
import { errorAnswer, fileAnswer, notModifiedAnswer, rangeNotSatisfiableAnswer, redirectAnswer } from './respond.js'
import type { GatewayAnswer } from './answer.js'
import type { CID } from 'multiformats/cid'

/** How error pages name a site when the request does not say. */
export const UNNAMED_SITE = 'this site'

/** The parts of a request that pick a file of a site. */
export interface SiteRequest {
  /** URL pathname, still percent-encoded (`URL.pathname`). */
  pathname: string
  /** Request method; only `GET` and `HEAD` are served. */
  method: string
  /** URL query including `?` (`URL.search`), kept on redirects. @default '' */
  search?: string
  /** The site's name for error pages (`'alice.wia.home'`). @default 'this site' */
  name?: string
  /** The request's `Range` header: one byte range → 206 (RFC 9110 §14.2). */
  range?: string | null
  /** The request's `If-None-Match` header: the file's CID tag → 304. */
  ifNoneMatch?: string | null
}

/**
 * `Cache-Control` of a file served by name: as long as a site worker trusts
 * a name record (the name may point to a new version after that).
 */
export const NAMED_FILE_CACHE_CONTROL = 'public, max-age=15'

export interface ServeSitePathOptions {
  /**
   * Aborts resolving the path and streaming the body: pass the request's own
   * signal, not a time-to-first-byte bound, or long downloads are cut.
   */
  signal?: AbortSignal
}

/**
 * Answer a request for a path of a site: the relay calls this with the
 * site's root once the name is resolved, and writes the answer to its Node
 * response; the site worker takes it as a `Response` ({@link serveSitePath}).
 *
 * - a file → 200, streamed from `fs.cat` (HEAD: headers only); with a
 *   matching `If-None-Match` → 304; with one satisfiable `Range` → 206 and only
 *   those bytes read (416 past the end);
 * - a directory without trailing `/` → 301 to the path plus `/` (query kept);
 * - a directory with trailing `/` → its `index.html` / `index.htm`;
 * - no such path → 404 with the site's `/404.html`, or the standard 404 page;
 * - an invalid path → 400; a method other than GET/HEAD → 405.
 *
 * @param fs - UnixFS over the blockstore holding (or fetching) the site
 * @param root - the site's root directory
 * @returns the answer; its body fetches blocks as it is read
 * @throws anything else (an abort, a block that cannot be loaded) so the
 * caller can retry or fall back; turn it into an answer with `errorAnswer`
 */
export async function answerSitePath (fs: SiteFiles, root: CID, request: SiteRequest, options: ServeSitePathOptions = {}): Promise<GatewayAnswer> {
  const { signal } = options
  const context = { name: request.name ?? UNNAMED_SITE, path: request.pathname }
  const method = request.method.toUpperCase()
  try {
    if (method !== 'GET' && method !== 'HEAD') {
      throw new MethodNotAllowedError(request.method)
    }
    const segments = normalizeSitePath(request.pathname)
    const resolved = await resolveSitePath(fs, root, segments, { trailingSlash: request.pathname.endsWith('/'), signal })
    if (resolved.kind === 'redirect') {
      return redirectAnswer(`${resolved.location}${request.search ?? ''}`)
    }
    const etag = `"${resolved.cid.toString()}"`
    if (matchesEtag(request.ifNoneMatch, etag)) {
      return notModifiedAnswer(etag, NAMED_FILE_CACHE_CONTROL)
    }
    const size = Number(resolved.size)
    const range = parseRange(request.range, size)
    if (range === 'unsatisfiable') {
      return rangeNotSatisfiableAnswer(size)
    }
    return fileAnswer({
      path: resolved.path,
      body: range == null ? fs.cat(resolved.cid, { signal }) : fs.cat(resolved.cid, { signal, offset: range.start, length: range.end - range.start + 1 }),
      size: resolved.size,
      cid: resolved.cid.toString(),
      method,
      cacheControl: NAMED_FILE_CACHE_CONTROL,
      ...(range == null ? {} : { range: { ...range, size } })
    })
  } catch (err) {
    switch (errorName(err)) {
      case 'PathNotFoundError': {
        const page = await findNotFoundPage(fs, root, { signal })
        if (page == null) {
          return errorAnswer(err, context)
        }
        return fileAnswer({ path: page.path, body: fs.cat(page.cid, { signal }), size: page.size, status: 404, method })
      }
      case 'InvalidPathError':
      case 'MethodNotAllowedError':
        return errorAnswer(err, context)
      default:
        throw err
    }
  }
}

/**
 * {@link answerSitePath} as a web `Response`: the site worker's answer.
 *
 * @throws as {@link answerSitePath}; turn the error into a response with `errorResponse`
 */
export async function serveSitePath (fs: SiteFiles, root: CID, request: SiteRequest, options: ServeSitePathOptions = {}): Promise<Response> {
  return toResponse(await answerSitePath(fs, root, request, options))
}
