/**
 * The app's words for errors: one table keyed by the error class's `name`,
 * each entry saying what happened and what to do. Library errors carry short
 * technical messages and typed fields (`siteName`, `maxBytes`, `rule`); only
 * this table turns them into sentences for the app's user. The service
 * worker's error pages have their own table (`src/gateway/words.ts`).
 *
 * @module
 */

// single modules, not the barrels: this table is in the app's first load
import { MAX_LABEL_LENGTH, TLDS, WIA_ZONE } from '../../../naming/name.js'
import { MIN_PASSPHRASE_LENGTH } from '../../identity/constants.js'
import { formatBytes } from '../format.js'
import type * as cacheErrors from '../../../cache/errors.js'
import type * as contentErrors from '../../../content/errors.js'
import type * as namingErrors from '../../../naming/errors.js'
import type * as nodeErrors from '../../../node/errors.js'
import type * as signalErrors from '../../../signals/errors.js'
import type * as trustlessErrors from '../../../trustless/errors.js'
import type { DomainCheckError } from '../../custom-domain.js'
import type * as hostErrors from '../../host/errors.js'
import type * as identityErrors from '../../identity/errors.js'
import type * as settingsErrors from '../../settings/errors.js'
import type { ProvidersUnavailableError } from '../../peers.js'
import type { VisitsUnavailableError } from '../../visits.js'
import type { NameRule } from '../../../naming/index.js'

/** What the app tells its user about a failure. */
export interface Words {
  /** What happened, in one or two sentences (`'No relay could be reached.'`). */
  what: string
  /** What to do about it (`'Check that the relay is running, then reload.'`). */
  todo: string
}

/** What the user was doing when the error happened: it decides the words for failures that mean different things in different places. */
export type Task = 'start' | 'publish' | 'compare' | 'site' | 'key' | 'transfer' | 'keep' | 'domain' | 'settings' | 'visits' | 'peers'

/** The error classes of these modules, by export name (helpers and types dropped). */
type ErrorClassesOf<M> = { [K in keyof M as M[K] extends abstract new (...args: never[]) => Error ? K : never]: M[K] }

/** Every error class the app can show: the modules it calls, and the custom-domain check. */
type AppErrorClasses = ErrorClassesOf<typeof namingErrors & typeof hostErrors & typeof identityErrors & typeof contentErrors & typeof cacheErrors & typeof nodeErrors & typeof signalErrors & typeof trustlessErrors & typeof settingsErrors> & { DomainCheckError: typeof DomainCheckError, VisitsUnavailableError: typeof VisitsUnavailableError, ProvidersUnavailableError: typeof ProvidersUnavailableError }

/** Failures the browser itself reports as `DOMException`s. */
type BrowserErrorName = 'QuotaExceededError' | 'AbortError' | 'TimeoutError' | 'NotAllowedError'

/** The name of every error the app has words for. */
export type AppErrorName = Extract<keyof AppErrorClasses, string> | BrowserErrorName

type ErrorOf<K extends AppErrorName> = K extends keyof AppErrorClasses ? InstanceType<AppErrorClasses[K]> : Error

/**
 * The table's shape: an entry for every known error class (a missing one is a
 * type error), each typed with its class so it can use the class's fields.
 */
export type AppErrorWords = { readonly [K in AppErrorName]: (err: ErrorOf<K>, task: Task) => Words }

/** How each task is named in a sentence, and what a failure leaves unchanged. */
const TASK_WORDS: Record<Task, { doing: string, unchanged: string }> = {
  start: { doing: 'Starting the app', unchanged: 'Your sites and key are still stored in this browser.' },
  publish: { doing: 'Publishing', unchanged: 'Nothing was published.' },
  compare: { doing: 'Comparing the folder with the live version', unchanged: 'You can still publish it.' },
  site: { doing: 'Changing the site', unchanged: 'Nothing was changed.' },
  key: { doing: 'Saving or restoring the key', unchanged: 'Your key was not changed.' },
  transfer: { doing: 'Transferring the name', unchanged: 'The name was not transferred.' },
  keep: { doing: 'Keeping the site', unchanged: 'The site is not kept.' },
  domain: { doing: 'Checking the domain', unchanged: 'Nothing was changed.' },
  settings: { doing: 'Saving the settings', unchanged: 'The settings were not changed.' },
  visits: { doing: 'Asking the relays for the visits', unchanged: 'Your site is not affected.' },
  peers: { doing: 'Asking the relays who keeps a copy', unchanged: 'Your site is not affected.' }
}

