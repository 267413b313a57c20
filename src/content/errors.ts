/**
 * Failures of site content: importing a folder and resolving a URL path
 * inside a site. Compare them by `name` (`err.name === 'PathNotFoundError'`),
 * never by `instanceof`: a copy bundled into another runtime is another class.
 *
 * Each class also has a static `name` (so `PathNotFoundError.name` survives
 * minification).
 */

/** The site has no file at the requested path. */
export class PathNotFoundError extends Error {
  static override name = 'PathNotFoundError'
  override name = 'PathNotFoundError'

  constructor (message = 'No such file in the site', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * A path that cannot name a file in a site: it escapes the root (`..`),
 * contains NUL or `/` inside a segment, or has bad percent-encoding.
 */
export class InvalidPathError extends Error {
  static override name = 'InvalidPathError'
  override name = 'InvalidPathError'

  constructor (message = 'Invalid path', options?: ErrorOptions) {
    super(message, options)
  }
}

/** An import was given no files: a site needs at least one. */
export class EmptySiteError extends Error {
  static override name = 'EmptySiteError'
  override name = 'EmptySiteError'

  constructor (message = 'A site needs at least one file', options?: ErrorOptions) {
    super(message, options)
  }
}

/** A file is larger than a per-file limit (reserved: no limit is enforced yet). */
export class FileTooLargeError extends Error {
  static override name = 'FileTooLargeError'
  override name = 'FileTooLargeError'

  constructor (message = 'File too large', options?: ErrorOptions) {
    super(message, options)
  }
}
