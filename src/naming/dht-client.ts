import { equals } from 'uint8arrays'
import { chooseRecord } from './choose.js'
import { encodeNameRecord } from './record.js'
import { decodeVerifiedNameRecord } from './verify.js'
import { nameRecordKey } from './dht.js'
import { PutRejectedError } from './errors.js'
import type { Candidate } from './choose.js'
import type { NameRecord } from './record.js'
import type { PeerId } from '@libp2p/interface'
import type { KadDHT } from '@libp2p/kad-dht'

export interface PutNameRecordResult {
  /** How many DHT servers stored the record. */
  accepted: number
}

/**
 * Store a signed name record in the WIA DHT under `/wia/<name>` and check
 * that it was accepted.
 *
 * kad-dht's `put` does not throw when every server refuses the record: the
 * refusals only show as `QUERY_ERROR` events (DESIGN.md §4). A server counts as
 * having accepted when it answered the `PUT_VALUE` with the same value and no
 * error from it followed.
 *
 * @throws {PutRejectedError} when no server accepted the record (the errors are the `cause`)
 */
export async function putNameRecord (dht: Pick<KadDHT, 'put'>, record: NameRecord, options: { signal?: AbortSignal } = {}): Promise<PutNameRecordResult> {
  const accepted = new Set<string>()
  const errors: Error[] = []
  for await (const event of dht.put(nameRecordKey(record.name), encodeNameRecord(record), options)) {
    if (event.name === 'PEER_RESPONSE' && event.messageName === 'PUT_VALUE') {
      accepted.add(event.from.toString())
    } else if (event.name === 'QUERY_ERROR') {
      errors.push(event.error)
      accepted.delete(event.from.toString())
    }
  }
  if (accepted.size === 0) {
    throw new PutRejectedError(record.name, {
      cause: errors.length === 1 ? errors[0] : new AggregateError(errors)
    })
  }
  return { accepted: accepted.size }
}

export interface ResolveNameOptions {
  signal?: AbortSignal
  /** Least proof-of-work difficulty a record must carry (the relays' setting). */
  minPowBits?: number
  /**
   * The owner key this visitor saw for the name before (trust on first use).
   * A record under it is taken as soon as it arrives; records under another
   * key are refused unless that key's record carries a transfer from it.
   */
  pinnedOwner?: Uint8Array
  /**
   * This node's own PeerId: values it answers from its own datastore (kad-dht
   * keeps records it corrected there) are skipped, so a stale local copy is
   * never taken for the network's answer. Callers cache results themselves.
   */
  self?: PeerId
}

export interface ResolvedName {
  record: NameRecord
  /** How the record relates to the pin: see `chooseRecord`. */
  pinned: 'match' | 'new' | 'transferred'
}

/**
 * Resolve a name through the WIA DHT. Every record is decoded and verified
 * here (signature, name, expiry, registration proof), whoever served it:
 * relays are untrusted (DESIGN.md §2).
 *
 * Fast where signatures make it safe: with a pinned owner, the first valid
 * record under that key ends the query. Without a pin (first visit), the query
 * runs to its end and `chooseRecord` settles conflicting registrations.
 *
 * @throws {NameNotFoundError} when no peer holds a record for the name
 * @throws {OwnerKeyChangedError} when records exist but none under the pinned owner (or transferred from it)
 * @throws {InvalidSignatureError | MalformedRecordError | RecordExpiredError | NameMismatchError}
 * (and the other record errors) when records were found but none is valid
 * @throws {Error} the signal's reason when `options.signal` aborts
 */
export async function resolveNameRecord (dht: Pick<KadDHT, 'get'>, name: string, options: ResolveNameOptions = {}): Promise<ResolvedName> {
  const controller = new AbortController()
  const signal = options.signal == null ? controller.signal : AbortSignal.any([options.signal, controller.signal])
  const candidates: Candidate[] = []
  const rejected: Error[] = []
  /** Peers whose answer was looked at (one record per peer). */
  const seen = new Set<string>()
  const pin = options.pinnedOwner
  try {
    for await (const event of dht.get(nameRecordKey(name), { signal })) {
      // each peer's record arrives with its PEER_RESPONSE, as soon as it answers;
      // kad-dht's own VALUE events come only after the whole query (and repeat them)
      const answer = event.name === 'PEER_RESPONSE'
        ? { value: event.record?.value, from: event.from }
        : event.name === 'VALUE' ? { value: event.value, from: event.from } : undefined
      const from = answer?.from.toString()
      if (answer?.value == null || from == null || (options.self != null && answer.from.equals(options.self)) || seen.has(from)) {
        continue
      }
      seen.add(from)
      try {
        const record = await decodeVerifiedNameRecord(answer.value, { name, minPowBits: options.minPowBits })
        candidates.push({ record, from })
        if (pin != null && equals(record.publicKey, pin)) {
          // abort the rest of the query first: leaving the loop waits for the
          // query's cleanup, which would otherwise wait for every other peer
          controller.abort()
          break
        }
      } catch (err) {
        rejected.push(err as Error)
      }
    }
  } catch (err) {
    options.signal?.throwIfAborted()
    // kad-dht throws NotFoundError when no peer holds a value; our own abort
    // after the pinned record arrived is not a failure
    if ((err as Error).name !== 'NotFoundError' && !controller.signal.aborted) {
      throw err
    }
  } finally {
    controller.abort()
  }
  options.signal?.throwIfAborted()
  const [firstRejection] = rejected
  if (candidates.length === 0 && firstRejection != null) {
    // records exist but none is valid: report why, rather than "not registered"
    throw firstRejection
  }
  return chooseRecord(candidates, pin, name)
}
