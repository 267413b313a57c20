/**
 * Site content: importing a folder into UnixFS blocks, and finding the file a
 * site serves for a URL path. Shared by the app, the service worker and the
 * relay.
 */
export { contentTypeFor, DEFAULT_CONTENT_TYPE } from './content-type.js'
export { EmptySiteError, FileTooLargeError, InvalidPathError, PathNotFoundError } from './errors.js'
export { BLOCK_BYTES, IMPORT_OPTIONS, blobPieces, importSite, siteFileCids } from './import.js'
export type { ImportProgress, ImportResult, ImportSiteOptions, SiteFile, SiteFileCid } from './import.js'
export { normalizeSitePath } from './path.js'
export { findNotFoundPage, INDEX_FILES, NOT_FOUND_PAGE, resolveSitePath } from './resolve.js'
export type { Resolved, ResolvedFile, ResolvedRedirect, ResolveSitePathOptions } from './resolve.js'
export { exporterFiles, type SiteEntryStats, type SiteFiles } from './files.js'
export { createKnownEntries, KNOWN_ENTRIES_MAX, KnownEntries, knownEntries } from './known-entries.js'
export { siteSize, WHOLE_SITE_MAX_BYTES } from './site-size.js'
