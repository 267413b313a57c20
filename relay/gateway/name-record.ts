/**
 * `GET|HEAD <prefix>/name/<name>`: a WIA name record, the signed DAG-CBOR
 * bytes exactly as stored in the DHT (docs/naming.md). The relay does not
 * vouch for them: the visitor verifies signature, name, expiry and proof.
 */

import { raceSignal } from 'race-signal'
import { MAX_RECORD_BYTES, NameNotFoundError, parseName } from '../../src/naming/index.js'
import { NAME_NOT_FOUND_MAX_AGE_S, NAME_RECORD_MAX_AGE_S, NAME_RECORD_MEDIA_TYPE } from './constants.js'
import { InvalidParameterError, LookupTimeoutError, OversizedRecordError } from './errors.js'
import { sendError } from './respond.js'
import type { AbortOptions } from '@libp2p/interface'
import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * Where the relay finds a name's record: its registry's stored bytes, else a
 * DHT lookup. Resolves `undefined` (or throws `NameNotFoundError`) when there
 * is none; must stop when `options.signal` aborts.
 */
export type GetNameRecord = (name: string, options: AbortOptions) => Promise<Uint8Array | undefined>

/** What a name record request is answered with. */
export interface NameRecordContext {
  getRecord: GetNameRecord
  /** @see NAME_LOOKUP_TIMEOUT_MS */
  timeoutMs: number
  /** Aborts when the client goes away. */
  clientSignal: AbortSignal
}

/**
 * Answer a name record request: 200 with the record
 * (`application/vnd.wia.name-record`, `Cache-Control: public, max-age=15`),
 * 404 when there is none (`max-age=5`), 400 for an invalid name, 504 when the
 * lookup outlasts `timeoutMs`, 502 for a stored record over
 * `MAX_RECORD_BYTES` (2048 bytes).
 *
 * @throws {InvalidParameterError | InvalidNameError} for a name that is not `<label>.wia.<tld>` (400)
 * @throws {LookupTimeoutError} when the lookup outlasts `timeoutMs` (504)
 * @throws {OversizedRecordError} (502)
 * @throws what `getRecord` throws otherwise (500)
 */
export async function handleNameRecord (req: IncomingMessage, res: ServerResponse, encodedName: string, context: NameRecordContext): Promise<void> {
  let name: string
  try {
    name = decodeURIComponent(encodedName)
  } catch {
    throw new InvalidParameterError(`Name ${JSON.stringify(encodedName)} is not valid URL encoding`, 'name')
  }
  parseName(name)

  const timeout = AbortSignal.timeout(context.timeoutMs)
  const signal = AbortSignal.any([context.clientSignal, timeout])
  let bytes: Uint8Array | undefined
  try {
    // raced: a lookup that ignores its signal still ends in a 504 on time
    bytes = await raceSignal(context.getRecord(name, { signal }), signal)
  } catch (err) {
    context.clientSignal.throwIfAborted()
    if (timeout.aborted) {
      throw new LookupTimeoutError(`Name ${name} was not resolved within ${context.timeoutMs} ms`, context.timeoutMs)
    }
    if ((err as Error).name !== NameNotFoundError.name) {
      throw err
    }
  }
  if (bytes == null) {
    sendError(res, new NameNotFoundError(`No record for ${name}`), `public, max-age=${NAME_NOT_FOUND_MAX_AGE_S}`)
    return
  }
  if (bytes.byteLength > MAX_RECORD_BYTES) {
    throw new OversizedRecordError(bytes.byteLength, MAX_RECORD_BYTES)
  }
  res.writeHead(200, {
    'Content-Type': NAME_RECORD_MEDIA_TYPE,
    'Content-Length': String(bytes.byteLength),
    'Cache-Control': `public, max-age=${NAME_RECORD_MAX_AGE_S}`
  })
  res.end(req.method === 'HEAD' ? undefined : bytes)
}
