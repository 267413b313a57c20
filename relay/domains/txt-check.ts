/**
 * The TXT check of custom domains: `www.alice.example` is served as the site
 * `alice.wia.home` while `_wia.www.alice.example` has the TXT record
 * `wia=alice.wia.home`. Answers are kept for the record's TTL (clamped),
 * refusals for a short time, and concurrent checks of one host share one DNS
 * query.
 *
 * @example
 *
 * ```TypeScript
 * const domains = createCustomDomains({ relayDomains: ['relay.example.org'] })
 * const site = await domains.siteFor('www.alice.example', { signal }) // 'alice.wia.home'
 * ```
 *
 * @module
 */

import { logger } from '@libp2p/logger'
import { dns, RecordType } from '@multiformats/dns'
import { raceSignal } from 'race-signal'
import { nameFromHost, parseName } from '../../src/naming/index.js'
import {
  MAX_CACHED_HOSTS,
  MAX_TXT_TTL_MS,
  MIN_TXT_TTL_MS,
  NEGATIVE_TXT_TTL_MS,
  TXT_LOOKUP_TIMEOUT_MS,
  TXT_VALUE_PREFIX
} from './constants.js'
import { CustomDomainRefusedError, TxtLookupFailedError } from './errors.js'
import { isAtOrUnder, normalizeHost, txtNameFor } from './host.js'
import { systemResolver } from './system-resolver.js'
import type { CustomDomainRefusalReason } from './errors.js'
import type { AbortOptions } from '@libp2p/interface'
import type { DNS } from '@multiformats/dns'

const log = logger('wia:relay:domains')

/** One TXT record: its strings joined, and its TTL. */
export interface TxtRecord {
  /** The record's text, e.g. `wia=alice.wia.home` */
  data: string
  /** Time to live from the DNS answer (s) */
  ttl: number
}

/**
 * Resolves the TXT records of a name.
 *
 * @returns the records, `[]` when the name or its TXT records do not exist
 * @throws when the lookup itself failed (no server answered, `SERVFAIL`, timeout)
 */
export type ResolveTxt = (fqdn: string, options: AbortOptions) => Promise<TxtRecord[]>

interface LookupBase {
  /** The normalised custom domain, e.g. `www.alice.example` */
  host: string
  /** The TXT name checked, e.g. `_wia.www.alice.example` */
  txtName: string
  /** Until when this answer is reused (ms since the epoch); equal to the lookup time when not cached */
  expires: number
}

/** The host is bound to a site. */
export interface CustomDomainMapped extends LookupBase {
  ok: true
  /** The site it is served as, e.g. `alice.wia.home` */
  siteName: string
}

/** The host is not served. */
export interface CustomDomainRefusal extends LookupBase {
  ok: false
  reason: CustomDomainRefusalReason
  /** The `wia=` values found, without the prefix; for `other-site`, the site the host is bound to */
  found: string[]
}

/** What the TXT check says about a host. */
export type CustomDomainLookup = CustomDomainMapped | CustomDomainRefusal

export interface CustomDomainsInit {
  /**
   * Domains the relay serves itself (its gateway suffix, e.g.
   * `relay.example.org`): these and every name under them are never custom
   * domains. WIA site hosts (`alice.wia.home`) never are either.
   *
   * @default []
   */
  relayDomains?: string[]
  /** Least time a TXT answer is reused, whatever its TTL (ms). @default MIN_TXT_TTL_MS (30 s) */
  minTtlMs?: number
  /** Most time a TXT answer is reused, whatever its TTL (ms). @default MAX_TXT_TTL_MS (1 h) */
  maxTtlMs?: number
  /** How long a refusal found in DNS is reused (ms). @default NEGATIVE_TXT_TTL_MS (30 s) */
  negativeTtlMs?: number
  /** Bound on one DNS lookup (ms). @default TXT_LOOKUP_TIMEOUT_MS (5 s) */
  lookupTimeoutMs?: number
  /** Most hosts kept in the answer cache. @default MAX_CACHED_HOSTS (10 000) */
  maxCachedHosts?: number
}

export interface CustomDomainsComponents {
  /** @default TXT lookups through `@multiformats/dns` with {@link systemResolver} (the machine's DNS servers, real TTLs) */
  resolveTxt?: ResolveTxt
  /** The clock (ms since the epoch). @default Date.now */
  now?(): number
}

