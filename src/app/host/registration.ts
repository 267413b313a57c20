import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { equals } from 'uint8arrays'
import { NameTakenError, decodeNameRecord, resolveNameRecord, solveProofOfWork } from '../../naming/index.js'
import { withTimeout } from '../../signals/index.js'
import { REGISTRATION_LOOKUP_TIMEOUT_MS } from './constants.js'
import type { NameRecord, ProofOfWork, TransferAuthorization, TransferProof } from '../../naming/index.js'
import type { HostedSite } from './store.js'
import type { PrivateKey } from '@libp2p/interface'
import type { KadDHT } from '@libp2p/kad-dht'

/** Where a name stands for this device's owner key. */
export type Registration =
  | { kind: 'free' }
  | { kind: 'ours', record: NameRecord }
  | { kind: 'theirs', record: NameRecord }

/** Ask the DHT who holds a name: nobody, this owner key, or another key. */
export async function checkRegistration (dht: Pick<KadDHT, 'get'>, name: string, owner: PrivateKey, options: { minPowBits: number, signal?: AbortSignal }): Promise<Registration> {
  const signal = withTimeout(options.signal, REGISTRATION_LOOKUP_TIMEOUT_MS)
  let record: NameRecord
  try {
    ({ record } = await resolveNameRecord(dht, name, { signal, minPowBits: options.minPowBits }))
  } catch (err) {
    if ((err as Error).name === 'NameNotFoundError') {
      return { kind: 'free' }
    }
    throw err
  }
  return equals(record.publicKey, publicKeyToProtobuf(owner.publicKey))
    ? { kind: 'ours', record }
    : { kind: 'theirs', record }
}

/** The next sequence number of a name this key holds: above the DHT's record and this device's. */
export function nextOwnSeq (registration: Registration, local?: HostedSite): number {
  return Math.max(registration.kind === 'ours' ? registration.record.seq : -1, local?.seq ?? -1) + 1
}

/** The registration proof and sequence number for the next record of a name. */
export interface NextRecordParams {
  proof: ProofOfWork
  transfer?: TransferProof
  seq: number
}

/**
 * What the next record of a name carries: the proof of work and transfer of
 * the records before it (updates cost nothing); for a name another key holds,
 * the transfer that key signed to this one (and its proof, copied); or a
 * fresh proof of work for a new registration. The sequence number is above
 * every one seen, here or in the DHT.
 *
 * @throws {NameTakenError} when another key holds the name and gave no transfer to this one
 */
export async function nextRecordParams (init: {
  name: string
  owner: PrivateKey
  registration: Registration
  local?: HostedSite
  /** A transfer of this name to this owner, accepted earlier. */
  transfer?: TransferAuthorization
  powBits: number
  signal?: AbortSignal
  onProgress?(progress: { hashes: number, expected: number }): void
}): Promise<NextRecordParams> {
  const ownerKey = publicKeyToProtobuf(init.owner.publicKey)
  const { registration, transfer } = init
  if (registration.kind === 'theirs') {
    if (transfer == null || !equals(transfer.from, registration.record.publicKey) || !equals(transfer.to, ownerKey)) {
      throw new NameTakenError(init.name)
    }
    return { proof: registration.record.proof, transfer, seq: Math.max(transfer.seq, registration.record.seq + 1) }
  }
  const previous = registration.kind === 'ours'
    ? registration.record
    : (init.local == null ? undefined : decodeNameRecord(init.local.record))
  const seq = nextOwnSeq(registration, init.local)
  if (previous != null && equals(previous.publicKey, ownerKey)) {
    return { proof: previous.proof, transfer: previous.transfer, seq }
  }
  const proof = await solveProofOfWork({
    name: init.name,
    publicKey: ownerKey,
    bits: init.powBits,
    signal: init.signal,
    onProgress: init.onProgress
  })
  return { proof, seq }
}
