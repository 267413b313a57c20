/**
 * WIA site names: `<label>.wia.<tld>`, e.g. `alice.wia.home`.
 *
 * A name is written to hosts and URLs exactly as it is stored, so the rules
 * are strict: lowercase ASCII only, nothing is folded or normalised.
 *
 * @module
 */

import { InvalidNameError } from './errors.js'

/**
 * The top-level names a WIA site can live under.
 */
export const TLDS = ['home', 'shop', 'blog', 'page'] as const

/**
 * One of {@link TLDS}.
 */
export type Tld = typeof TLDS[number]

/**
 * The zone between the label and the TLD: `alice.<WIA_ZONE>.home`.
 */
export const WIA_ZONE = 'wia'

/**
 * Longest label, in characters (the DNS label limit).
 */
export const MAX_LABEL_LENGTH = 63

/**
 * A site name split into its parts.
 */
export interface ParsedName {
  /** The owner-chosen part, e.g. `alice` */
  label: string
  /** The top-level name, e.g. `home` */
  tld: Tld
}

/**
 * Where site origins live: `<protocol>//<name>.<suffix>[:<port>]`.
 */
export interface GatewayOrigin {
  /** URL scheme, with or without the trailing colon, e.g. `http:` or `https` */
  protocol: string
  /** Domain appended to the site name, e.g. `localhost` or `example.org`; empty for bare `alice.wia.home` hosts */
  suffix: string
  /** TCP port as a decimal string; omitted from the origin when empty or undefined */
  port?: string
}

const LABEL_CHARS = /^[a-z0-9-]+$/
const FORBIDDEN_LABEL_CHAR = /[^a-z0-9-]/

/**
 * Check one site label (the `alice` in `alice.wia.home`).
 *
 * Rules, checked in this order:
 * 1. not empty;
 * 2. at most {@link MAX_LABEL_LENGTH} (63) characters;
 * 3. only lowercase ASCII letters `a`–`z`, digits `0`–`9` and hyphens `-`.
 *    Uppercase is rejected, not folded to lowercase, and every non-ASCII
 *    character is rejected, which rules out look-alike (confusable) Unicode
 *    letters such as a Cyrillic `а` in place of a Latin `a`;
 * 4. no hyphen at the start or the end;
 * 5. not a hyphen in both the third and fourth places (`xn--…`): DNS reserves
 *    that form for encoded international names, which browsers display as
 *    Unicode, so it would bring the confusables of rule 3 back.
 *
 * @param label - the label to check
 * @throws {InvalidNameError} if a rule is broken; the message names the rule
 */
export function validateLabel (label: string): void {
  if (label.length === 0) {
    throw new InvalidNameError('empty label', { rule: 'empty' })
  }

  if (label.length > MAX_LABEL_LENGTH) {
    throw new InvalidNameError(`label has ${label.length} characters, more than ${MAX_LABEL_LENGTH}`, { rule: 'length' })
  }

  if (!LABEL_CHARS.test(label)) {
    const bad = FORBIDDEN_LABEL_CHAR.exec(label)?.[0] ?? ''
    throw new InvalidNameError(`label contains ${JSON.stringify(bad)}, outside a–z 0–9 -`, { rule: 'characters' })
  }

  if (label.startsWith('-') || label.endsWith('-')) {
    throw new InvalidNameError('label starts or ends with a hyphen', { rule: 'hyphen' })
  }

  if (label.slice(2, 4) === '--') {
    throw new InvalidNameError('label has hyphens in the third and fourth places', { rule: 'reserved' })
  }
}

/**
 * Whether `s` is one of the WIA top-level names ({@link TLDS}).
 *
 * @param s - candidate TLD, compared exactly (lowercase)
 */
export function isTld (s: string): s is Tld {
  return (TLDS as readonly string[]).includes(s)
}

/**
 * Build a full site name from its parts: `formatName('alice', 'home')` is
 * `'alice.wia.home'`.
 *
 * @param label - the owner-chosen label, checked with {@link validateLabel}
 * @param tld - one of {@link TLDS}
 * @throws {InvalidNameError} if the label or the TLD is not valid
 */
