import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { fromString } from 'uint8arrays'
import { describe, it, expect, beforeAll } from 'vitest'
import { leadingZeroBits, proofHash, solveProofOfWork } from './pow.js'
import { createNameRecord, encodeNameRecord, signingInput } from './record.js'
import { EXPIRY_GRACE_MS, checkReplacement, registrationOf } from './rules.js'
import { createTransfer } from './transfer.js'
import type { ProofOfWork } from './pow.js'
import type { NameRecord } from './record.js'
import type { StoredRegistration } from './rules.js'
import type { Ed25519PrivateKey, PrivateKey } from '@libp2p/interface'

const NAME = 'alice.wia.home'
const NOW = Date.UTC(2026, 0, 1)
const DAY_MS = 24 * 60 * 60_000
const BITS = 8
const OPTIONS = { now: NOW, minPowBits: BITS }

describe('checkReplacement', () => {
  let alice: Ed25519PrivateKey
  let bob: Ed25519PrivateKey
  let mallory: Ed25519PrivateKey
  let root: CID
  let aliceProof: ProofOfWork
  let malloryProof: ProofOfWork
  /** alice's record at seq 5, as a relay stored it */
  let stored: StoredRegistration
  let storedRecord: NameRecord

  async function proofFor (key: PrivateKey, bits = BITS): Promise<ProofOfWork> {
    return solveProofOfWork({ name: NAME, publicKey: publicKeyToProtobuf(key.publicKey), bits })
  }

  async function recordOf (key: PrivateKey, seq: number, extra: Partial<Parameters<typeof createNameRecord>[0]> = {}): Promise<NameRecord> {
    return createNameRecord({ name: NAME, root, seq, privateKey: key, now: NOW, proof: key === alice ? aliceProof : malloryProof, ...extra })
  }

  async function transferTo (to: PrivateKey, seq: number, from: PrivateKey = alice): Promise<Awaited<ReturnType<typeof createTransfer>>> {
    return createTransfer({ name: NAME, to: publicKeyToProtobuf(to.publicKey), seq, privateKey: from })
  }

  beforeAll(async () => {
    alice = await generateKeyPair('Ed25519')
    bob = await generateKeyPair('Ed25519')
    mallory = await generateKeyPair('Ed25519')
    root = CID.create(1, raw.code, await sha256.digest(fromString('site')))
    // a proof holds for another key by chance with p = 2^-BITS: take one that does not
    do {
      aliceProof = await proofFor(alice)
    } while (leadingZeroBits(proofHash(NAME, publicKeyToProtobuf(mallory.publicKey), aliceProof.nonce)) >= BITS)
    malloryProof = await proofFor(mallory)
    storedRecord = await recordOf(alice, 5)
    stored = registrationOf(storedRecord, encodeNameRecord(storedRecord))
  })

  describe('a free name', () => {
    it('takes a new registration with enough work', async () => {
      expect(checkReplacement(undefined, await recordOf(alice, 0), OPTIONS)).toBe('new')
    })

    it('refuses a registration with too little work', async () => {
      const weak = await recordOf(alice, 0)
      expect(() => checkReplacement(undefined, weak, { ...OPTIONS, minPowBits: BITS + 1 })).toThrow(expect.objectContaining({ name: 'InsufficientProofOfWorkError' }))
    })

    it('refuses a proof for another key', async () => {
      // not a verified record: checkReplacement checks the proof itself for a new name
      const borrowed = { ...await recordOf(mallory, 0), proof: aliceProof }
      expect(() => checkReplacement(undefined, borrowed, OPTIONS)).toThrow(expect.objectContaining({ name: 'InvalidProofOfWorkError' }))
    })

    it('takes a transferred record carrying the previous owner\'s proof on a relay that never saw the name', async () => {
      const bobs = await createNameRecord({ name: NAME, root, seq: 6, privateKey: bob, now: NOW, proof: aliceProof, transfer: await transferTo(bob, 6) })
      expect(checkReplacement(undefined, bobs, OPTIONS)).toBe('new')
    })

    it('refuses a self-made transfer from a throwaway key that did no work (xfer alone is not enough)', async () => {
      // alice's proof holds for a random key with p = 2^-BITS: take a key it does not hold for
      let throwaway = await generateKeyPair('Ed25519')
      while (leadingZeroBits(proofHash(NAME, publicKeyToProtobuf(throwaway.publicKey), aliceProof.nonce)) >= BITS) {
        throwaway = await generateKeyPair('Ed25519')
      }
      const transfer = await transferTo(mallory, 0, throwaway)
      const squat = await recordOf(mallory, 0, { transfer })
      const copied = { ...squat, proof: aliceProof, signature: await mallory.sign(signingInput({ ...squat, proof: aliceProof })) }
      expect(() => checkReplacement(undefined, copied, OPTIONS)).toThrow(expect.objectContaining({ name: 'InvalidProofOfWorkError' }))
    })
  })

  describe('the owner', () => {
    it('updates with a higher seq', async () => {
      expect(checkReplacement(stored, await recordOf(alice, 6), OPTIONS)).toBe('update')
    })

    it('re-puts the same record idempotently', () => {
      expect(checkReplacement(stored, storedRecord, { ...OPTIONS, incomingBytes: encodeNameRecord(storedRecord) })).toBe('same')
      expect(checkReplacement(stored, storedRecord, OPTIONS)).toBe('same')
      expect(checkReplacement({ ...stored, bytes: undefined }, storedRecord, { ...OPTIONS, incomingBytes: encodeNameRecord(storedRecord) })).toBe('same')
    })

    it('refuses another record with the same seq', async () => {
      const other = await recordOf(alice, 5, { validityMs: DAY_MS })
      expect(() => checkReplacement(stored, other, { ...OPTIONS, incomingBytes: encodeNameRecord(other) })).toThrow(expect.objectContaining({ name: 'StaleRecordError' }))
    })

    it('refuses a replayed older record', async () => {
      const old = await recordOf(alice, 4)
      expect(() => checkReplacement(stored, old, OPTIONS)).toThrow(expect.objectContaining({
        name: 'StaleRecordError',
        message: expect.stringContaining(`${NAME} already has sequence number`)
      }))
    })
  })

  describe('another key', () => {
    it('is refused: the name is taken', async () => {
      const squat = await recordOf(mallory, 100)
      let error: unknown
      try {
        checkReplacement(stored, squat, OPTIONS)
      } catch (err) {
        error = err
      }
      expect(error).toMatchObject({ name: 'NameTakenError', siteName: NAME, message: 'alice.wia.home is already registered' })
    })

    it('takes a transfer from the owner with a seq above the stored one', async () => {
      const bobs = await createNameRecord({ name: NAME, root, seq: 6, privateKey: bob, now: NOW, proof: aliceProof, transfer: await transferTo(bob, 6) })
      expect(checkReplacement(stored, bobs, OPTIONS)).toBe('transfer')
      const later = await createNameRecord({ name: NAME, root, seq: 9, privateKey: bob, now: NOW, proof: aliceProof, transfer: await transferTo(bob, 6) })
      expect(checkReplacement(stored, later, OPTIONS)).toBe('transfer')
    })

    it('refuses a transfer signed by someone other than the owner', async () => {
      const fromMallory = await createNameRecord({ name: NAME, root, seq: 6, privateKey: bob, now: NOW, proof: malloryProof, transfer: await transferTo(bob, 6, mallory) })
      expect(() => checkReplacement(stored, fromMallory, OPTIONS)).toThrow(expect.objectContaining({ name: 'NameTakenError' }))
    })

    it('refuses a transfer whose seq is not above the stored one (the owner published since)', async () => {
      for (const seq of [4, 5]) {
        const stale = await createNameRecord({ name: NAME, root, seq: 6, privateKey: bob, now: NOW, proof: aliceProof, transfer: await transferTo(bob, seq) })
        expect(() => checkReplacement(stored, stale, OPTIONS)).toThrow(expect.objectContaining({ name: 'StaleRecordError', message: expect.stringContaining('transfer of alice.wia.home was signed for sequence number') }))
      }
      const equal = await createNameRecord({ name: NAME, root, seq: 5, privateKey: bob, now: NOW, proof: aliceProof, transfer: await transferTo(bob, 5) })
      expect(() => checkReplacement(stored, equal, OPTIONS)).toThrow(expect.objectContaining({ name: 'StaleRecordError' }))
    })
  })

  describe('expiry and the grace period', () => {
    const expired = (): StoredRegistration => ({ ...stored, expires: NOW - DAY_MS })

    it('lets the owner renew within the grace period', async () => {
      expect(checkReplacement(expired(), await recordOf(alice, 6), OPTIONS)).toBe('update')
    })

    it('keeps the name from another key within the grace period', async () => {
      const squat = await recordOf(mallory, 0)
      expect(() => checkReplacement(expired(), squat, OPTIONS)).toThrow(expect.objectContaining({ name: 'NameTakenError' }))
      const last = { ...stored, expires: NOW - EXPIRY_GRACE_MS + 1 }
      expect(() => checkReplacement(last, squat, OPTIONS)).toThrow(expect.objectContaining({ name: 'NameTakenError' }))
    })

    it('frees the name once the grace period is over: another key registers it anew', async () => {
      const over = { ...stored, expires: NOW - EXPIRY_GRACE_MS }
      expect(EXPIRY_GRACE_MS).toBe(7 * DAY_MS)
      expect(checkReplacement(over, await recordOf(mallory, 0), OPTIONS)).toBe('new')
      expect(checkReplacement(over, await recordOf(alice, 0), OPTIONS)).toBe('new')
    })

    it('still asks the new registrant for enough work', async () => {
      const over = { ...stored, expires: NOW - EXPIRY_GRACE_MS }
      const squat = await recordOf(mallory, 0)
      expect(() => checkReplacement(over, squat, { ...OPTIONS, minPowBits: 30 })).toThrow(expect.objectContaining({ name: 'InsufficientProofOfWorkError' }))
    })
  })

  describe('registrationOf', () => {
    it('keeps owner, seq and expiry, and the bytes only when given', () => {
      const registration = registrationOf(storedRecord)
      expect(registration).toEqual({ owner: storedRecord.publicKey, seq: 5, expires: storedRecord.expires })
      expect(Object.hasOwn(registration, 'bytes')).toBe(false)
      expect(registrationOf(storedRecord, new Uint8Array([1])).bytes).toEqual(new Uint8Array([1]))
    })
  })
})
