/**
 * The error pages' words: one table keyed by the error class's `name`, each
 * entry giving the HTTP status and what the visitor reads (what happened and
 * what to do). Library errors carry short technical messages and fields; only
 * this table turns them into sentences for visitors. The app has its own
 * table (`src/app/ui/words/errors.ts`).
 *
 * @module
 */

import type * as contentErrors from '../content/errors.js'
import type * as namingErrors from '../naming/errors.js'
import type * as trustlessErrors from '../trustless/errors.js'
import type * as gatewayErrors from './errors.js'

/** What an error page says, and how it answers. */
export interface PageWords {
  /** HTTP status (`404`). */
  status: number
  /** Short title, the page's heading (`'Site not found'`). */
  title: string
  /** What happened, in one or two sentences. */
  what: string
  /** What the visitor can do about it. */
  todo?: string
  /** Extra response headers (`Allow` for a 405). */
  headers?: Record<string, string>
}

/** What request an error happened for. */
export interface ErrorContext {
  /** The site's name (`'alice.wia.home'`). */
  name: string
  /** The URL path requested (`'/docs/'`). */
  path?: string
}

type ErrorClassesOf<M> = { [K in keyof M as M[K] extends abstract new (...args: never[]) => Error ? K : never]: M[K] }

/** Every error class of the shared modules that can reach a site request. */
type PageErrorClasses = ErrorClassesOf<typeof namingErrors & typeof contentErrors & typeof gatewayErrors & typeof trustlessErrors>

/**
 * Failures named by code this module cannot import: Helia's (a session found
 * no provider it could reach, `InsufficientProvidersError`, which the
 * blockstore reports as `LoadBlockFailedError`), the site worker's (no relay
 * gateway sent a block's right bytes, `GatewaysUnavailableError`), the
 * relay's (it fetches as many blocks from peers at once as it may,
 * `NetworkFetchesBusyError`), and an aborted or timed-out wait
 * (`AbortSignal.abort()`, `AbortSignal.timeout()`).
 */
type ForeignErrorName = 'InsufficientProvidersError' | 'LoadBlockFailedError' | 'GatewaysUnavailableError' | 'NetworkFetchesBusyError' | 'AbortError' | 'TimeoutError'

/** The name of every error the pages have words for. */
export type PageErrorName = Extract<keyof PageErrorClasses, string> | ForeignErrorName

type ErrorOf<K extends PageErrorName> = K extends keyof PageErrorClasses ? InstanceType<PageErrorClasses[K]> : Error

/** The table's shape: an entry for every known error class (a missing one is a type error). */
export type PageErrorWords = { readonly [K in PageErrorName]: (err: ErrorOf<K>, context: ErrorContext) => PageWords }

/** What a 504 page says about where the time ran out (see `ContentUnavailableError.phase`). */
const PHASE_TEXT: Readonly<Record<gatewayErrors.UnavailablePhase, string>> = {
  connecting: ': no relay answered',
  resolving: ': looking up its name took too long',
  fetching: ': its host or a peer holding a copy did not send the files in time'
}

const OFFLINE_HINT = "The site's host seems to be offline and no peer holds a copy. Try again later."

function unavailable (name: string, why: string): PageWords {
  return { status: 504, title: 'Site unavailable', what: `${name} could not be fetched${why}.`, todo: OFFLINE_HINT }
}

/** A name record that failed verification. → 502 */
function invalidRecord (_err: Error, { name }: ErrorContext): PageWords {
  return { status: 502, title: 'Invalid site record', what: `The record for ${name} is invalid.`, todo: 'It failed verification, so it was not used. If this is your site, publish it again.' }
}

/** Anything the visitor cannot act on. → 500 */
export function unexpected (_err: unknown, { name }: ErrorContext): PageWords {
  return { status: 500, title: 'Something went wrong', what: `An unexpected error occurred while serving ${name}.`, todo: 'Try again later.' }
}

const noProvider = (_err: Error, { name }: ErrorContext): PageWords => unavailable(name, PHASE_TEXT.fetching)

/** The error pages' words for every error that can reach a site request. */
export const PAGE_ERROR_WORDS: PageErrorWords = {
  NameNotFoundError: (_err, { name }) => ({ status: 404, title: 'Site not found', what: `No site is registered under ${name}.`, todo: 'Check the address for typos. If this is your name, open wia-home and publish a site under it.' }),
  OwnerKeyChangedError: (_err, { name }) => ({
    status: 409,
    title: 'Warning: this site changed owner',
    what: `The owner of ${name} has changed since your last visit. The page is not shown, because it may come from an impostor.`,
    todo: 'If you know the owner moved the site to a new key, clear this site\'s data in your browser settings and open it again. Otherwise, do not trust what this address shows.'
  }),
  SiteUnpublishedError: (_err, { name }) => ({
    status: 410,
    title: 'This site was unpublished',
    what: `The owner of ${name} took this site down.`,
    todo: 'If you expected to find it here, ask the owner. The address stays theirs; they may publish it again.'
  }),
  InvalidNameError: invalidRecord,
  MalformedRecordError: invalidRecord,
  RecordTooLargeError: invalidRecord,
  InvalidSignatureError: invalidRecord,
  NameMismatchError: invalidRecord,
  RecordExpiredError: invalidRecord,
  UnsupportedRecordVersionError: invalidRecord,
  InvalidProofOfWorkError: invalidRecord,
  InsufficientProofOfWorkError: invalidRecord,
  // failures of publishing, which a visitor's request never meets
  NameTakenError: unexpected,
  StaleRecordError: unexpected,
  PutRejectedError: unexpected,
  PathNotFoundError: (_err, { name, path }) => ({
    status: 404,
    title: 'Not found',
    what: path == null ? `There is no such page on ${name}.` : `There is no page at ${path} on ${name}.`,
    todo: 'Check the address, or go to the home page of the site.'
  }),
  InvalidPathError: (_err, { path }) => ({ status: 400, title: 'Bad request', what: path == null ? 'The address is not a valid path.' : `${path} is not a valid path.` }),
  EmptySiteError: unexpected,
  FileTooLargeError: unexpected,
  MethodNotAllowedError: () => ({ status: 405, title: 'Method not allowed', what: 'Sites can only be read, with GET or HEAD requests.', headers: { Allow: 'GET, HEAD' } }),
  ContentUnavailableError: (err, { name }) => unavailable(name, err.phase == null ? '' : PHASE_TEXT[err.phase]),
  InsufficientProvidersError: noProvider,
  LoadBlockFailedError: noProvider,
  GatewaysUnavailableError: noProvider,
  NetworkFetchesBusyError: (_err, { name }) => ({ status: 504, title: 'Site unavailable', what: `${name} could not be fetched now: this relay is fetching as many files from other peers as it can.`, todo: 'Try again in a minute.' }),
  AbortError: (_err, { name }) => unavailable(name, ' in time'),
  TimeoutError: (_err, { name }) => unavailable(name, ' in time'),
  BlockHashMismatchError: unexpected,
  UnsupportedHashError: unexpected,
  UnexpectedCarContentError: unexpected,
  MalformedCarError: unexpected
}
