/** Content type of a file whose extension is unknown or missing. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream'

const UTF8 = '; charset=utf-8'

/** Lower-case extension (no dot) → media type; text types carry `charset=utf-8`. */
const CONTENT_TYPES: ReadonlyMap<string, string> = new Map([
  // documents and code
  ['html', `text/html${UTF8}`],
  ['htm', `text/html${UTF8}`],
  ['xhtml', `application/xhtml+xml${UTF8}`],
  ['css', `text/css${UTF8}`],
  ['js', `text/javascript${UTF8}`],
  ['mjs', `text/javascript${UTF8}`],
  ['cjs', `text/javascript${UTF8}`],
  ['json', `application/json${UTF8}`],
  ['map', `application/json${UTF8}`],
  ['webmanifest', `application/manifest+json${UTF8}`],
  ['txt', `text/plain${UTF8}`],
  ['md', `text/markdown${UTF8}`],
  ['csv', `text/csv${UTF8}`],
  ['xml', `application/xml${UTF8}`],
  ['svg', `image/svg+xml${UTF8}`],
  ['pdf', 'application/pdf'],
  ['wasm', 'application/wasm'],
  ['zip', 'application/zip'],
  // images
  ['png', 'image/png'],
  ['jpg', 'image/jpeg'],
  ['jpeg', 'image/jpeg'],
  ['gif', 'image/gif'],
  ['webp', 'image/webp'],
  ['avif', 'image/avif'],
  ['ico', 'image/x-icon'],
  // fonts
  ['woff', 'font/woff'],
  ['woff2', 'font/woff2'],
  ['ttf', 'font/ttf'],
  ['otf', 'font/otf'],
  ['eot', 'application/vnd.ms-fontobject'],
  // audio and video
  ['mp4', 'video/mp4'],
  ['webm', 'video/webm'],
  ['mp3', 'audio/mpeg'],
  ['ogg', 'audio/ogg'],
  ['wav', 'audio/wav']
])

/**
 * The `Content-Type` to serve a site file with, from its extension
 * (case-insensitive). Text types get `; charset=utf-8`.
 *
 * @param path - file path or name, `/`-separated (`'css/site.css'`)
 * @returns a media type such as `'text/css; charset=utf-8'`, or
 * `application/octet-stream` when the extension is unknown or missing
 */
export function contentTypeFor (path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  if (dot <= 0) {
    return DEFAULT_CONTENT_TYPE
  }
  return CONTENT_TYPES.get(name.slice(dot + 1).toLowerCase()) ?? DEFAULT_CONTENT_TYPE
}
