import { chooseRecord, decodeVerifiedNameRecord, NameNotFoundError } from '../../src/naming/index.js'
import { equals } from 'uint8arrays/equals'
import type { RelayGateways } from './gateways.js'
import type { Candidate, NameRecord, ResolvedName } from '../../src/naming/index.js'

export interface ResolveNameOverHttpOptions {
  signal?: AbortSignal
  /** The owner key pinned on first use: a record under another key (and no transfer from it) is not taken. */
  pinnedOwner?: Uint8Array
  /** Least proof-of-work difficulty of a registration. */
  minPowBits?: number
  /** Whether the browser's HTTP cache may answer (`HttpCacheOptions`); default `no-store`. */
  cache?: RequestCache
}

/**
 * Resolve a WIA name through the relays' HTTP gateways (`GET /_wia/name/<name>`,
 * `docs/http.md`). Every record is decoded and verified here (signature, name,
 * expiry, registration proof; `docs/naming.md`), whatever relay sent it.
 * With an owner pinned, the first relay whose record is valid and under the
 * pin (or transferred from it) ends the lookup. On a first visit every relay
 * is asked and the records are weighed (`chooseRecord`). A relay can
 * withhold a record, never forge one.
 *
 * @throws {NameNotFoundError} when relays answered and none holds a record
 * @throws {OwnerKeyChangedError} when records exist but none under the pinned owner (or transferred from it)
 * @throws {InvalidSignatureError | MalformedRecordError | RecordExpiredError | NameMismatchError}
 * (and the other record errors) when records came but none is valid
 * @throws {GatewaysUnavailableError} when no relay could be reached
 */
export async function resolveNameOverHttp (gateways: Pick<RelayGateways, 'record' | 'recordsFromAll'>, name: string, options: ResolveNameOverHttpOptions = {}): Promise<ResolvedName> {
  if (options.pinnedOwner == null) {
    return firstVisit(gateways, name, options)
  }
  const candidates: Candidate[] = []
  const rejected: Error[] = []
  try {
    return await gateways.record(name, async bytes => {
      try {
        candidates.push({ record: await decodeVerifiedNameRecord(bytes, { name, minPowBits: options.minPowBits }), from: `relay ${candidates.length}` })
      } catch (err) {
        rejected.push(err as Error)
        throw err
      }
      // throws OwnerKeyChangedError while no record is under the pin: the next relay is asked
      return chooseRecord(candidates, options.pinnedOwner, name)
    }, { signal: options.signal, cache: options.cache })
  } catch (err) {
    options.signal?.throwIfAborted()
    if (candidates.length > 0) {
      return chooseRecord(candidates, options.pinnedOwner, name)
    }
    throw whyNone(name, rejected, err)
  }
}

/**
 * A first visit: no owner key is pinned, so one relay must not decide alone
 * whose site this is. Every relay is asked at once; the verified records
 * are weighed by `chooseRecord` (the owner most relays answer for wins), so
 * a lone relay serving a record it made under its own key is outvoted. Each
 * distinct record among the answers is verified once, as soon as it comes.
 */
async function firstVisit (gateways: Pick<RelayGateways, 'recordsFromAll'>, name: string, options: ResolveNameOverHttpOptions): Promise<ResolvedName> {
  // relays mostly hand out the same bytes: each distinct record is decoded and verified once, as soon as it comes
  const distinct: Array<{ bytes: Uint8Array, verified: Promise<NameRecord> }> = []
  const verify = (bytes: Uint8Array): Promise<NameRecord> => {
    let check = distinct.find(seen => equals(seen.bytes, bytes))
    if (check == null) {
      check = { bytes, verified: decodeVerifiedNameRecord(bytes, { name, minPowBits: options.minPowBits }) }
      // awaited below, in the relays' order; meanwhile a rejection is not unhandled
      check.verified.catch(() => {})
      distinct.push(check)
    }
    return check.verified
  }
  let answers: Array<{ base: string, bytes: Uint8Array }>
  try {
    answers = await gateways.recordsFromAll(name, { signal: options.signal, cache: options.cache, onAnswer: ({ bytes }) => { verify(bytes) } })
  } catch (err) {
    options.signal?.throwIfAborted()
    throw whyNone(name, [], err)
  }
  const checks = answers.map(({ base, bytes }) => ({ base, verified: verify(bytes) }))
  const candidates: Candidate[] = []
  const rejected: Error[] = []
  for (const { base, verified } of checks) {
    try {
      candidates.push({ record: await verified, from: base })
    } catch (err) {
      rejected.push(err as Error)
    }
  }
  if (candidates.length === 0) {
    throw whyNone(name, rejected, new NameNotFoundError(`No site is registered under ${name}`))
  }
  return chooseRecord(candidates, undefined, name)
}

/** The error to throw when no record was taken: the first rejected record's, else "not registered" when relays said 404, else `err`. */
function whyNone (name: string, rejected: Error[], err: unknown): unknown {
  const [firstRejection] = rejected
  if (firstRejection != null) {
    return firstRejection
  }
  if ((err as { statuses?: number[] }).statuses?.includes(404) === true) {
    return new NameNotFoundError(`No site is registered under ${name}`, { cause: err })
  }
  return err
}
