/**
 * Certificates for custom domains, issued on demand by ACME HTTP-01 with the
 * kept client `acme-client`, kept in memory and on disk, and renewed when
 * they come within a margin of expiry.
 *
 * This module does not check who may have a certificate: the caller must
 * only ask for a host whose TXT check passed (`CustomDomains.siteFor`), or
 * anyone pointing a name at the relay could make it order certificates.
 *
 * @example
 *
 * ```TypeScript
 * const certificates = createAcmeCertificates({
 *   directoryUrl: directory.letsencrypt.production,
 *   dataDir: '.wia-data/relay/acme',
 *   email: 'ops@example.org',
 *   termsOfServiceAgreed: true
 * })
 *
 * // port 80: GET /.well-known/acme-challenge/<token>
 * const body = certificates.challengeResponse(req.headers.host, token)
 *
 * // TLS SNI callback, after domains.siteFor(servername) succeeded
 * const { key, cert } = await certificates.certificateFor(servername, { signal })
 * ```
 *
 * @module
 */

import { Agent } from 'node:https'
import { rootCertificates } from 'node:tls'
import { logger } from '@libp2p/logger'
import { Client, axios as acmeAxios, crypto as acmeCrypto, setLogger } from 'acme-client'
import { raceSignal } from 'race-signal'
import { CertificateStore } from './cert-store.js'
import { ACME_ORDER_TIMEOUT_MS, DEFAULT_RENEWAL_MARGIN_MS, ISSUE_RETRY_AFTER_MS } from './constants.js'
import { CertificateIssueError, InvalidHostError } from './errors.js'
import { normalizeHost } from './host.js'
import type { AbortOptions } from '@libp2p/interface'

const log = logger('wia:relay:acme')
const clientLog = logger('wia:relay:acme:client')
setLogger(message => { clientLog(message) })

/** A certificate ready for a TLS server. */
export interface IssuedCertificate {
  /** Private key, PEM */
  key: string
  /** Leaf certificate then intermediates, PEM */
  cert: string
  /** End of the leaf's validity (ms since the epoch) */
  notAfter: number
}

export interface AcmeCertificatesInit {
  /** ACME directory URL, e.g. `directory.letsencrypt.production` from `acme-client` */
  directoryUrl: string
  /** Folder for the account key and the certificates (see `CertificateStore`) */
  dataDir: string
  /** Contact address given to the CA for expiry and incident mail. @default none */
  email?: string
  /**
   * Whether the operator agrees to the CA's terms of service; Let's Encrypt
   * refuses to open an account without it.
   *
   * @default false
   */
  termsOfServiceAgreed?: boolean
  /** Renew a certificate when it expires within this time (ms). @default DEFAULT_RENEWAL_MARGIN_MS (30 days) */
  renewalMarginMs?: number
  /** Bound on one order (ms). @default ACME_ORDER_TIMEOUT_MS (2 min) */
  orderTimeoutMs?: number
  /** After a failed order, wait this long before ordering for the host again (ms). @default ISSUE_RETRY_AFTER_MS (10 min) */
  retryAfterMs?: number
  /**
   * Extra CA certificates (PEM) to trust for the ACME server's HTTPS API, for
   * a test CA such as pebble. `acme-client` takes no per-client TLS option,
   * so this sets the HTTPS agent of its one shared `axios` instance: it
   * applies to every `acme-client` user in the process. Without it, Node's
   * trust store applies (`NODE_EXTRA_CA_CERTS` adds to it).
   *
   * @default none
   */
  caCertificates?: string
  /**
   * Fetch the challenge from the host on port 80 before asking the CA to
   * (acme-client's own check). Off by default: the relay asks for a
   * certificate when a TLS handshake for the host has reached it, so the
   * host already points here, and hairpin NAT often breaks the self-check.
   *
   * @default false
   */
  selfCheck?: boolean
}

export interface AcmeCertificatesComponents {
  /** The clock (ms since the epoch). @default Date.now */
  now?(): number
}

interface PendingChallenge {
  host: string
  keyAuthorization: string
}

/**
 * Issues, keeps and renews the certificates of custom domains, and answers
 * HTTP-01 challenges for the orders under way.
 */
export class AcmeCertificates {
  private readonly init: AcmeCertificatesInit
  private readonly store: CertificateStore
  private readonly renewalMarginMs: number
  private readonly orderTimeoutMs: number
  private readonly retryAfterMs: number
  private readonly now: () => number
  private readonly memory = new Map<string, IssuedCertificate>()
  private readonly pending = new Map<string, Promise<IssuedCertificate>>()
  private readonly failures = new Map<string, { until: number, error: unknown }>()
  /** HTTP-01 key authorizations by token */
  private readonly challenges = new Map<string, PendingChallenge>()
  private client?: Promise<Client>

  constructor (init: AcmeCertificatesInit, components: AcmeCertificatesComponents = {}) {
    this.init = init
    this.store = new CertificateStore(init.dataDir)
    this.renewalMarginMs = init.renewalMarginMs ?? DEFAULT_RENEWAL_MARGIN_MS
    this.orderTimeoutMs = init.orderTimeoutMs ?? ACME_ORDER_TIMEOUT_MS
    this.retryAfterMs = init.retryAfterMs ?? ISSUE_RETRY_AFTER_MS
    this.now = components.now ?? Date.now

    if (init.caCertificates != null) {
      acmeAxios.defaults.httpsAgent = new Agent({ ca: [...rootCertificates, init.caCertificates] })
    }
  }

