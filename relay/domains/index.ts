/**
 * Custom domains: an owner binds `www.alice.example` to the site
 * `alice.wia.home` with the TXT record `_wia.www.alice.example` =
 * `wia=alice.wia.home` and points the name at the relay (CNAME, or A/AAAA
 * at an apex). The relay then serves the site under that name, with a
 * certificate it orders by ACME HTTP-01 on the first request.
 *
 * - {@link CustomDomains} checks the TXT record (cached for its TTL, refusals
 *   briefly) and says which site a host serves, or why it is refused;
 * - {@link AcmeCertificates} issues, keeps and renews certificates, and
 *   answers HTTP-01 challenges; ask it only for hosts the TXT check passed;
 * - {@link customDomainRecords} lists the records an owner creates, for the app.
 *
 * @module
 */

export { AcmeCertificates, createAcmeCertificates } from './acme.js'
export type { AcmeCertificatesComponents, AcmeCertificatesInit, IssuedCertificate } from './acme.js'
export { CertificateStore } from './cert-store.js'
export type { KeyAndChain } from './cert-store.js'
export {
  ACME_CHALLENGE_PATH,
  ACME_ORDER_TIMEOUT_MS,
  DEFAULT_RENEWAL_MARGIN_MS,
  DNS_PORT,
  DNS_SERVER_TIMEOUT_MS,
  ISSUE_RETRY_AFTER_MS,
  MAX_CACHED_HOSTS,
  MAX_DNS_TCP_MESSAGE_BYTES,
  MAX_TXT_TTL_MS,
  MIN_TXT_TTL_MS,
  NEGATIVE_TXT_TTL_MS,
  TXT_LOOKUP_TIMEOUT_MS,
  TXT_RECORD_LABEL,
  TXT_VALUE_PREFIX
} from './constants.js'
export {
  CertificateIssueError,
  CustomDomainRefusedError,
  DnsServerError,
  InvalidHostError,
  NoDnsServersError,
  TxtLookupFailedError
} from './errors.js'
export type { CustomDomainRefusalReason } from './errors.js'
export { isAtOrUnder, normalizeHost, txtNameFor } from './host.js'
export { customDomainRecords } from './records.js'
export type { CustomDomainRecordsOptions, DnsRecordToCreate } from './records.js'
export { systemResolver } from './system-resolver.js'
export type { SystemResolverInit } from './system-resolver.js'
export { CustomDomains, createCustomDomains, dnsTxtResolver } from './txt-check.js'
export type {
  CustomDomainLookup,
  CustomDomainMapped,
  CustomDomainRefusal,
  CustomDomainsComponents,
  CustomDomainsInit,
  ResolveTxt,
  TxtRecord
} from './txt-check.js'
