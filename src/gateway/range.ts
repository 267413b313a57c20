/** A satisfiable single byte range of a file: bytes `start` to `end`, both included (RFC 9110 §14.1.2). */
export interface ByteRange {
  start: number
  end: number
}

/**
 * One `bytes=` range as a `Range` header writes it, before the file's size is
 * known (RFC 9110 §14.1.2): `start-end`, `start-` (no `end`) or `-suffix`.
 */
export type RequestedRange = { start: number, end?: number } | { suffix: number }

/**
 * Read a `Range` header as written (RFC 9110 §14.2).
 *
 * @returns the one `bytes` range it asks for; `undefined` when there is no
 * header, it is not a single `bytes` range, or it is malformed
 */
export function requestedRange (header: string | null | undefined): RequestedRange | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec((header ?? '').trim())
  if (match == null || (match[1] === '' && match[2] === '')) {
    return undefined
  }
  if (match[1] === '') {
    return { suffix: Number(match[2]) }
  }
  return match[2] === '' ? { start: Number(match[1]) } : { start: Number(match[1]), end: Number(match[2]) }
}

/**
 * Read a `Range` header for a file of `size` bytes (RFC 9110 §14.2): one
 * `bytes=` range, `start-end`, `start-` or `-suffix`.
 *
 * @returns the range; `'unsatisfiable'` when it starts past the end (→ 416);
 * `undefined` when there is no header, it is not a single `bytes` range, or it
 * is malformed (→ the whole file, as RFC 9110 lets a server ignore `Range`)
 */
export function parseRange (header: string | null | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  const requested = requestedRange(header)
  if (requested == null) {
    return undefined
  }
  if ('suffix' in requested) {
    if (requested.suffix === 0) {
      return 'unsatisfiable'
    }
    return size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - requested.suffix), end: size - 1 }
  }
  const { start } = requested
  const end = requested.end == null ? size - 1 : Math.min(requested.end, size - 1)
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) {
    return start >= size ? 'unsatisfiable' : undefined
  }
  return start >= size ? 'unsatisfiable' : { start, end }
}

/**
 * Whether an `If-None-Match` header matches an entity tag (weak comparison,
 * RFC 9110 §13.1.2): `*`, or one of the listed tags with or without `W/`.
 */
export function matchesEtag (header: string | null | undefined, etag: string): boolean {
  if (header == null || header === '') {
    return false
  }
  const bare = etag.replace(/^W\//, '')
  return header.split(',').some(tag => {
    const t = tag.trim()
    return t === '*' || t.replace(/^W\//, '') === bare
  })
}