  /**
   * The certificate of a host: from memory, else from disk, else (or when it
   * expires within the renewal margin) from a new ACME order. Concurrent
   * calls for one host share one order; aborting `signal` stops this caller's
   * wait, not the order. While a renewal fails, a certificate that has not
   * expired yet is still returned.
   *
   * Only call this for a host whose TXT check passed.
   *
   * @param host - the custom domain, e.g. `www.alice.example` (case and port are ignored)
   * @throws {InvalidHostError} if `host` is not a DNS host name
   * @throws {CertificateIssueError} if the order failed or timed out, or failed within `retryAfterMs`
   */
  async certificateFor (host: string, options: AbortOptions = {}): Promise<IssuedCertificate> {
    options.signal?.throwIfAborted()
    const name = normalizeHost(host)
    if (name == null) {
      throw new InvalidHostError(host)
    }

    const current = this.memory.get(name) ?? await this.loadFromDisk(name)
    const now = this.now()
    if (current != null && current.notAfter - this.renewalMarginMs > now) {
      return current
    }
    const usable = current != null && current.notAfter > now ? current : undefined

    const failure = this.failures.get(name)
    if (failure != null && failure.until > now) {
      if (usable != null) {
        return usable
      }
      throw new CertificateIssueError(name, { cause: failure.error })
    }

    let pending = this.pending.get(name)
    if (pending == null) {
      pending = this.issue(name).finally(() => { this.pending.delete(name) })
      this.pending.set(name, pending)
    }

    try {
      return await raceSignal(pending, options.signal)
    } catch (err) {
      if (usable != null && (err as Error | undefined)?.name === CertificateIssueError.name) {
        log.error('renewing the certificate of %s failed, still using the one valid until %s - %e', name, new Date(usable.notAfter).toISOString(), err)
        return usable
      }
      throw err
    }
  }

  /**
   * The HTTP-01 answer for `GET http://<host>/.well-known/acme-challenge/<token>`
   * while an order for the host is under way.
   *
   * @param host - the request's `Host` header (case and port are ignored)
   * @param token - the last path segment
   * @returns the key authorization to send as `text/plain`, or `undefined` (answer 404)
   */
  challengeResponse (host: string, token: string): string | undefined {
    const challenge = this.challenges.get(token)
    if (challenge == null || challenge.host !== normalizeHost(host)) {
      return undefined
    }
    return challenge.keyAuthorization
  }

  private async loadFromDisk (host: string): Promise<IssuedCertificate | undefined> {
    try {
      const stored = await this.store.load(host)
      if (stored == null) {
        return undefined
      }
      const certificate = { ...stored, notAfter: acmeCrypto.readCertificateInfo(stored.cert).notAfter.getTime() }
      this.memory.set(host, certificate)
      return certificate
    } catch (err) {
      log.error('reading the stored certificate of %s failed, ordering a new one - %e', host, err)
      return undefined
    }
  }

  private async issue (host: string): Promise<IssuedCertificate> {
    log('ordering a certificate for %s', host)
    const started = this.now()
    const order = this.order(host)
    // after a timeout the order runs on; keep its failure from being unhandled
    order.catch(() => {})

    try {
      const certificate = await raceSignal(order, AbortSignal.timeout(this.orderTimeoutMs))
      await this.store.save(host, certificate)
      this.memory.set(host, certificate)
      this.failures.delete(host)
      log('issued a certificate for %s, valid until %s, in %d ms', host, new Date(certificate.notAfter).toISOString(), this.now() - started)
      return certificate
    } catch (err) {
      log.error('ordering a certificate for %s failed - %e', host, err)
      this.failures.set(host, { until: this.now() + this.retryAfterMs, error: err })
      throw new CertificateIssueError(host, { cause: err })
    } finally {
      for (const [token, challenge] of this.challenges) {
        if (challenge.host === host) {
          this.challenges.delete(token)
        }
      }
    }
  }

  private async order (host: string): Promise<IssuedCertificate> {
    const client = await this.accountClient()
    const [key, csr] = await acmeCrypto.createCsr({ commonName: host, altNames: [host] }, await acmeCrypto.createPrivateEcdsaKey())

    const cert = await client.auto({
      csr,
      ...(this.init.email != null ? { email: this.init.email } : {}),
      termsOfServiceAgreed: this.init.termsOfServiceAgreed ?? false,
      challengePriority: ['http-01'],
      skipChallengeVerification: this.init.selfCheck !== true,
      challengeCreateFn: async (authz, challenge, keyAuthorization) => {
        if (challenge.type !== 'http-01') {
          throw new Error(`unsupported challenge type ${challenge.type}`)
        }
        this.challenges.set(challenge.token, { host: authz.identifier.value, keyAuthorization })
      },
      challengeRemoveFn: async (_authz, challenge) => {
        this.challenges.delete(challenge.token)
      }
    })

    const info = acmeCrypto.readCertificateInfo(cert)
    if (!info.domains.altNames.includes(host) && info.domains.commonName !== host) {
      throw new Error(`the CA issued a certificate for ${[info.domains.commonName, ...info.domains.altNames].join(', ')}, not ${host}`)
    }
    return { key: key.toString(), cert, notAfter: info.notAfter.getTime() }
  }

  /** One ACME client for the process's life, with the account key from disk. */
  private async accountClient (): Promise<Client> {
    this.client ??= this.store.accountKey(async () => acmeCrypto.createPrivateEcdsaKey())
      .then(accountKey => new Client({ directoryUrl: this.init.directoryUrl, accountKey }))
    try {
      return await this.client
    } catch (err) {
      this.client = undefined
      throw err
    }
  }
}

/**
 * Create an {@link AcmeCertificates}.
 */
export function createAcmeCertificates (init: AcmeCertificatesInit, components: AcmeCertificatesComponents = {}): AcmeCertificates {
  return new AcmeCertificates(init, components)
}
