/**
 * Named errors of the custom domain module. Callers compare them by `name`
 * (`err.name === 'CustomDomainRefusedError'`), never by `instanceof`; each
 * class also carries its name as a static `name` that survives minification.
 *
 * @module
 */

/**
 * Why a host is not served as a custom domain:
 *
 * - `invalid-host`: not a DNS host name (an IP address, a bad character, a
 *   label too long);
 * - `relay-domain`: the relay's own domain or a name under it, or a WIA site
 *   host such as `alice.wia.home`: these are never custom domains;
 * - `no-record`: no `wia=` TXT record at `_wia.<host>`;
 * - `malformed`: the `wia=` value is not a valid WIA site name;
 * - `conflicting`: several `wia=` records name different sites;
 * - `other-site`: the record names another site than the one asked about;
 * - `not-registered`: the record names a site no one has registered (decided by the relay, which knows the registrations).
 */
export type CustomDomainRefusalReason = 'invalid-host' | 'relay-domain' | 'no-record' | 'malformed' | 'conflicting' | 'other-site' | 'not-registered'

/**
 * A host's TXT record does not bind it to a WIA site (or to the site asked
 * about), so the relay does not serve it and issues no certificate for it.
 */
export class CustomDomainRefusedError extends Error {
  static override name = 'CustomDomainRefusedError'
  override name = 'CustomDomainRefusedError'

  /** The custom domain, e.g. `www.alice.example` */
  readonly host: string
  /** The TXT name checked, e.g. `_wia.www.alice.example` */
  readonly txtName: string
  /** Why it is refused */
  readonly reason: CustomDomainRefusalReason
  /** The `wia=` values found (without the prefix), e.g. `['bob.wia.home']`; empty when none */
  readonly found: readonly string[]

  constructor (host: string, txtName: string, reason: CustomDomainRefusalReason, found: readonly string[] = [], options?: ErrorOptions) {
    super(`custom domain ${host} refused: ${reason}${found.length > 0 ? ` (${txtName} has ${found.map(f => JSON.stringify(f)).join(', ')})` : ''}`, options)
    this.host = host
    this.txtName = txtName
    this.reason = reason
    this.found = found
  }
}

/**
 * The TXT record of a custom domain could not be read: every DNS server
 * failed, timed out or refused. Says nothing about the domain itself, so it
 * is not cached.
 */
export class TxtLookupFailedError extends Error {
  static override name = 'TxtLookupFailedError'
  override name = 'TxtLookupFailedError'

  /** The custom domain, e.g. `www.alice.example` */
  readonly host: string
  /** The TXT name asked for, e.g. `_wia.www.alice.example` */
  readonly txtName: string

  constructor (host: string, txtName: string, options?: ErrorOptions) {
    super(`DNS lookup of ${txtName} TXT failed`, options)
    this.host = host
    this.txtName = txtName
  }
}

/**
 * A DNS server answered a query with an error code (`SERVFAIL`, `REFUSED`,
 * …), an answer that does not match the query, or not in time.
 */
export class DnsServerError extends Error {
  static override name = 'DnsServerError'
  override name = 'DnsServerError'

  /** The name asked for, e.g. `_wia.www.alice.example` */
  readonly fqdn: string
  /** The server, `address:port` */
  readonly server: string
  /** The response code when the server answered, e.g. `SERVFAIL` */
  readonly rcode?: string

  constructor (fqdn: string, server: string, rcode?: string, options?: ErrorOptions) {
    super(`DNS server ${server} failed for ${fqdn}${rcode != null ? `: ${rcode}` : ''}`, options)
    this.fqdn = fqdn
    this.server = server
    if (rcode != null) {
      this.rcode = rcode
    }
  }
}

/**
 * No DNS server is configured: `dns.getServers()` is empty (no usable
 * `nameserver` line in `/etc/resolv.conf`).
 */
export class NoDnsServersError extends Error {
  static override name = 'NoDnsServersError'
  override name = 'NoDnsServersError'

  constructor (message = 'no DNS servers configured', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * A name given for a certificate is not a DNS host name (it also becomes a
 * file name in the certificate store, so it is checked strictly).
 */
export class InvalidHostError extends Error {
  static override name = 'InvalidHostError'
  override name = 'InvalidHostError'

  /** The rejected host, as given */
  readonly host: string

  constructor (host: string, options?: ErrorOptions) {
    super(`not a DNS host name: ${JSON.stringify(host)}`, options)
    this.host = host
  }
}

/**
 * An ACME order for a custom domain failed, was refused by the CA, or did not
 * finish within `ACME_ORDER_TIMEOUT_MS`; `cause` holds the underlying error.
 * Also thrown, with the earlier failure as `cause`, while no new order is
 * placed for the host (`ISSUE_RETRY_AFTER_MS`).
 */
export class CertificateIssueError extends Error {
  static override name = 'CertificateIssueError'
  override name = 'CertificateIssueError'

  /** The host the certificate was for, e.g. `www.alice.example` */
  readonly host: string

  constructor (host: string, options?: ErrorOptions) {
    const cause = options?.cause
    super(`issuing a certificate for ${host} failed${cause instanceof Error ? `: ${cause.message}` : ''}`, options)
    this.host = host
  }
}
