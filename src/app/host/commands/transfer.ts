import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { CustomProgressEvent } from 'progress-events'
import { equals } from 'uint8arrays'
import { NameTakenError, createTransfer, decodeTransfer, encodeTransfer, verifyTransfer } from '../../../naming/index.js'
import { InvalidTransferTargetError } from '../errors.js'
import { nextOwnSeq } from '../registration.js'
import { lookUpName } from './utils/record.js'
import type { HostComponents } from '../components.js'
import type { AbortOptions } from '@libp2p/interface'
import type { ProgressEvent, ProgressOptions } from 'progress-events'

export interface TransferNameInit {
  /** Full site name, e.g. `alice.wia.home`. */
  name: string
  /** The new owner's key ID (an Ed25519 PeerId, `12D3KooW…`, as their app shows it). */
  to: string
}

export type TransferNameProgressEvents =
  | ProgressEvent<'transfer:check', { name: string }>
  | ProgressEvent<'transfer:sign', { name: string, seq: number }>

export interface TransferNameOptions extends AbortOptions, ProgressOptions<TransferNameProgressEvents> {}

/**
 * Sign the transfer of a name this key owns to another key. Returns the
 * token to give to the new owner; the name moves once they publish with it.
 *
 * @throws {InvalidTransferTargetError} for a key ID that is not an Ed25519 PeerId
 * @throws {NameTakenError} when the name is not this key's
 */
export async function transferName (components: HostComponents, init: TransferNameInit, options: TransferNameOptions = {}): Promise<string> {
  const { name } = init
  const to = ownerKeyFromId(init.to)
  options.onProgress?.(new CustomProgressEvent('transfer:check', { name }))
  const registration = await lookUpName(components, name, options)
  const local = await components.store.getSite(name)
  if (registration.kind === 'theirs' || (registration.kind === 'free' && local == null)) {
    throw new NameTakenError(name)
  }
  const seq = nextOwnSeq(registration, local)
  options.onProgress?.(new CustomProgressEvent('transfer:sign', { name, seq }))
  return encodeTransfer(await createTransfer({ name, to, seq, privateKey: components.keys.owner }))
}

export interface AcceptTransferInit {
  /** The token the old owner sent (see {@link transferName}). */
  token: string
}

/** Accepting checks a signature and stores the token: there is no progress to report. */
export type AcceptTransferOptions = AbortOptions

/**
 * Keep a transfer token given to this device; the next publish under its
 * name uses it (no proof of work: the old owner's proof is carried over).
 * Returns the name.
 *
 * @throws {MalformedRecordError | InvalidSignatureError} for a damaged or forged token
 * @throws {InvalidTransferTargetError} when the token names another key
 */
export async function acceptTransfer (components: Pick<HostComponents, 'keys' | 'store'>, init: AcceptTransferInit, options: AcceptTransferOptions = {}): Promise<string> {
  const transfer = decodeTransfer(init.token.trim())
  await verifyTransfer(transfer)
  if (!equals(transfer.to, publicKeyToProtobuf(components.keys.owner.publicKey))) {
    throw new InvalidTransferTargetError('other-key', transfer.name)
  }
  options.signal?.throwIfAborted()
  await components.store.putTransfer(transfer.name, encodeTransfer(transfer))
  return transfer.name
}

/** The owner public key (protobuf) of a key ID. */
function ownerKeyFromId (keyId: string): Uint8Array {
  try {
    const publicKey = peerIdFromString(keyId.trim()).publicKey
    if (publicKey?.type !== 'Ed25519') {
      throw new Error('not an Ed25519 key')
    }
    return publicKeyToProtobuf(publicKey)
  } catch (err) {
    throw new InvalidTransferTargetError('not-a-key-id', keyId, { cause: err })
  }
}
