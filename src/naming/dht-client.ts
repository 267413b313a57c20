import { decodeNameRecord, encodeNameRecord, verifyNameRecord } from './record.js'
import { nameRecordKey } from './dht.js'
import { NameNotFoundError, PutRejectedError } from './errors.js'
import type { NameRecord } from './record.js'
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
export async function putNameRecord (dht: KadDHT, record: NameRecord, options: { signal?: AbortSignal } = {}): Promise<PutNameRecordResult> {
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
    throw new PutRejectedError(`No relay accepted the record for ${record.name}. Check that a relay is reachable and try again.`, {
      cause: errors.length === 1 ? errors[0] : new AggregateError(errors)
    })
  }
  return { accepted: accepted.size }
}

/**
 * Resolve a name through the WIA DHT: the first record that decodes and
 * verifies (signature, name, expiry) in this runtime wins. Every record is
 * verified here, whoever served it: relays are untrusted (DESIGN.md §2).
 *
 * @throws {NameNotFoundError} when no peer holds a record for the name
 * @throws {InvalidSignatureError | MalformedRecordError | RecordExpiredError | NameMismatchError}
 * (and the other record errors) when records were found but none is valid
 * @throws {Error} the signal's reason when `options.signal` aborts
 */
export async function resolveNameRecord (dht: KadDHT, name: string, options: { signal?: AbortSignal } = {}): Promise<NameRecord> {
  const controller = new AbortController()
  const signal = options.signal == null ? controller.signal : AbortSignal.any([options.signal, controller.signal])
  const rejected: Error[] = []
  try {
    for await (const event of dht.get(nameRecordKey(name), { signal })) {
      if (event.name !== 'VALUE') {
        continue
      }
      try {
        const record = decodeNameRecord(event.value)
        await verifyNameRecord(record, { name })
        return record
      } catch (err) {
        rejected.push(err as Error)
      }
    }
  } catch (err) {
    options.signal?.throwIfAborted()
    // kad-dht throws NotFoundError when no peer holds a value
    if ((err as Error).name !== 'NotFoundError') {
      throw err
    }
  } finally {
    controller.abort()
  }
  options.signal?.throwIfAborted()
  const [firstRejection] = rejected
  if (firstRejection != null) {
    // records exist but none is valid: report why, rather than "not registered"
    throw firstRejection
  }
  throw new NameNotFoundError(`No site is registered under ${name}`)
}
