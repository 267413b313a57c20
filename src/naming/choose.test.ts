import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { compare, fromString } from 'uint8arrays'
import { describe, it, expect, beforeAll } from 'vitest'
import { chooseRecord } from './choose.js'
import { leadingZeroBits, registrationProofHash, solveProofOfWork } from './pow.js'
import { createNameRecord } from './record.js'
import { createTransfer } from './transfer.js'
import type { Candidate } from './choose.js'
import type { ProofOfWork } from './pow.js'
import type { NameRecord } from './record.js'
import type { Ed25519PrivateKey, PrivateKey } from '@libp2p/interface'

const NAME = 'alice.wia.home'
const NOW = Date.UTC(2026, 0, 1)
const BITS = 8

describe('chooseRecord', () => {
  let alice: Ed25519PrivateKey
  let bob: Ed25519PrivateKey
  let carol: Ed25519PrivateKey
  let mallory: Ed25519PrivateKey
  let root: CID
  const proofs = new Map<PrivateKey, ProofOfWork>()

  const keyOf = (k: PrivateKey): Uint8Array => publicKeyToProtobuf(k.publicKey)

  async function recordOf (key: PrivateKey, seq: number, init: { transferFrom?: PrivateKey, transferSeq?: number, previousProof?: ProofOfWork, now?: number } = {}): Promise<NameRecord> {
    const transfer = init.transferFrom == null
      ? undefined
      : await createTransfer({ name: NAME, to: keyOf(key), seq: init.transferSeq ?? seq, privateKey: init.transferFrom })
    const proof = init.previousProof ?? proofs.get(key)
    if (proof == null) {
      throw new Error('no proof for this key')
    }
    return createNameRecord({ name: NAME, root, seq, privateKey: key, now: init.now ?? NOW, proof, transfer })
  }

  const from = (record: NameRecord, ...peers: string[]): Candidate[] => peers.map(peer => ({ record, from: peer }))

  beforeAll(async () => {
    alice = await generateKeyPair('Ed25519')
    bob = await generateKeyPair('Ed25519')
    carol = await generateKeyPair('Ed25519')
    mallory = await generateKeyPair('Ed25519')
    root = CID.create(1, raw.code, await sha256.digest(fromString('site')))
    for (const key of [alice, bob, carol, mallory]) {
      proofs.set(key, await solveProofOfWork({ name: NAME, publicKey: keyOf(key), bits: BITS }))
    }
  })

  it('throws NameNotFoundError without candidates', () => {
    expect(() => chooseRecord([], undefined, NAME)).toThrow(expect.objectContaining({ name: 'NameNotFoundError', message: `No site is registered under ${NAME}` }))
    expect(() => chooseRecord([], keyOf(alice), NAME)).toThrow(expect.objectContaining({ name: 'NameNotFoundError' }))
  })

  describe('with a pinned owner', () => {
    it('takes the pinned owner\'s newest record, whatever the majority', async () => {
      const five = await recordOf(alice, 5)
      const six = await recordOf(alice, 6)
      const squat = await recordOf(mallory, 100)
      const chosen = chooseRecord([...from(squat, 'p1', 'p2', 'p3'), ...from(five, 'p4'), ...from(six, 'p5')], keyOf(alice), NAME)
      expect(chosen).toEqual({ record: six, pinned: 'match' })
    })

    it('breaks a seq tie by the later expiry', async () => {
      const early = await recordOf(alice, 6)
      const late = await recordOf(alice, 6, { now: NOW + 1000 })
      expect(chooseRecord([...from(early, 'p1'), ...from(late, 'p2')], keyOf(alice), NAME).record).toBe(late)
      expect(chooseRecord([...from(late, 'p1'), ...from(early, 'p2')], keyOf(alice), NAME).record).toBe(late)
    })

    it('follows a transfer from the pinned key', async () => {
      const old = await recordOf(alice, 5)
      const bobs = await recordOf(bob, 6, { transferFrom: alice, previousProof: proofs.get(alice) })
      expect(chooseRecord([...from(old, 'p1', 'p2'), ...from(bobs, 'p3')], keyOf(alice), NAME)).toEqual({ record: bobs, pinned: 'transferred' })
    })

    it('follows a chain of transfers from the pinned key', async () => {
      const bobs = await recordOf(bob, 6, { transferFrom: alice, previousProof: proofs.get(alice) })
      const carols = await recordOf(carol, 8, { transferFrom: bob })
      expect(chooseRecord([...from(carols, 'p1'), ...from(bobs, 'p2')], keyOf(alice), NAME)).toEqual({ record: carols, pinned: 'transferred' })
      expect(chooseRecord(from(carols, 'p1'), keyOf(bob), NAME)).toEqual({ record: carols, pinned: 'transferred' })
    })

    it('keeps the pinned owner when its record is newer than the transfer (a cancelled transfer)', async () => {
      const bobs = await recordOf(bob, 6, { transferFrom: alice, previousProof: proofs.get(alice) })
      const newer = await recordOf(alice, 7)
      expect(chooseRecord([...from(bobs, 'p1'), ...from(newer, 'p2')], keyOf(alice), NAME)).toEqual({ record: newer, pinned: 'match' })
    })

    it('refuses records under another key: OwnerKeyChangedError', async () => {
      const squat = await recordOf(mallory, 100)
      let error: unknown
      try {
        chooseRecord(from(squat, 'p1', 'p2', 'p3'), keyOf(alice), NAME)
      } catch (err) {
        error = err
      }
      expect(error).toMatchObject({
        name: 'OwnerKeyChangedError',
        siteName: NAME,
        message: expect.stringContaining(`owner key of ${NAME} changed`)
      })
    })

    it('does not follow a transfer that starts from another key', async () => {
      const bobsFromMallory = await recordOf(bob, 6, { transferFrom: mallory, previousProof: proofs.get(mallory) })
      expect(() => chooseRecord(from(bobsFromMallory, 'p1'), keyOf(alice), NAME)).toThrow(expect.objectContaining({ name: 'OwnerKeyChangedError' }))
    })
  })

  describe('on a first visit', () => {
    it('takes the owner most responding peers hold', async () => {
      const alices = await recordOf(alice, 1)
      const squat = await recordOf(mallory, 100)
      expect(chooseRecord([...from(squat, 'p1'), ...from(alices, 'p2', 'p3')], undefined, NAME)).toEqual({ record: alices, pinned: 'new' })
      expect(chooseRecord([...from(squat, 'p1', 'p2', 'p3'), ...from(alices, 'p4')], undefined, NAME)).toEqual({ record: squat, pinned: 'new' })
    })

    it('counts a peer once, however many records it sent', async () => {
      const alices = await recordOf(alice, 1)
      const squats = await Promise.all([1, 2, 3].map(async seq => recordOf(mallory, seq)))
      const candidates = [...squats.flatMap(r => from(r, 'p1')), ...from(alices, 'p2', 'p3')]
      expect(chooseRecord(candidates, undefined, NAME).record).toBe(alices)
    })

    it('takes the highest seq of the winning owner, across its peers', async () => {
      const one = await recordOf(alice, 1)
      const two = await recordOf(alice, 2)
      const squat = await recordOf(mallory, 100)
      expect(chooseRecord([...from(one, 'p1'), ...from(two, 'p2'), ...from(squat, 'p3')], undefined, NAME).record).toBe(two)
    })

    it('breaks a tie by the smaller registration proof hash (more work), in any order', async () => {
      const alices = await recordOf(alice, 1)
      const squat = await recordOf(mallory, 1)
      const aliceHash = registrationProofHash(alices) ?? new Uint8Array()
      const malloryHash = registrationProofHash(squat) ?? new Uint8Array()
      const expected = compare(aliceHash, malloryHash) < 0 ? alices : squat
      expect(chooseRecord([...from(alices, 'p1'), ...from(squat, 'p2')], undefined, NAME).record).toBe(expected)
      expect(chooseRecord([...from(squat, 'p2'), ...from(alices, 'p1')], undefined, NAME).record).toBe(expected)
    })

    it('prefers the proof with more leading zero bits in a tie', async () => {
      const strong = await recordOf(mallory, 1, { previousProof: await solveProofOfWork({ name: NAME, publicKey: keyOf(mallory), bits: 14 }) })
      let weak: NameRecord
      do {
        weak = await recordOf(alice, 1, { previousProof: await solveProofOfWork({ name: NAME, publicKey: keyOf(alice), bits: 0 }) })
      } while (leadingZeroBits(registrationProofHash(weak) ?? new Uint8Array()) >= 14)
      expect(chooseRecord([...from(weak, 'p1'), ...from(strong, 'p2')], undefined, NAME).record).toBe(strong)
      expect(chooseRecord([...from(strong, 'p2'), ...from(weak, 'p1')], undefined, NAME).record).toBe(strong)
    })

    it('counts the peers of an owner for the key it transferred the name to', async () => {
      const old = await recordOf(alice, 5)
      const bobs = await recordOf(bob, 6, { transferFrom: alice, previousProof: proofs.get(alice) })
      const squat = await recordOf(mallory, 9)
      const chosen = chooseRecord([...from(old, 'p1', 'p2'), ...from(squat, 'p3', 'p4'), ...from(bobs, 'p5')], undefined, NAME)
      expect(chosen).toEqual({ record: bobs, pinned: 'new' })
    })

    it('does not hand over an owner that published after the transfer', async () => {
      const bobs = await recordOf(bob, 6, { transferFrom: alice, previousProof: proofs.get(alice) })
      const newer = await recordOf(alice, 7)
      expect(chooseRecord([...from(newer, 'p1', 'p2'), ...from(bobs, 'p3')], undefined, NAME).record).toBe(newer)
    })
  })
})
