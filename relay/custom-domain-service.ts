import { createSecureContext } from 'node:tls'
import { errorPage } from '../src/gateway/index.js'
import { customDomainRecords } from './domains/index.js'
import type { AcmeCertificates, CustomDomainLookup, CustomDomainRefusalReason, CustomDomains, DnsRecordToCreate } from './domains/index.js'
import type { OperatorLog } from './log.js'
import type { ForeignHostAnswer, ForeignHosts } from './public-servers.js'
import type { SecureContext } from 'node:tls'

/** Which site a custom domain serves, or why it serves none. */
export type CustomDomainSite =
  | { ok: true, host: string, txtName: string, site: string }
  | { ok: false, host: string, txtName: string, reason: CustomDomainRefusalReason | 'dns-failed', found: readonly string[] }

/** What `GET /_wia/domain-check?host=…&site=…` answers (JSON): the records to create and whether they check out now. */
export interface CustomDomainCheck {
  host: string
  site: string
  /** The DNS records the owner creates (TXT, then CNAME or A/AAAA/ALIAS). */
  records: DnsRecordToCreate[]
  /** The check as of now; `other-site` when the record names a different site than `site`. */
  status: CustomDomainSite
}

export interface CustomDomainServiceComponents {
  domains: Pick<CustomDomains, 'lookup' | 'forget'>
  /** The relay's own host name, which custom domains point to (CNAME). */
  relayHost: string
  /** Orders custom domains' certificates; absent behind a reverse proxy, which orders them itself (no TLS reaches the relay). */
  certificates?: Pick<AcmeCertificates, 'certificateFor' | 'challengeResponse'>
  /** Whether a WIA name is registered (the relay's registry, else the DHT). */
  isRegistered: (name: string, signal: AbortSignal) => Promise<boolean>
  log: OperatorLog
}

/** How long deciding on one custom domain may take before the visitor is told DNS failed (ms). */
export const CUSTOM_DOMAIN_CHECK_TIMEOUT_MS = 10_000

/**
 * A public relay's custom domains (README "Custom domains"): a host outside
 * the relay's domain is served as the site its `_wia.<host>` TXT record names,
 * when that site is registered; its certificate is ordered by ACME HTTP-01 on
 * the first TLS handshake that checks out. Everything else is refused with a
 * page saying which record is missing or wrong, over plain HTTP (no
 * certificate is ever ordered for a refused host).
 *
 * The mapping from domain to site rests on DNS, as the domain itself does;
 * the site's content is then verified in the visitor's browser like on its
 * WIA address.
 */
export class CustomDomainService implements ForeignHosts {
  private readonly components: CustomDomainServiceComponents
  private readonly contexts = new Map<string, { cert: string, context: SecureContext }>()

  constructor (components: CustomDomainServiceComponents) {
    this.components = components
  }

  /** The site `host` serves, or why none. Never throws: a DNS failure is a refusal of its own. */
  async siteFor (host: string): Promise<CustomDomainSite> {
    const signal = AbortSignal.timeout(CUSTOM_DOMAIN_CHECK_TIMEOUT_MS)
    let lookup: CustomDomainLookup
    try {
      lookup = await this.components.domains.lookup(host, { signal })
    } catch (err) {
      this.components.log.warn({ event: 'domain.dns-failed', host, err }, 'custom domain TXT lookup failed')
      return { ok: false, host, txtName: `_wia.${host}`, reason: 'dns-failed', found: [] }
    }
    if (!lookup.ok) {
      return { ok: false, host: lookup.host, txtName: lookup.txtName, reason: lookup.reason, found: lookup.found }
    }
    const registered = await this.components.isRegistered(lookup.siteName, signal).catch(() => false)
    if (!registered) {
      return { ok: false, host: lookup.host, txtName: lookup.txtName, reason: 'not-registered', found: [lookup.siteName] }
    }
    return { ok: true, host: lookup.host, txtName: lookup.txtName, site: lookup.siteName }
  }

