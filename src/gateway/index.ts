/**
 * Turning a site path or an error into an HTTP answer, identically in the
 * service worker (a web `Response`) and the relay (written to its Node
 * response). Web-standard APIs only.
 */
export { toResponse } from './answer.js'
export type { GatewayAnswer } from './answer.js'
export { errorPage, escapeHtml } from './error-page.js'
export type { ErrorPageInit } from './error-page.js'
export { ContentUnavailableError, MethodNotAllowedError } from './errors.js'
export type { UnavailablePhase } from './errors.js'
export { errorAnswer, errorResponse, pageWords, fileAnswer, notModifiedAnswer, rangeNotSatisfiableAnswer, redirectAnswer } from './respond.js'
export { matchesEtag, parseRange, requestedRange, type ByteRange, type RequestedRange } from './range.js'
export type { FileResponseInit } from './respond.js'
export { PAGE_ERROR_WORDS } from './words.js'
export type { ErrorContext, PageErrorName, PageErrorWords, PageWords } from './words.js'
export { answerSitePath, NAMED_FILE_CACHE_CONTROL, serveSitePath, UNNAMED_SITE } from './serve.js'
export type { ServeSitePathOptions, SiteRequest } from './serve.js'
export { toReadableStream } from './stream.js'
