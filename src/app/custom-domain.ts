/** One DNS record an owner creates for a custom domain (the relay's `DnsRecordToCreate`). */
export interface DomainRecord {
  type: string
  name: string
  value: string
  ttl: number
  zoneLine: string
}

/** What the relay says of a custom domain (`GET /_wia/domain-check`, the relay's `CustomDomainCheck`). */
export interface DomainCheck {
  host: string
  site: string
  records: DomainRecord[]
  status: { ok: true, site: string, txtName: string } | { ok: false, reason: string, found: string[], txtName: string }
}

/** Path of the relay's custom-domain check on the app origin (see `relay/http.ts`). */
export const DOMAIN_CHECK_PATH = '/_wia/domain-check'

/** The relay refused the question itself (not a DNS name, not a WIA name). */
export class DomainCheckError extends Error {
  static override name = 'DomainCheckError'
  override name = 'DomainCheckError'
}

/**
 * Ask the app's relay which records `host` needs to serve `site` and whether
 * they check out now (DNS is asked again, not a cached answer).
 *
 * @throws {DomainCheckError} when the relay refuses the question (with its message)
 */
export async function checkCustomDomain (host: string, site: string, options: { signal?: AbortSignal } = {}): Promise<DomainCheck> {
  const url = new URL(DOMAIN_CHECK_PATH, location.origin)
  url.searchParams.set('host', host.trim())
  url.searchParams.set('site', site)
  url.searchParams.set('fresh', '1')
  const res = await fetch(url, { cache: 'no-store', signal: options.signal })
  const body = await res.json() as DomainCheck | { message: string }
  if (!res.ok || !('records' in body)) {
    throw new DomainCheckError('message' in body ? body.message : `HTTP ${res.status}`)
  }
  return body
}
