import { chooseRecord, decodeNameRecord, NameNotFoundError, verifyNameRecord } from '../../src/naming/index.js'
import type { RelayGateways } from './gateways.js'
import type { Candidate, ResolvedName } from '../../src/naming/index.js'

export interface ResolveNameOverHttpOptions {
  signal?: AbortSignal
  /** The owner key pinned on first use: a record under another key (and no transfer from it) is not taken. */
  pinnedOwner?: Uint8Array
  /** Least proof-of-work difficulty of a registration. */
  minPowBits?: number
}

/**
 * Resolve a WIA name through the relays' HTTP gateways (`GET /_wia/name/<name>`,
 * `docs/http.md`). Every record is decoded and verified here (signature, name,
 * expiry, registration proof; `docs/naming.md`), whatever relay sent it; the
 * first relay whose record is valid, and under the pinned owner when one is
 * pinned, ends the lookup. A relay can withhold a record, never forge one.
 *
 * @throws {NameNotFoundError} when relays answered and none holds a record
 * @throws {OwnerKeyChangedError} when records exist but none under the pinned owner (or transferred from it)
 * @throws {InvalidSignatureError | MalformedRecordError | RecordExpiredError | NameMismatchError}
 * (and the other record errors) when records came but none is valid
 * @throws {GatewaysUnavailableError} when no relay could be reached
 */
export async function resolveNameOverHttp (gateways: Pick<RelayGateways, 'record'>, name: string, options: ResolveNameOverHttpOptions = {}): Promise<ResolvedName> {
  const candidates: Candidate[] = []
  const rejected: Error[] = []
  try {
    return await gateways.record(name, async bytes => {
      try {
        const record = decodeNameRecord(bytes)
        await verifyNameRecord(record, { name, minPowBits: options.minPowBits })
        candidates.push({ record, from: `relay ${candidates.length}` })
      } catch (err) {
        rejected.push(err as Error)
        throw err
      }
      // throws OwnerKeyChangedError while no record is under the pin: the next relay is asked
      return chooseRecord(candidates, options.pinnedOwner, name)
    }, { signal: options.signal })
  } catch (err) {
    options.signal?.throwIfAborted()
    if (candidates.length > 0) {
      return chooseRecord(candidates, options.pinnedOwner, name)
    }
    const [firstRejection] = rejected
    if (firstRejection != null) {
      throw firstRejection
    }
    if ((err as { statuses?: number[] }).statuses?.includes(404) === true) {
      throw new NameNotFoundError(`No site is registered under ${name}`, { cause: err })
    }
    throw err
  }
}
