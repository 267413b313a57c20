/**
 * Words for the app's user that are not tied to one element: sizes, the
 * state of a custom domain, and (from `words/errors.ts`) errors.
 *
 * @module
 */

export { formatBytes } from './format.js'
export { APP_ERROR_WORDS, describeError, errorText } from './words/errors.js'
export type { AppErrorName, AppErrorWords, Task, Words } from './words/errors.js'


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
