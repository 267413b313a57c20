import { InvalidPathError } from './errors.js'

/**
 * Split a URL pathname into the decoded segments of a site path.
 *
 * Each segment is percent-decoded on its own; empty segments and `.` are
 * dropped. `/` → `[]`, `/a/b/` → `['a', 'b']`, `/a%20b` → `['a b']`.
 *
 * @param urlPathname - the pathname of a request URL, still percent-encoded
 * (`URL.pathname`)
 * @returns the segments, outermost first
 * @throws {InvalidPathError} a segment is `..`, has bad percent-encoding, or
 * decodes to a string containing NUL or `/`
 */
export function normalizeSitePath (urlPathname: string): string[] {
  const segments: string[] = []
  for (const raw of urlPathname.split('/')) {
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch (err) {
      throw new InvalidPathError(`Bad percent-encoding in path segment "${raw}"`, { cause: err })
    }
    if (segment.includes('/')) {
      throw new InvalidPathError('A path segment may not contain an encoded "/"')
    }
    pushSegment(segments, segment)
  }
  return segments
}

/**
 * Normalize the relative path of a file being imported into a site
 * (`'./css//site.css'` → `'css/site.css'`). No percent-decoding: file names
 * are taken literally.
 *
 * @param path - `/`-separated path relative to the site root
 * @returns the path with empty and `.` segments removed
 * @throws {InvalidPathError} the path is empty, contains NUL or a `..` segment
 */
export function normalizeFilePath (path: string): string {
  const segments: string[] = []
  for (const segment of path.split('/')) {
    pushSegment(segments, segment)
  }
  if (segments.length === 0) {
    throw new InvalidPathError(`"${path}" does not name a file`)
  }
  return segments.join('/')
}

function pushSegment (segments: string[], segment: string): void {
  if (segment === '' || segment === '.') {
    return
  }
  if (segment === '..') {
    throw new InvalidPathError('A path may not contain ".."')
  }
  if (segment.includes('\0')) {
    throw new InvalidPathError('A path may not contain NUL')
  }
  segments.push(segment)
}
