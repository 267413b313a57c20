import { generateKeyPair, generateKeyPairFromSeed, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { fromString } from 'uint8arrays'
import { describe, it, expect, beforeAll } from 'vitest'
import { leadingZeroBits, proofHash, solveProofOfWork } from './pow.js'
import { createNameRecord, decodeNameRecord, encodeNameRecord, signingInput } from './record.js'
import { verifyNameRecord } from './verify.js'
import { createTransfer } from './transfer.js'
import type { ProofOfWork } from './pow.js'
import type { CreateNameRecordInit, NameRecord } from './record.js'
import type { VerifyNameRecordOptions } from './verify.js'
import type { Ed25519PrivateKey, PrivateKey } from '@libp2p/interface'

const NOW = Date.UTC(2026, 0, 1)

/** Proof-of-work difficulty of the test records (fast to solve) */
const BITS = 8

/**
 * A proof from `make` that does not happen to hold for `name` and `key` too:
 * at 8 bits one proof in 256 would, by chance, and the test would be flaky.
 */
async function proofNotFor (name: string, key: PrivateKey, make: () => Promise<ProofOfWork>): Promise<ProofOfWork> {
  for (;;) {
    const proof = await make()
    if (leadingZeroBits(proofHash(name, publicKeyToProtobuf(key.publicKey), proof.nonce)) < BITS) {
      return proof
    }
  }
}

async function proofFor (name: string, key: PrivateKey, bits = BITS): Promise<ProofOfWork> {
  return solveProofOfWork({ name, publicKey: publicKeyToProtobuf(key.publicKey), bits })
}

/** createNameRecord with a test-difficulty proof for the name and key unless one is given */
async function create (init: Omit<CreateNameRecordInit, 'proof'> & { proof?: ProofOfWork }): Promise<NameRecord> {
  return createNameRecord({ ...init, proof: init.proof ?? await proofFor(init.name, init.privateKey) })
}

/** verifyNameRecord at the test difficulty */
async function verify (record: NameRecord, options: VerifyNameRecordOptions = {}): Promise<void> {
  await verifyNameRecord(record, { minPowBits: BITS, ...options })
}

/** The record with its fields as given, signed again by `key` */
async function resign (record: NameRecord, key: PrivateKey): Promise<NameRecord> {
  return { ...record, signature: new Uint8Array(await key.sign(signingInput(record))) }
}

describe('verifyNameRecord: registration proof and transfer', () => {
  let alice: Ed25519PrivateKey
  let mallory: Ed25519PrivateKey
  let bob: Ed25519PrivateKey
  let root: CID
  let record: NameRecord
  /** alice.wia.home after alice transferred it to bob at seq 8 */
  let bobsRecord: NameRecord

  beforeAll(async () => {
    alice = await generateKeyPair('Ed25519')
    mallory = await generateKeyPair('Ed25519')
    bob = await generateKeyPair('Ed25519')
    root = CID.create(1, raw.code, await sha256.digest(fromString('site version 1')))
    record = await create({ name: 'alice.wia.home', root, seq: 7, privateKey: alice, now: NOW })
    const transfer = await createTransfer({ name: 'alice.wia.home', to: publicKeyToProtobuf(bob.publicKey), seq: 8, privateKey: alice })
    bobsRecord = await createNameRecord({ name: 'alice.wia.home', root, seq: 8, privateKey: bob, now: NOW, proof: record.proof, transfer })
  })

  it('requires DEFAULT_POW_BITS (20) unless told otherwise', async () => {
    await expect(verifyNameRecord(record, { now: NOW })).rejects.toMatchObject({ name: 'InsufficientProofOfWorkError' })

    // a fixed key and a nonce found once for it (about a million hashes)
    const fixed = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(7))
    const proof = { nonce: fromString('1ea5b2f4077035c4', 'base16'), bits: 20 }
    const strong = await createNameRecord({ name: 'alice.wia.home', root, seq: 0, privateKey: fixed, now: NOW, proof })
    await expect(verifyNameRecord(strong, { now: NOW })).resolves.toBeUndefined()
    await expect(verifyNameRecord(strong, { now: NOW, minPowBits: 21 })).rejects.toMatchObject({ name: 'InsufficientProofOfWorkError' })
  })

  it('rejects a proof easier than minPowBits', async () => {
    await expect(verify(record, { now: NOW, minPowBits: BITS + 1 })).rejects.toMatchObject({ name: 'InsufficientProofOfWorkError' })
    const free = await create({ name: 'alice.wia.home', root, seq: 7, privateKey: alice, now: NOW, proof: await proofFor('alice.wia.home', alice, 0) })
    await expect(verify(free, { now: NOW })).rejects.toMatchObject({ name: 'InsufficientProofOfWorkError' })
    await expect(verify(free, { now: NOW, minPowBits: 0 })).resolves.toBeUndefined()
  })

  it('rejects a wrong nonce', async () => {
    const nonce = Uint8Array.from(record.proof.nonce)
    do {
      nonce[0] = ((nonce[0] ?? 0) + 1) & 0xff
    } while (leadingZeroBits(proofHash('alice.wia.home', record.publicKey, nonce)) >= BITS)
    const altered = await resign({ ...record, proof: { ...record.proof, nonce } }, alice)
    await expect(verify(altered, { now: NOW })).rejects.toMatchObject({ name: 'InvalidProofOfWorkError' })
  })

  it('rejects a proof that claims more bits than its hash has', async () => {
    const altered = await resign({ ...record, proof: { ...record.proof, bits: 40 } }, alice)
    await expect(verify(altered, { now: NOW })).rejects.toMatchObject({ name: 'InvalidProofOfWorkError' })
  })

  it('rejects a proof made for another name', async () => {
    const altered = await resign({ ...record, proof: await proofNotFor('alice.wia.home', alice, () => proofFor('alice.wia.blog', alice)) }, alice)
    await expect(verify(altered, { now: NOW })).rejects.toMatchObject({ name: 'InvalidProofOfWorkError' })
  })

  it('rejects a proof made for another key', async () => {
    const altered = await resign({ ...record, proof: await proofNotFor('alice.wia.home', alice, () => proofFor('alice.wia.home', mallory)) }, alice)
    await expect(verify(altered, { now: NOW })).rejects.toMatchObject({ name: 'InvalidProofOfWorkError' })
  })

  it('accepts a transferred record carrying the previous owner\'s proof', async () => {
    await expect(verify(bobsRecord, { name: 'alice.wia.home', now: NOW })).resolves.toBeUndefined()
    await expect(verify(decodeNameRecord(encodeNameRecord(bobsRecord)), { now: NOW })).resolves.toBeUndefined()
  })

  it('accepts later records of the new owner carrying the same transfer', async () => {
    const later = await createNameRecord({ name: 'alice.wia.home', root, seq: 12, privateKey: bob, now: NOW, proof: bobsRecord.proof, transfer: bobsRecord.transfer })
    await expect(verify(later, { now: NOW })).resolves.toBeUndefined()
  })

  it('accepts a transferred record carrying a proof for the new owner\'s own key', async () => {
    const own = await create({ name: 'alice.wia.home', root, seq: 9, privateKey: bob, now: NOW, transfer: bobsRecord.transfer })
    await expect(verify(own, { now: NOW })).resolves.toBeUndefined()
  })

  it('rejects a transfer not signed by the key it names as previous owner', async () => {
    const forged = await resign({ ...bobsRecord, transfer: { ...bobsRecord.transfer!, from: publicKeyToProtobuf(mallory.publicKey) } }, bob)
    await expect(verify(forged, { now: NOW })).rejects.toMatchObject({ name: 'InvalidSignatureError' })
  })

  it('rejects a transfer whose seq was changed', async () => {
    const altered = await resign({ ...bobsRecord, transfer: { ...bobsRecord.transfer!, seq: 7 } }, bob)
    await expect(verify(altered, { now: NOW })).rejects.toMatchObject({ name: 'InvalidSignatureError' })
  })

  it('rejects a transfer to another key than the record\'s', async () => {
    const stolen = await createNameRecord({ name: 'alice.wia.home', root, seq: 8, privateKey: bob, now: NOW, proof: record.proof, transfer: bobsRecord.transfer })
    const moved = await resign({ ...stolen, publicKey: publicKeyToProtobuf(mallory.publicKey) }, mallory)
    await expect(verify(moved, { now: NOW })).rejects.toMatchObject({ name: 'InvalidSignatureError' })
  })

  it('rejects a record whose seq is below its transfer\'s', async () => {
    const low = await resign({ ...bobsRecord, seq: 7 }, bob)
    await expect(verify(low, { now: NOW })).rejects.toMatchObject({ name: 'MalformedRecordError' })
  })

  it('rejects a transfer whose previous owner key cannot be read', async () => {
    const broken = await resign({ ...bobsRecord, transfer: { ...bobsRecord.transfer!, from: new Uint8Array([1, 2, 3]) } }, bob)
    await expect(verify(broken, { now: NOW })).rejects.toMatchObject({ name: 'MalformedRecordError' })
  })

  it('rejects a self-made transfer from a throwaway key that did no work for the name', async () => {
    // a key alice's proof does not happen to hold for (at 8 bits one key in 256 would)
    let throwaway = await generateKeyPair('Ed25519')
    while (leadingZeroBits(proofHash('alice.wia.home', publicKeyToProtobuf(throwaway.publicKey), record.proof.nonce)) >= BITS) {
      throwaway = await generateKeyPair('Ed25519')
    }
    const transfer = await createTransfer({ name: 'alice.wia.home', to: publicKeyToProtobuf(mallory.publicKey), seq: 0, privateKey: throwaway })
    // alice's proof, copied: it holds for alice's key only
    const squat = await resign({ ...await create({ name: 'alice.wia.home', root, seq: 0, privateKey: mallory, now: NOW }), proof: record.proof, transfer }, mallory)
    await expect(verify(squat, { now: NOW })).rejects.toMatchObject({ name: 'InvalidProofOfWorkError' })
  })

  it('checks the record signature before the transfer and the proof', async () => {
    const garbage = { ...bobsRecord, transfer: { ...bobsRecord.transfer!, signature: new Uint8Array(64) }, proof: { nonce: new Uint8Array(1), bits: 60 } }
    await expect(verify(garbage, { now: NOW })).rejects.toMatchObject({ name: 'InvalidSignatureError', message: expect.stringContaining('not signed by its owner key') })
    const resigned = await resign(garbage, bob)
    await expect(verify(resigned, { now: NOW })).rejects.toMatchObject({ name: 'InvalidSignatureError', message: expect.stringContaining('transfer') })
    const goodTransfer = await resign({ ...garbage, transfer: bobsRecord.transfer }, bob)
    await expect(verify(goodTransfer, { now: NOW })).rejects.toMatchObject({ name: 'InvalidProofOfWorkError' })
  })
})
