import { randomBytes, randomInt } from 'node:crypto'
import * as dagCbor from '@ipld/dag-cbor'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { MessageType } from '@libp2p/kad-dht'
import { MAX_RECORD_BYTES, createNameRecord, decodeNameRecord, encodeNameRecord, signingInput, solveProofOfWork } from '../../src/naming/index.js'
import { encodeKadMessage, recordEnvelope, wiaKey } from './kad-wire.js'
import { randomRawCid } from '../../test/fixtures/blocks.js'
import type { NameRecord } from '../../src/naming/index.js'
import type { PrivateKey } from '@libp2p/interface'

/** The kinds of hostile `PUT_VALUE` the DHT attack sends, each a row of the report. */
export const HOSTILE_KINDS = ['fuzzed', 'forged', 'replayed', 'oversize', 'wrong-key'] as const
export type HostileKind = typeof HOSTILE_KINDS[number]

/** A name a legitimate host registered: its current record and an older one (both as the relay stores them). */
export interface LegitName {
  name: string
  /** The current record (highest `seq`). */
  current: Uint8Array
  /** An earlier record of the same owner (lower `seq`): replaying it must not roll the name back. */
  previous: Uint8Array
}

/** Sizes of oversize record values (bytes): just over the limit, then up to near kad-dht's 4 MiB message bound and over it. */
export const OVERSIZE_BYTES = [MAX_RECORD_BYTES + 1, 64 * 1024, 1024 * 1024, 4 * 1024 * 1024 - 1024, 6 * 1024 * 1024]

/** A `PUT_VALUE` carrying `value` under `/wia/<name>`. */
function put (name: string, value: Uint8Array): Uint8Array {
  const key = wiaKey(name)
  return encodeKadMessage({ type: MessageType.PUT_VALUE, key, record: recordEnvelope(key, value) })
}


/**
 * Byte-level mutants of a valid record, at three layers: the name record
 * (bytes flipped, cut short, junk appended), the kad-dht `Record` envelope
 * (random bytes where the envelope belongs) and the whole message (random
 * bytes).
 */
function fuzzed (legit: LegitName, i: number): Uint8Array {
  const bytes = Uint8Array.from(legit.current)
  switch (i % 5) {
    case 0: {
      for (let n = randomInt(1, 5); n > 0; n--) {
        const at = randomInt(bytes.length)
        bytes[at] = bytes[at]! ^ (1 << randomInt(8))
      }
      return put(legit.name, bytes)
    }
    case 1: return put(legit.name, bytes.subarray(0, randomInt(bytes.length)))
    case 2: return put(legit.name, Uint8Array.from([...bytes, ...randomBytes(randomInt(1, 64))]))
    case 3: return encodeKadMessage({ type: MessageType.PUT_VALUE, key: wiaKey(legit.name), record: randomBytes(randomInt(1, 512)) })
    default: return randomBytes(randomInt(1, 1024))
  }
}

/** `record` signed by `privateKey`, whatever key the record names. */
async function signedBy (privateKey: PrivateKey, record: NameRecord): Promise<Uint8Array> {
  return encodeNameRecord({ ...record, signature: await privateKey.sign(signingInput(record)) })
}

/**
 * Records that claim the owner's key and proof of work for a root and `seq`
 * of the attacker's choosing: signed by the attacker's key (so the owner's
 * signature does not verify), or the owner's signature kept over changed
 * fields.
 */
async function forged (legit: LegitName, i: number): Promise<Uint8Array> {
  const owner = decodeNameRecord(legit.current)
  const seq = owner.seq + 1 + i
  const changed = { ...owner, root: await randomRawCid(), seq }
  if (i % 2 === 0) {
    return put(legit.name, await signedBy(await generateKeyPair('Ed25519'), changed))
  }
  return put(legit.name, encodeNameRecord(changed))
}

/** The owner's own earlier record, valid and signed, sent again: it must not roll the name back. */
function replayed (legit: LegitName): Uint8Array {
  return put(legit.name, legit.previous)
}

/** The current record padded with an extra field to each size in {@link OVERSIZE_BYTES}. */
function oversize (legit: LegitName, i: number): Uint8Array {
  const size = OVERSIZE_BYTES[i % OVERSIZE_BYTES.length]!
  const wire = dagCbor.decode<Record<string, unknown>>(legit.current)
  return put(legit.name, dagCbor.encode({ ...wire, pad: new Uint8Array(Math.max(0, size - legit.current.byteLength)) }))
}

/**
 * Valid, signed records with a valid proof of work, but under another key
 * than the owner's (the first-come rule must refuse them), with a forged
 * transfer from the owner, or carrying another name than the key they are
 * put under.
 */
async function wrongKey (legit: LegitName, others: LegitName[], powBits: number, i: number): Promise<Uint8Array> {
  const owner = decodeNameRecord(legit.current)
  const privateKey = await generateKeyPair('Ed25519')
  const seq = owner.seq + 1 + i
  switch (i % 3) {
    case 0: {
      const proof = await solveProofOfWork({ name: owner.name, publicKey: publicKeyToProtobuf(privateKey.publicKey), bits: powBits })
      return put(legit.name, encodeNameRecord(await createNameRecord({ name: owner.name, root: await randomRawCid(), seq, proof, privateKey })))
    }
    case 1: {
      const transfer = { from: owner.publicKey, seq, signature: randomBytes(64) }
      const record: NameRecord = { ...owner, publicKey: publicKeyToProtobuf(privateKey.publicKey), root: await randomRawCid(), seq, transfer }
      return put(legit.name, await signedBy(privateKey, record))
    }
    default: {
      const other = others[i % others.length] ?? legit
      return put(other === legit ? `x${legit.name}` : other.name, legit.current)
    }
  }
}

/**
 * `count` hostile `PUT_VALUE` messages of `kind` against the names of
 * `legit`, round robin over the names.
 */
export async function hostilePuts (kind: HostileKind, legit: LegitName[], count: number, powBits: number): Promise<Uint8Array[]> {
  const messages: Uint8Array[] = []
  for (let i = 0; i < count; i++) {
    const target = legit[i % legit.length]!
    const round = Math.floor(i / legit.length)
    switch (kind) {
      case 'fuzzed': messages.push(fuzzed(target, round)); break
      case 'forged': messages.push(await forged(target, round)); break
      case 'replayed': messages.push(replayed(target)); break
      case 'oversize': messages.push(oversize(target, round)); break
      case 'wrong-key': messages.push(await wrongKey(target, legit.filter(l => l !== target), powBits, round)); break
    }
  }
  return messages
}
