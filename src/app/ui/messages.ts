/**
 * The one place where errors become words for the app's user: what happened
 * and what to do about it.
 */
export function errorMessage (err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err))
  switch (e.name) {
    case 'InvalidNameError':
      return `${e.message}. Choose another site name.`
    case 'NameTakenError':
    case 'StaleRecordError':
      return e.message
    case 'EmptySiteError':
      return 'The folder you picked has no files. Pick the folder that contains your site (with an index.html).'
    case 'NoRelayReachableError':
      return 'No relay could be reached, so your site cannot be published. Check that the relay is running (npm start), then reload this page.'
    case 'NoReservationError':
      return e.message
    case 'PutRejectedError':
      return `${e.message}`
    case 'ConfigUnavailableError':
      return 'The app could not load its configuration from the server. Reload the page; if it keeps failing, restart npm start.'
    case 'QuotaExceededError':
      return 'This browser has no storage space left for the site. Free some space or host a smaller folder; nothing was published.'
    case 'NotEnoughSpaceError': {
      const { neededBytes, availableBytes } = e as Error & { neededBytes: number, availableBytes: number }
      return `This folder needs about ${formatBytes(neededBytes)} of storage, but the browser leaves this app only ${formatBytes(availableBytes)}. Free some space (drop sites you keep online, or clear other websites' data in the browser's settings) or publish a smaller folder. Nothing was published; your site online is unchanged.`
    }
    case 'AbortError':
      return 'Publishing was cancelled. Nothing was changed; you can publish again.'
    case 'TimeoutError':
      return 'Publishing took too long and was stopped. Check your connection to the relay and try again.'
    default:
      return `Publishing failed: ${e.message}. Try again; if it keeps failing, reload the page.`
  }
}

/** Words for what went wrong exporting or importing the owner's key. */
export function identityErrorMessage (err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err))
  switch (e.name) {
    case 'WeakPassphraseError':
      return 'Choose a passphrase of at least 8 characters. It protects your key file.'
    case 'WrongPassphraseError':
      return 'That passphrase does not open this key file (or the file is damaged). Check the passphrase and try again.'
    case 'InvalidIdentityFileError':
      return 'This is not a wia-home key file. Choose the file you saved with Export key.'
    case 'IdentityConflictError':
      return e.message
    default:
      return `${e.message}.`
  }
}

/** Words for what went wrong signing or accepting a transfer. */
export function transferErrorMessage (err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err))
  switch (e.name) {
    case 'InvalidNameError':
      return `${e.message}. Give the full name, like alice.wia.home.`
    case 'NameTakenError':
      return `${e.message.split('.')[0]} — and not by this device's key, so it cannot transfer it.`
    case 'MalformedRecordError':
    case 'InvalidSignatureError':
      return 'This transfer token is damaged or forged. Ask the old owner to send it again.'
    case 'InvalidTransferTargetError':
      return e.message
    default:
      return `${e.message}.`
  }
}

/** Words for what went wrong on a site card: rolling back, copying or sharing its link. */
export function siteErrorMessage (err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err))
  switch (e.name) {
    case 'VersionNotKeptError':
      return 'This device no longer keeps that version, so the site cannot go back to it. Publish its folder again instead.'
    case 'NameTakenError':
      return 'This name now belongs to another key (it was transferred away), so this device cannot change it.'
    case 'NoRelayReachableError':
    case 'NoReservationError':
      return 'No relay could be reached, so nothing was changed. Check that the relay is running, then try again.'
    case 'PutRejectedError':
      return `No relay stored the new name record (${e.message}), so nothing was changed. Try again in a minute.`
    case 'AbortError':
      return 'Rolling back was cancelled. Nothing was changed.'
    case 'TimeoutError':
      return 'Rolling back took too long and was stopped. Check your connection to the relay and try again.'
    case 'NotAllowedError':
      return 'The browser did not allow this. Copy the address from the link instead.'
    default:
      return `That did not work: ${e.message}. Try again; if it keeps failing, reload the page.`
  }
}

/** Human-readable size: `1.2 MB` (decimal units, as file managers show them). */
export function formatBytes (bytes: number): string {
  if (bytes < 1000) {
    return `${bytes} B`
  }
  const units = ['kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 'B'
  for (const next of units) {
    if (value < 1000) {
      break
    }
    value /= 1000
    unit = next
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${unit}`
}

/** Words for what went wrong keeping a site online. */
export function keepErrorMessage (err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err))
  switch (e.name) {
    case 'InvalidNameError':
      return `${e.message}. Give the full name, like alice.wia.home.`
    case 'NameNotFoundError':
      return `${e.message}. Check the name.`
    case 'AlreadyHostedError':
      return e.message
    case 'SiteTooLargeError':
      return `${e.message.split(';')[0]}: it does not fit in the space this app may use for kept sites.`
    case 'QuotaExceededError':
      return 'This browser has no storage space left. Drop a kept site and try again.'
    case 'FetchStalledError':
      return 'The site stopped arriving and asking again did not help, so it is not kept. Its owner and the devices that keep it may be offline; try again later.'
    case 'TimeoutError':
    case 'AbortError':
      return 'Fetching the site took too long, so it is not kept. Its owner or the relays may be offline; try again later.'
    default:
      return `The site could not be kept: ${e.message}.`
  }
}

/** Words for the state of a custom domain, keyed by the relay's refusal reason. */
export function domainStatusMessage (check: { host: string, site: string, status: { ok: boolean, reason?: string, found?: string[], txtName: string } }): string {
  const { host, site, status } = check
  if (status.ok) {
    return `${host} checks out: it serves ${site}. Open https://${host}/ (the certificate is issued on the first visit).`
  }
  const found = (status.found ?? []).join(', ')
  switch (status.reason) {
    case 'no-record':
      return `The TXT record ${status.txtName} is missing. Create the records below at your DNS provider, then check again.`
    case 'other-site':
      return `The TXT record ${status.txtName} names ${found}, not ${site}. Change it to the value below.`
    case 'malformed':
      return `The TXT record ${status.txtName} holds "${found}", which is not a site name. Change it to the value below.`
    case 'conflicting':
      return `There are several wia= TXT records at ${status.txtName} (${found}). Keep only the one below.`
    case 'not-registered':
      return `The TXT record names ${found}, which is not registered. Publish your site first.`
    case 'relay-domain':
    case 'invalid-host':
      return `${host} cannot be a custom domain. Use a domain you own, like www.example.com.`
    case 'dns-failed':
      return `The relay could not read ${status.txtName} from DNS. Check again in a minute.`
    default:
      return `${host} does not check out yet (${status.reason ?? 'unknown'}). Check again in a minute.`
  }
}