const RULE_WORDS: Record<NameRule, string> = {
  empty: 'The site name is empty.',
  length: `A site name has at most ${MAX_LABEL_LENGTH} characters.`,
  characters: 'A site name may only contain lowercase letters a–z, digits and hyphens.',
  hyphen: 'A site name cannot start or end with a hyphen.',
  reserved: 'A site name cannot have hyphens in both its third and fourth places (that form is kept for international names).',
  tld: `Site names end in ${TLDS.map(tld => `.${WIA_ZONE}.${tld}`).join(', ')}.`,
  form: `A full site name looks like alice.${WIA_ZONE}.home.`
}

const FULL_NAME = `Give the full name, like alice.${WIA_ZONE}.home.`
const TRY_AGAIN = 'Try again; if it keeps failing, reload the page.'
const RELAY_DOWN: Words = { what: 'No relay could be reached.', todo: 'Check that the relay is running (npm start), then reload this page.' }
const damagedRecord = (what: string): Words => ({ what: `${what}, so it was not used.`, todo: 'If this is your site, publish it again.' })
const DAMAGED_DATA: Words = { what: 'A peer sent data that does not match what was asked for, so it was refused.', todo: 'Try again; another peer or relay may send the right data.' }
const DAMAGED_MESSAGE: Words = { what: 'A peer sent a reply this app cannot read.', todo: 'Try again later.' }

/** What to do when the relay went away in the middle of a task: the app takes its place on it again by itself. */
function relayBack (task: Task): string {
  return `Check that the relay is running (npm start). This app takes its place on the relay again by itself: once the top of the page says Online, ${task === 'publish' ? 'click Publish again' : 'try again'}.`
}

function failed (task: Task, detail: string): Words {
  return { what: `${TASK_WORDS[task].doing} failed: ${detail}`, todo: TRY_AGAIN }
}

