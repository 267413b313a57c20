import { CustomProgressEvent } from 'progress-events'
import { createNameRecord, decodeTransfer, putNameRecord } from '../../../../naming/index.js'
import { waitForDHTPeer, waitForReservation } from '../../../../node/index.js'
import { withTimeout } from '../../../../signals/index.js'
import { ANNOUNCE_TIMEOUT_MS, RESERVATION_TIMEOUT_MS } from '../../constants.js'
import { checkRegistration, nextRecordParams } from '../../registration.js'
import type { NameRecord, ProofOfWorkProgress } from '../../../../naming/index.js'
import type { HostComponents } from '../../components.js'
import type { Registration } from '../../registration.js'
import type { HostedSite } from '../../store.js'
import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { ProgressEvent, ProgressOptions } from 'progress-events'

/**
 * The steps every command that points a name at a root goes through, after
 * its own: the registration's proof of work (a new name only), signing, the
 * announcement of the root and the record's put.
 */
export type RecordProgressEvents =
  | ProgressEvent<'record:register', ProofOfWorkProgress>
  | ProgressEvent<'record:sign', { name: string, seq: number }>
  | ProgressEvent<'record:announce', { root: CID }>
  | ProgressEvent<'record:put', { record: NameRecord }>

export interface RecordOptions extends AbortOptions, ProgressOptions<RecordProgressEvents> {}

/**
 * Wake the node, wait for a DHT server and ask it who holds `name`: nobody,
 * this device's owner key, or another key.
 */
export async function lookUpName (components: HostComponents, name: string, options: AbortOptions = {}): Promise<Registration> {
  await components.waker.awake()
  await waitForDHTPeer(components.dht, { signal: options.signal })
  return checkRegistration(components.dht, name, components.keys.owner, { minPowBits: components.config.powBits, signal: options.signal })
}

export interface SignNextRecordInit {
  name: string
  root: CID
  /** Where the name stands in the DHT (see {@link lookUpName}). */
  registration: Registration
  /** This device's stored site of the name, if any. */
  local?: HostedSite
}

/**
 * Sign the name's next record, pointing at `root`: the sequence number above
 * every one seen (here and in the DHT), the earlier records' proof of work
 * (or a transfer accepted on this device, or a fresh proof for a new name).
 *
 * @throws {NameTakenError} when another key holds the name and gave no transfer to this one
 */
export async function signNextRecord (components: HostComponents, init: SignNextRecordInit, options: RecordOptions = {}): Promise<NameRecord> {
  const { name, root } = init
  const token = await components.store.getTransfer(name)
  const params = await nextRecordParams({
    name,
    owner: components.keys.owner,
    registration: init.registration,
    local: init.local,
    transfer: token == null ? undefined : decodeTransfer(token),
    powBits: components.config.powBits,
    signal: options.signal,
    onProgress: progress => options.onProgress?.(new CustomProgressEvent('record:register', progress))
  })
  options.onProgress?.(new CustomProgressEvent('record:sign', { name, seq: params.seq }))
  return createNameRecord({ name, root, privateKey: components.keys.owner, now: components.clock.now(), ...params })
}

/**
 * Make `record` live: once a relay holds a reservation for this node, announce
 * it as provider of the record's root, then put the record. In that order, so
 * no visitor looks for providers of a root nobody has announced yet.
 *
 * @throws {NoReservationError} when no relay gave this node a reservation
 * @throws {PutRejectedError} when no relay stored the record
 */
export async function announceRecord (components: HostComponents, record: NameRecord, options: RecordOptions = {}): Promise<void> {
  options.onProgress?.(new CustomProgressEvent('record:announce', { root: record.root }))
  await waitForReservation(components.libp2p, { signal: options.signal, timeoutMs: RESERVATION_TIMEOUT_MS })
  await provideRoot(components, record.root, options)
  options.onProgress?.(new CustomProgressEvent('record:put', { record }))
  await putNameRecord(components.dht, record, { signal: options.signal })
}

/** Announce this device as provider of `root`, within {@link ANNOUNCE_TIMEOUT_MS}. */
export async function provideRoot (components: Pick<HostComponents, 'routing'>, root: CID, options: AbortOptions = {}): Promise<void> {
  await components.routing.provide(root, { signal: withTimeout(options.signal, ANNOUNCE_TIMEOUT_MS) })
}