/**
 * TXT lookups through a `@multiformats/dns` instance, by default one that
 * asks the machine's DNS servers ({@link systemResolver}). The instance's own
 * cache is bypassed: {@link CustomDomains} keeps answers itself.
 */
export function dnsTxtResolver (resolver: DNS = dns({ resolvers: { '.': systemResolver() } })): ResolveTxt {
  return async (fqdn, options) => {
    try {
      const response = await resolver.query(fqdn, { types: RecordType.TXT, cached: false, signal: options.signal })
      return response.Answer
        .filter(answer => answer.type === RecordType.TXT)
        .map(answer => ({ data: unquote(answer.data), ttl: answer.TTL }))
    } catch (err) {
      // @multiformats/dns turns "no such record" into an error of empty answers
      if (isEmptyAnswer(err)) {
        return []
      }
      throw err
    }
  }
}

/**
 * Checks custom domains against their `_wia.<host>` TXT records. Never
 * issues certificates itself; a caller must see a host map here before asking
 * `AcmeCertificates` for one.
 */
export class CustomDomains {
  private readonly relayDomains: string[]
  private readonly minTtlMs: number
  private readonly maxTtlMs: number
  private readonly negativeTtlMs: number
  private readonly lookupTimeoutMs: number
  private readonly maxCachedHosts: number
  private readonly resolveTxt: ResolveTxt
  private readonly now: () => number
  /** Answers by host, oldest first (a `Map` keeps insertion order). */
  private readonly cache = new Map<string, CustomDomainLookup>()
  /** Lookups under way, by host. */
  private readonly pending = new Map<string, Promise<CustomDomainLookup>>()

  constructor (init: CustomDomainsInit = {}, components: CustomDomainsComponents = {}) {
    this.relayDomains = (init.relayDomains ?? []).map(domain => normalizeHost(domain) ?? domain.toLowerCase())
    this.minTtlMs = init.minTtlMs ?? MIN_TXT_TTL_MS
    this.maxTtlMs = init.maxTtlMs ?? MAX_TXT_TTL_MS
    this.negativeTtlMs = init.negativeTtlMs ?? NEGATIVE_TXT_TTL_MS
    this.lookupTimeoutMs = init.lookupTimeoutMs ?? TXT_LOOKUP_TIMEOUT_MS
    this.maxCachedHosts = init.maxCachedHosts ?? MAX_CACHED_HOSTS
    this.resolveTxt = components.resolveTxt ?? dnsTxtResolver()
    this.now = components.now ?? Date.now
  }

  /**
   * Check which site a host is bound to. Reuses a cached answer until it
   * expires; otherwise asks DNS, sharing one query among concurrent callers
   * (aborting `signal` stops this caller's wait, not the shared query).
   *
   * @param host - a request host, e.g. `www.alice.example` (case and port are ignored)
   * @returns the site, or why the host is refused
   * @throws {TxtLookupFailedError} when DNS could not be asked (not cached)
   */
  async lookup (host: string, options: AbortOptions = {}): Promise<CustomDomainLookup> {
    options.signal?.throwIfAborted()
    const now = this.now()
    const normalized = normalizeHost(host)

    if (normalized == null) {
      const name = host.trim().toLowerCase()
      return { ok: false, host: name, txtName: txtNameFor(name), expires: now, reason: 'invalid-host', found: [] }
    }

    if (this.relayDomains.some(domain => isAtOrUnder(normalized, domain)) || nameFromHost(normalized, '') != null) {
      return { ok: false, host: normalized, txtName: txtNameFor(normalized), expires: now, reason: 'relay-domain', found: [] }
    }

    const cached = this.cache.get(normalized)
    if (cached != null && cached.expires > now) {
      return cached
    }

    let pending = this.pending.get(normalized)
    if (pending == null) {
      pending = this.query(normalized).finally(() => { this.pending.delete(normalized) })
      this.pending.set(normalized, pending)
    }

    return raceSignal(pending, options.signal)
  }

