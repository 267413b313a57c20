/**
 * The DNS records an owner creates to serve a site under a custom domain, as
 * the app shows them. Uses no Node built-ins, so it can move to shared code.
 *
 * @module
 */

import { parseName } from '../../src/naming/index.js'
import { TXT_VALUE_PREFIX } from './constants.js'
import { InvalidHostError } from './errors.js'
import { normalizeHost, txtNameFor } from './host.js'

/** TTL suggested for the records (s): one hour, the most the relay caches the TXT answer. */
const SUGGESTED_TTL_S = 3600

/** One DNS record to create. */
export interface DnsRecordToCreate {
  /**
   * Record type. `ALIAS` stands for the provider-specific apex alias
   * (ALIAS, ANAME, "CNAME flattening") when the relay's addresses are not known.
   */
  type: 'TXT' | 'CNAME' | 'A' | 'AAAA' | 'ALIAS'
  /** Fully qualified owner name, without the trailing dot, e.g. `_wia.www.alice.example` */
  name: string
  /** Value as typed into a DNS provider's form (TXT without quotes), e.g. `wia=alice.wia.home` */
  value: string
  /** Suggested TTL (s) */
  ttl: number
  /** The record in zone-file form, e.g. `_wia.www.alice.example. 3600 IN TXT "wia=alice.wia.home"` */
  zoneLine: string
}

export interface CustomDomainRecordsOptions {
  /**
   * Whether the host is the apex of its zone (`alice.example`), where a CNAME
   * is not allowed. Without a public suffix list this cannot be told from
   * the name alone, so the guess is: two labels is an apex.
   *
   * @default `true` for a two-label host, else `false`
   */
  apex?: boolean
  /** The relay's public IPv4 and IPv6 addresses, for A/AAAA records at an apex. @default [] */
  relayAddresses?: string[]
}

/**
 * The records that serve `siteName` at `host` through the relay at
 * `relayHost`: the TXT record `_wia.<host>` = `wia=<siteName>`, then a CNAME
 * `<host>` → `<relayHost>`; at an apex instead one A or AAAA record per relay
 * address, or, when none is given, an `ALIAS` to `<relayHost>`.
 *
 * @param host - the custom domain, e.g. `www.alice.example`
 * @param siteName - the site, e.g. `alice.wia.home`
 * @param relayHost - the relay's public host name, e.g. `relay.example.org`
 * @throws {InvalidHostError} if `host` or `relayHost` is not a DNS host name
 * @throws {InvalidNameError} if `siteName` is not a WIA site name
 */
export function customDomainRecords (host: string, siteName: string, relayHost: string, options: CustomDomainRecordsOptions = {}): DnsRecordToCreate[] {
  const name = normalizeHost(host)
  if (name == null) {
    throw new InvalidHostError(host)
  }
  const target = normalizeHost(relayHost)
  if (target == null) {
    throw new InvalidHostError(relayHost)
  }
  parseName(siteName)

  const records: DnsRecordToCreate[] = [record('TXT', txtNameFor(name), `${TXT_VALUE_PREFIX}${siteName}`)]
  const apex = options.apex ?? name.split('.').length === 2
  const addresses = options.relayAddresses ?? []

  if (!apex) {
    records.push(record('CNAME', name, target))
  } else if (addresses.length === 0) {
    records.push(record('ALIAS', name, target))
  } else {
    for (const address of addresses) {
      records.push(record(address.includes(':') ? 'AAAA' : 'A', name, address))
    }
  }

  return records
}

function record (type: DnsRecordToCreate['type'], name: string, value: string): DnsRecordToCreate {
  const data = type === 'TXT' ? JSON.stringify(value) : (type === 'CNAME' || type === 'ALIAS') ? `${value}.` : value
  return { type, name, value, ttl: SUGGESTED_TTL_S, zoneLine: `${name}. ${SUGGESTED_TTL_S} IN ${type} ${data}` }
}
