/**
 * Turning a site path or an error into an HTTP `Response`, identically in the
 * service worker and the relay. Web-standard APIs only.
 */
export { errorPage, escapeHtml } from './error-page.js'
export type { ErrorPageInit } from './error-page.js'
export { ContentUnavailableError, MethodNotAllowedError } from './errors.js'
export type { UnavailablePhase } from './errors.js'
export { errorResponse, pageWords, fileResponse, notModifiedResponse, rangeNotSatisfiableResponse, redirectResponse } from './respond.js'
export { matchesEtag, parseRange, requestedRange, type ByteRange, type RequestedRange } from './range.js'
export type { FileResponseInit } from './respond.js'
export { PAGE_ERROR_WORDS } from './words.js'
export type { ErrorContext, PageErrorName, PageErrorWords, PageWords } from './words.js'
export { NAMED_FILE_CACHE_CONTROL, serveSitePath, UNNAMED_SITE } from './serve.js'
export type { ServeSitePathOptions, SiteRequest } from './serve.js'
export { toReadableStream } from './stream.js'