  /**
   * Check that a host is bound to one given site, as the app does before it
   * says the owner's records check out.
   *
   * @param siteName - the site the host should serve, e.g. `alice.wia.home`
   * @returns the lookup, refused with `other-site` (and the bound site in `found`) when it names another site
   * @throws {TxtLookupFailedError} when DNS could not be asked
   */
  async check (host: string, siteName: string, options: AbortOptions = {}): Promise<CustomDomainLookup> {
    const result = await this.lookup(host, options)
    if (result.ok && result.siteName !== siteName) {
      return { ok: false, host: result.host, txtName: result.txtName, expires: result.expires, reason: 'other-site', found: [result.siteName] }
    }
    return result
  }

  /**
   * The site a host is served as.
   *
   * @returns the site name, e.g. `alice.wia.home`
   * @throws {CustomDomainRefusedError} when the TXT check refuses the host
   * @throws {TxtLookupFailedError} when DNS could not be asked
   */
  async siteFor (host: string, options: AbortOptions = {}): Promise<string> {
    const result = await this.lookup(host, options)
    if (!result.ok) {
      throw new CustomDomainRefusedError(result.host, result.txtName, result.reason, result.found)
    }
    return result.siteName
  }

  /** Drop the cached answer of a host, so the next lookup asks DNS (the app's "check again"). */
  forget (host: string): void {
    const normalized = normalizeHost(host)
    if (normalized != null) {
      this.cache.delete(normalized)
    }
  }

  private async query (host: string): Promise<CustomDomainLookup> {
    const txtName = txtNameFor(host)
    let records: TxtRecord[]

    try {
      records = await this.resolveTxt(txtName, { signal: AbortSignal.timeout(this.lookupTimeoutMs) })
    } catch (err) {
      log.error('TXT lookup of %s failed - %e', txtName, err)
      throw new TxtLookupFailedError(host, txtName, { cause: err })
    }

    const result = this.judge(host, txtName, records, this.now())
    this.remember(result)
    log('%s: %s', txtName, result.ok ? `maps to ${result.siteName} until ${new Date(result.expires).toISOString()}` : `refused, ${result.reason}`)
    return result
  }

  /** Turn the TXT records found into an answer with its expiry. */
  private judge (host: string, txtName: string, records: TxtRecord[], now: number): CustomDomainLookup {
    const ours = records
      .map(record => ({ ...record, data: record.data.trim() }))
      .filter(record => record.data.startsWith(TXT_VALUE_PREFIX))
    const found = [...new Set(ours.map(record => record.data.slice(TXT_VALUE_PREFIX.length).trim()))]
    const refuse = (reason: CustomDomainRefusalReason): CustomDomainRefusal =>
      ({ ok: false, host, txtName, expires: now + this.negativeTtlMs, reason, found })

    if (found.length === 0) {
      return refuse('no-record')
    }
    if (found.length > 1) {
      return refuse('conflicting')
    }

    const [siteName = ''] = found
    if (!isSiteName(siteName)) {
      return refuse('malformed')
    }

    const ttlMs = Math.min(...ours.map(record => record.ttl)) * 1000
    const kept = Math.min(Math.max(Number.isFinite(ttlMs) ? ttlMs : 0, this.minTtlMs), this.maxTtlMs)
    return { ok: true, host, txtName, expires: now + kept, siteName }
  }

  private remember (result: CustomDomainLookup): void {
    this.cache.delete(result.host)
    this.cache.set(result.host, result)
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= this.maxCachedHosts) {
        break
      }
      this.cache.delete(oldest)
    }
  }
}

/**
 * Create a {@link CustomDomains} checker.
 */
export function createCustomDomains (init: CustomDomainsInit = {}, components: CustomDomainsComponents = {}): CustomDomains {
  return new CustomDomains(init, components)
}

function isSiteName (value: string): boolean {
  try {
    parseName(value)
    return true
  } catch {
    return false
  }
}

/** A DNS-JSON TXT answer comes quoted (`"a" "b"`): join the strings. */
function unquote (data: string): string {
  if (!data.startsWith('"')) {
    return data
  }
  return [...data.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(match => (match[1] ?? '').replace(/\\(.)/g, '$1')).join('')
}

function isEmptyAnswer (err: unknown): boolean {
  if (!(err instanceof AggregateError) || err.name !== 'DNSQueryFailedError') {
    return false
  }
  return err.errors.length > 0 && err.errors.every((e: unknown) => e instanceof Error && e.name === 'EmptyDNSAnswerError')
}