  /**
   * The records `host` needs to serve `site`, and whether they check out now
   * (`fresh` asks DNS again instead of reusing a cached answer).
   *
   * @throws {InvalidHostError} when `host` is not a DNS name
   * @throws {InvalidNameError} when `site` is not a WIA name
   */
  async check (host: string, site: string, options: { fresh?: boolean } = {}): Promise<CustomDomainCheck> {
    const records = customDomainRecords(host, site, this.components.relayHost)
    if (options.fresh === true) {
      this.components.domains.forget(host)
    }
    let status = await this.siteFor(host)
    if (status.ok && status.site !== site) {
      status = { ok: false, host: status.host, txtName: status.txtName, reason: 'other-site', found: [status.site] }
    }
    return { host: status.host, site, records, status }
  }

  async secureContext (servername: string): Promise<SecureContext | undefined> {
    const site = await this.siteFor(servername)
    if (!site.ok) {
      this.components.log.info({ event: 'domain.refused', host: site.host, reason: site.reason, found: site.found }, 'TLS handshake for a refused custom domain')
      return undefined
    }
    if (this.components.certificates == null) {
      return undefined
    }
    try {
      const { cert, key } = await this.components.certificates.certificateFor(site.host)
      const known = this.contexts.get(site.host)
      if (known?.cert === cert) {
        return known.context
      }
      const context = createSecureContext({ cert, key })
      this.contexts.set(site.host, { cert, context })
      this.components.log.info({ event: 'domain.certificate', host: site.host, site: site.site }, 'custom domain certificate in use')
      return context
    } catch (err) {
      this.components.log.error({ event: 'domain.certificate-failed', host: site.host, err }, 'could not get a certificate for a custom domain')
      return undefined
    }
  }

  challengeResponse (host: string, token: string): string | undefined {
    return this.components.certificates?.challengeResponse(host, token)
  }

  async plainHttp (host: string): Promise<ForeignHostAnswer> {
    const site = await this.siteFor(host)
    if (site.ok) {
      return { redirect: true }
    }
    return { redirect: false, status: refusalStatus(site), html: refusalPage(site) }
  }
}

/** The refusal page of a custom domain (HTML). */
export function refusalPage (site: Extract<CustomDomainSite, { ok: false }>): string {
  return errorPage({ status: refusalStatus(site), ...refusalWords(site) })
}

/** 502 when DNS failed (try again), else 404 (nothing is served here). */
export function refusalStatus (site: Extract<CustomDomainSite, { ok: false }>): number {
  return site.reason === 'dns-failed' ? 502 : 404
}

/** Words for people, once, keyed by refusal reason. */
function refusalWords (site: Extract<CustomDomainSite, { ok: false }>): { title: string, message: string, hint: string } {
  const record = `${site.txtName} TXT "wia=<your site>", for example "wia=alice.wia.home"`
  const found = site.found.join(', ')
  const words: Record<CustomDomainRefusalReason | 'dns-failed', { title: string, message: string, hint: string }> = {
    'no-record': {
      title: 'This domain is not linked to a WIA site',
      message: `${site.host} points to this wia-home relay, but the DNS record ${site.txtName} (TXT) is missing.`,
      hint: `The domain's owner creates the record ${record}. It is checked again within a minute.`
    },
    malformed: {
      title: 'This domain\'s WIA record is not valid',
      message: `The TXT record ${site.txtName} holds "${found}", which is not a WIA site name.`,
      hint: `Change it to ${record}.`
    },
    conflicting: {
      title: 'This domain names several WIA sites',
      message: `The TXT records at ${site.txtName} name different sites: ${found}.`,
      hint: 'Keep one wia= record.'
    },
    'other-site': {
      title: 'This domain is linked to another site',
      message: `The TXT record ${site.txtName} names ${found}.`,
      hint: `Change it to ${record}.`
    },
    'not-registered': {
      title: 'This domain names a site that does not exist',
      message: `The TXT record ${site.txtName} names ${found}, but no one has registered that name.`,
      hint: 'Publish the site under that name first, or change the record to the name of your site.'
    },
    'invalid-host': {
      title: 'Not a domain name',
      message: `${site.host} is not a DNS name this relay can serve as a custom domain.`,
      hint: 'Open the site by its WIA address or by a custom domain with a TXT record.'
    },
    'relay-domain': {
      title: 'Not a custom domain',
      message: `${site.host} belongs to this relay, not to a custom domain.`,
      hint: 'Open the site by its WIA address.'
    },
    'dns-failed': {
      title: 'DNS did not answer',
      message: `This relay could not read the TXT record ${site.txtName}.`,
      hint: 'Try again in a minute.'
    }
  }
  return words[site.reason]
}
