/**
 * Host names of custom domains: normalising a request host and checking it
 * is a DNS name, not an address. Uses no Node built-ins.
 *
 * @module
 */

import { TXT_RECORD_LABEL } from './constants.js'

/** Longest DNS name, in characters, without the trailing dot. */
const MAX_HOST_LENGTH = 253
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/
const NUMERIC = /^[0-9]+$/

/**
 * Normalise a request host to a DNS host name: lowercased, port and trailing
 * dot removed, then checked to be at least two labels of letters, digits and
 * hyphens (1–63 characters, no hyphen at either end), 253 characters at most,
 * with a top-level label that is not all digits (so no IPv4 address passes;
 * IPv6 addresses fail on their colons). International names must come in
 * their ASCII (`xn--`) form, as browsers send them.
 *
 * @param host - a `Host` header or SNI name, e.g. `WWW.Alice.Example:443`
 * @returns the host name, e.g. `www.alice.example`, or `null` when it is not one
 */
export function normalizeHost (host: string): string | null {
  let name = host.trim().toLowerCase()

  if (name.startsWith('[')) {
    return null // an IPv6 literal
  }

  name = name.replace(/:\d*$/, '').replace(/\.$/, '')

  if (name.length === 0 || name.length > MAX_HOST_LENGTH) {
    return null
  }

  const labels = name.split('.')

  if (labels.length < 2 || !labels.every(label => LABEL.test(label)) || NUMERIC.test(labels[labels.length - 1] ?? '')) {
    return null
  }

  return name
}

/**
 * Whether `host` is `domain` itself or a name under it (`a.b.example` is under
 * `b.example`, `ab.example` is not). Both must be normalised.
 */
export function isAtOrUnder (host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`)
}

/**
 * The TXT name checked for a custom domain: `_wia.<host>`.
 *
 * @param host - a normalised host, e.g. `www.alice.example`
 */
export function txtNameFor (host: string): string {
  return `${TXT_RECORD_LABEL}.${host}`
}