/** The app's words for every error it can show. */
export const APP_ERROR_WORDS: AppErrorWords = {
  // naming
  InvalidNameError: (err, task) => ({ what: err.rule == null ? 'That is not a valid site name.' : RULE_WORDS[err.rule], todo: task === 'publish' ? 'Choose another site name.' : FULL_NAME }),
  NameNotFoundError: () => ({ what: 'No site is registered under that name.', todo: 'Check the name for typos.' }),
  NameTakenError: (err, task) => task === 'site' || task === 'transfer'
    ? { what: `${err.siteName} is already registered, and not by this device's key (it may have been transferred away).`, todo: 'This device cannot change it.' }
    : { what: `${err.siteName} is already registered.`, todo: 'Choose another name, or, if the name is yours, restore its key on this device (Your key).' },
  PutRejectedError: (err, task) => ({ what: `No relay accepted the record for ${err.siteName}. ${TASK_WORDS[task].unchanged}`, todo: relayBack(task) }),
  StaleRecordError: (_err, task) => ({ what: 'A newer version of this name record is already published, so this older one was refused.', todo: task === 'transfer' ? 'Ask the old owner for a new transfer.' : 'Reload the page and try again.' }),
  MalformedRecordError: () => damagedRecord('The name record is damaged or not a WIA name record'),
  RecordTooLargeError: () => damagedRecord('The name record is larger than allowed'),
  InvalidSignatureError: () => damagedRecord("The name record is not signed by its owner's key (it was changed or forged)"),
  NameMismatchError: () => damagedRecord('The name record is for a different site'),
  RecordExpiredError: () => ({ what: 'The name record has expired.', todo: 'Its owner must publish the site again to renew it.' }),
  UnsupportedRecordVersionError: () => ({ what: 'The name record uses a newer format than this app understands.', todo: 'Reload the page to update the app.' }),
  InvalidProofOfWorkError: () => damagedRecord("The name record's registration proof does not hold (it was made for another name or key, or changed)"),
  InsufficientProofOfWorkError: () => ({ what: "The name record's registration proof is easier than the relays require.", todo: 'Publish the site again; the app registers it with the difficulty the relays ask for.' }),
  SiteUnpublishedError: (err, task) => task === 'keep'
    ? { what: `Its owner unpublished ${err.siteName}, so there is nothing to keep online.`, todo: 'Check the name, or ask the owner whether it moved.' }
    : { what: `${err.siteName} is unpublished.`, todo: 'Publish a folder under it (Update) to put it online again.' },
  OwnerKeyChangedError: err => ({ what: `The owner key of ${err.siteName} changed since it was last seen; it may be an impostor.`, todo: 'If you know the owner moved the site to a new key, forget this site\'s data and try again.' }),
  // host
  IdentityConflictError: err => ({ what: `This device already owns ${err.siteNames.join(', ')} with another key; restoring would lose ${err.siteNames.length === 1 ? 'it' : 'them'}.`, todo: 'Back up that key first, or restore in another browser profile.' }),
  InvalidTransferTargetError: err => err.reason === 'other-key'
    ? { what: `This transfer of ${err.subject} is for another key.`, todo: "Send the old owner this device's key ID." }
    : { what: `"${err.subject}" is not a wia-home key ID.`, todo: 'Ask the new owner for the key ID their app shows under "Your key".' },
  AlreadyHostedError: err => ({ what: `This device hosts ${err.siteName} itself; it is online while this app is open.`, todo: 'There is nothing more to keep.' }),
  SiteNotHostedError: () => ({ what: 'This device does not host this site any more.', todo: 'Reload the page to see your sites.' }),
  NotEnoughSpaceError: err => ({ what: `This folder needs about ${formatBytes(err.neededBytes)} of storage, but the browser leaves this app only ${formatBytes(err.availableBytes)}.`, todo: "Free some space (drop sites you keep online, or clear other websites' data in the browser's settings) or publish a smaller folder. Nothing was published; your site online is unchanged." }),
  VersionNotKeptError: (_err, task) => task === 'compare'
    ? { what: 'Part of the live version is missing from this device, so the folder cannot be compared with it.', todo: TASK_WORDS.compare.unchanged }
    : { what: 'This device no longer keeps that version, so the site cannot go back to it.', todo: 'Publish its folder again instead.' },
  // identity
  WrongPassphraseError: () => ({ what: 'That passphrase does not open this key file (or the file is damaged).', todo: 'Check the passphrase (and its letter case) and try again.' }),
  InvalidIdentityFileError: err => err.version == null
    ? { what: 'This is not a wia-home key file, or it is damaged.', todo: 'Choose the file you saved when you backed up your key.' }
    : { what: `This key file is format version ${err.version}, which this app cannot read.`, todo: 'Reload the page to update the app, then try again.' },
  WeakPassphraseError: () => ({ what: `The passphrase is too short to protect your key: it needs at least ${MIN_PASSPHRASE_LENGTH} characters.`, todo: 'Choose a longer one; several words are easy to remember.' }),
  // content
  EmptySiteError: () => ({ what: 'The folder you picked has no files.', todo: 'Pick the folder that contains your site (with an index.html).' }),
  FileTooLargeError: () => ({ what: 'A file in the folder is too large to publish.', todo: 'Remove it or make it smaller, then publish again.' }),
  PathNotFoundError: () => ({ what: 'That file is not in the site.', todo: 'Check the path.' }),
  InvalidPathError: () => ({ what: 'A file in the folder has a name that cannot be part of a web address.', todo: 'Rename it, then publish again.' }),
  // cache
  SiteTooLargeError: err => ({ what: `${err.siteName} does not fit in the space this app may use for kept sites.`, todo: 'Drop a kept site or keep a smaller one.' }),
  FetchQueueBusyError: () => ({ what: 'The relay is busy fetching other sites, so it did not fetch this one now.', todo: 'Visit it again later; its owner can ask the relay to keep it.' }),
  FetchStalledError: () => ({ what: 'The site stopped arriving and asking again did not help, so it is not kept.', todo: 'Its owner and the devices that keep it may be offline; try again later.' }),
  CacheRequestFailedError: err => ({ what: `A relay refused to keep the site (${err.remoteError}).`, todo: 'Try again later.' }),
  MalformedCacheMessageError: () => DAMAGED_MESSAGE,
  // node
  NoRelayReachableError: (_err, task) => task === 'publish' || task === 'start'
    ? { what: 'No relay could be reached, so your site cannot be published.', todo: RELAY_DOWN.todo }
    : { what: `${RELAY_DOWN.what} ${TASK_WORDS[task].unchanged}`, todo: RELAY_DOWN.todo },
  NoReservationError: (_err, task) => ({
    what: `No relay gave this device a place to be reached (the relay may have stopped or restarted), so visitors could not reach it. ${TASK_WORDS[task].unchanged}`,
    todo: relayBack(task)
  }),
  ConfigUnavailableError: () => ({ what: 'The app could not load its configuration from the server.', todo: 'Reload the page; if it keeps failing, restart npm start.' }),
  InvalidRelayAddressError: (_err, task) => task === 'settings'
    ? { what: 'That is not a relay address.', todo: 'Give a multiaddr ending in /p2p/<relay PeerId>, like /dns4/relay.example.com/tcp/443/wss/p2p/12D3KooW…, or the relay\'s https:// address.' }
    : { what: 'The server lists a relay address that is not valid, so the app cannot connect.', todo: 'Tell the relay\'s operator; its configuration needs fixing.' },
  // settings
  InvalidSleepMinutesError: err => ({ what: `The sleep time must be a whole number of minutes from ${err.min} to ${err.max}.`, todo: 'Change it and save again.' }),
  // trustless
  BlockHashMismatchError: () => DAMAGED_DATA,
  UnsupportedHashError: () => ({ what: 'The site uses a hash this app cannot check, so it was not used.', todo: 'Ask its owner to publish it again with this app.' }),
  UnexpectedCarContentError: () => DAMAGED_DATA,
  MalformedCarError: () => DAMAGED_DATA,
  // custom domain: the relay's refusal is its own words
  DomainCheckError: err => ({ what: `${err.message}.`, todo: 'Type a domain name like www.example.com.' }),
  // visits
  VisitsUnavailableError: () => ({ what: 'No relay could tell the visits right now.', todo: 'Try again in a minute.' }),
  // peers keeping a copy
  ProvidersUnavailableError: () => ({ what: 'No relay could tell who keeps a copy right now.', todo: 'Try again in a minute.' }),
  // the browser
  QuotaExceededError: (_err, task) => ({ what: `This browser has no storage space left. ${TASK_WORDS[task].unchanged}`, todo: task === 'keep' ? 'Drop a kept site and try again.' : 'Free some space or host a smaller folder.' }),
  AbortError: (_err, task) => ({ what: `${TASK_WORDS[task].doing} was cancelled. ${TASK_WORDS[task].unchanged}`, todo: 'You can start again.' }),
  TimeoutError: (_err, task) => ({ what: `${TASK_WORDS[task].doing} took too long and was stopped. ${TASK_WORDS[task].unchanged}`, todo: task === 'keep' ? 'Its owner or the relays may be offline; try again later.' : 'Check your connection to the relay and try again.' }),
  NotAllowedError: () => ({ what: 'The browser did not allow this.', todo: 'Copy the address from the link instead.' })
}

function isKnown (name: string): name is AppErrorName {
  return Object.hasOwn(APP_ERROR_WORDS, name)
}

/**
 * What to tell the user about `err`, found by its `name` in
 * {@link APP_ERROR_WORDS}; an unknown error shows its message after what the
 * user was doing.
 */
export function describeError (err: unknown, task: Task): Words {
  const e = err instanceof Error ? err : new Error(String(err))
  if (isKnown(e.name)) {
    const entry = APP_ERROR_WORDS[e.name] as (err: Error, task: Task) => Words
    return entry(e, task)
  }
  return failed(task, `${e.message}.`)
}

/** {@link describeError} as one line of text: what happened, then what to do. */
export function errorText (err: unknown, task: Task): string {
  const { what, todo } = describeError(err, task)
  return `${what} ${todo}`
}