export function formatName (label: string, tld: Tld): string {
  validateLabel(label)

  if (!isTld(tld)) {
    throw new InvalidNameError(`unknown TLD ${JSON.stringify(tld)}`, { rule: 'tld' })
  }

  return `${label}.${WIA_ZONE}.${tld}`
}

/**
 * Split a full site name into label and TLD. Accepts exactly
 * `<label>.wia.<tld>`: no uppercase, no trailing dot, no extra labels.
 *
 * @param name - a full site name, e.g. `alice.wia.home`
 * @returns the label (`alice`) and TLD (`home`)
 * @throws {InvalidNameError} if the name does not have that form or its label is not valid
 */
export function parseName (name: string): ParsedName {
  const parts = name.split('.')

  if (parts.length !== 3 || parts[1] !== WIA_ZONE) {
    throw new InvalidNameError(`${JSON.stringify(name)} is not <label>.${WIA_ZONE}.<tld>`, { rule: 'form' })
  }

  const [label = '', , tld = ''] = parts

  if (!isTld(tld)) {
    throw new InvalidNameError(`unknown TLD in ${JSON.stringify(name)}`, { rule: 'tld' })
  }

  validateLabel(label)

  return { label, tld }
}

/**
 * The host name of a `Host` header or URL host: lowercased, without its port
 * or the brackets of an IPv6 literal (RFC 9110 §7.2). Empty for no header.
 *
 * @param host - e.g. `Alice.wia.home.localhost:8080`, `[::1]:443`
 * @returns e.g. `alice.wia.home.localhost`, `::1`
 */
export function hostnameOf (host: string | undefined): string {
  return (host ?? '').toLowerCase().replace(/:\d*$/, '').replace(/^\[|\]$/g, '')
}

/**
 * Find the site name in a request host.
 *
 * The host is lowercased and its port removed, then it must be either
 * `<label>.wia.<tld>.<suffix>` or the bare `<label>.wia.<tld>` (used when
 * `*.wia.home` is mapped straight to loopback).
 *
 * @param host - a URL host, possibly with a port, e.g. `alice.wia.home.localhost:8080`
 * @param suffix - the gateway suffix, e.g. `localhost` or `example.org` (a leading dot is ignored)
 * @returns the site name, e.g. `alice.wia.home`, or `null` if the host is not a site host
 */
export function nameFromHost (host: string, suffix: string): string | null {
  const hostname = hostnameOf(host)
  const tail = suffix.toLowerCase().replace(/^\./, '')
  const candidates = [hostname]

  if (tail !== '' && hostname.endsWith(`.${tail}`)) {
    candidates.unshift(hostname.slice(0, -(tail.length + 1)))
  }

  for (const candidate of candidates) {
    // the app origin and bare IPs are no site hosts: skip them without the
    // InvalidNameError parseName would throw (its stack trace cost ~7 µs, and
    // a relay asks twice per request)
    if (!candidate.includes(`.${WIA_ZONE}.`)) {
      continue
    }
    try {
      parseName(candidate)
      return candidate
    } catch {
      // not a site host in this form; try the next
    }
  }

  return null
}

/**
 * The web origin that serves a site, e.g. `http://alice.wia.home.localhost:8080`
 * (no trailing slash; the port is left out when empty, undefined or the
 * protocol's default).
 *
 * @param name - a full site name, checked with {@link parseName}
 * @param gateway - protocol, suffix and port of the gateway
 * @throws {InvalidNameError} if the name is not valid
 */
export function siteOrigin (name: string, gateway: GatewayOrigin): string {
  parseName(name)

  const protocol = gateway.protocol.replace(/:$/, '')
  const suffix = gateway.suffix.replace(/^\./, '')
  const host = suffix === '' ? name : `${name}.${suffix}`
  const port = gateway.port == null || gateway.port === '' ? '' : `:${gateway.port}`

  return new URL(`${protocol}://${host}${port}`).origin
}
