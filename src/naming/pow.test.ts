import { sha256 } from '@noble/hashes/sha2.js'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { concat, equals, fromString } from 'uint8arrays'
import { describe, it, expect, beforeAll } from 'vitest'
import { DEFAULT_POW_BITS, MAX_POW_BITS, leadingZeroBits, powChallenge, proofHash, registrationProofHash, solveProofOfWork, verifyProofOfWork, verifyRegistrationProof } from './pow.js'
import type { ProofOfWorkProgress } from './pow.js'

const NAME = 'alice.wia.home'

describe('proof of work', () => {
  let key: Uint8Array
  let other: Uint8Array

  beforeAll(async () => {
    key = publicKeyToProtobuf((await generateKeyPair('Ed25519')).publicKey)
    other = publicKeyToProtobuf((await generateKeyPair('Ed25519')).publicKey)
  })

  it('has the documented defaults', () => {
    expect(DEFAULT_POW_BITS).toBe(20)
    expect(MAX_POW_BITS).toBe(32)
  })

  it('hashes prefix, name, a zero byte and the key into the challenge', () => {
    const expected = sha256(concat([fromString('wia-pow:v1\n'), fromString(NAME), new Uint8Array([0]), key]))
    expect(equals(powChallenge(NAME, key), expected)).toBe(true)
    expect(equals(proofHash(NAME, key, new Uint8Array([1, 2])), sha256(concat([expected, new Uint8Array([1, 2])])))).toBe(true)
  })

  it('binds the challenge to the name and the key', () => {
    expect(equals(powChallenge(NAME, key), powChallenge('alice.wia.blog', key))).toBe(false)
    expect(equals(powChallenge(NAME, key), powChallenge(NAME, other))).toBe(false)
  })

  it.each([
    [[0xff], 0],
    [[0x80], 0],
    [[0x7f], 1],
    [[0x01], 7],
    [[0x00, 0xff], 8],
    [[0x00, 0x00, 0x10], 19],
    [[0x00, 0x00], 16],
    [[], 0]
  ])('counts the leading zero bits of %j as %i', (bytes, bits) => {
    expect(leadingZeroBits(Uint8Array.from(bytes))).toBe(bits)
  })

  it('solves and verifies a proof; the hash has the claimed zero bits', async () => {
    const proof = await solveProofOfWork({ name: NAME, publicKey: key, bits: 10 })
    expect(proof.bits).toBe(10)
    expect(proof.nonce.byteLength).toBe(8)
    expect(leadingZeroBits(proofHash(NAME, key, proof.nonce))).toBeGreaterThanOrEqual(10)
    expect(() => { verifyProofOfWork(NAME, key, proof, 10) }).not.toThrow()
    expect(() => { verifyProofOfWork(NAME, key, proof, 0) }).not.toThrow()
  })

  it('refuses a proof below the required difficulty', async () => {
    const proof = await solveProofOfWork({ name: NAME, publicKey: key, bits: 4 })
    expect(() => { verifyProofOfWork(NAME, key, proof, 5) }).toThrow(expect.objectContaining({ name: 'InsufficientProofOfWorkError' }))
  })

  it('refuses a proof for another name or key', async () => {
    let proof = await solveProofOfWork({ name: NAME, publicKey: key, bits: 12 })
    // a proof passes for another challenge by chance with p = 2^-12: take one that does not
    while (leadingZeroBits(proofHash('alice.wia.shop', key, proof.nonce)) >= 12 || leadingZeroBits(proofHash(NAME, other, proof.nonce)) >= 12) {
      proof = await solveProofOfWork({ name: NAME, publicKey: key, bits: 12 })
    }
    expect(() => { verifyProofOfWork('alice.wia.shop', key, proof, 12) }).toThrow(expect.objectContaining({ name: 'InvalidProofOfWorkError' }))
    expect(() => { verifyProofOfWork(NAME, other, proof, 12) }).toThrow(expect.objectContaining({ name: 'InvalidProofOfWorkError' }))
  })

  it.each([
    ['an empty nonce', { nonce: new Uint8Array(0), bits: 0 }],
    ['a 33-byte nonce', { nonce: new Uint8Array(33), bits: 0 }],
    ['negative bits', { nonce: new Uint8Array(1), bits: -1 }],
    ['65 bits', { nonce: new Uint8Array(1), bits: 65 }],
    ['fractional bits', { nonce: new Uint8Array(1), bits: 0.5 }]
  ])('refuses %s as invalid', (_what, proof) => {
    expect(() => { verifyProofOfWork(NAME, key, proof, 0) }).toThrow(expect.objectContaining({ name: 'InvalidProofOfWorkError' }))
  })

  it('accepts any nonce at 0 bits', () => {
    expect(() => { verifyProofOfWork(NAME, key, { nonce: new Uint8Array([42]), bits: 0 }, 0) }).not.toThrow()
  })

  it('starts from a random nonce, so two solvers differ', async () => {
    const a = await solveProofOfWork({ name: NAME, publicKey: key, bits: 0 })
    const b = await solveProofOfWork({ name: NAME, publicKey: key, bits: 0 })
    expect(equals(a.nonce, b.nonce)).toBe(false)
  })

  it('reports progress after each batch and yields to the event loop between batches', async () => {
    const progress: ProofOfWorkProgress[] = []
    const controller = new AbortController()
    let ticks = 0
    const timer = setInterval(() => { ticks++ }, 0)
    const solving = solveProofOfWork({
      name: NAME,
      publicKey: key,
      bits: MAX_POW_BITS,
      batchSize: 100,
      signal: controller.signal,
      onProgress: p => {
        progress.push(p)
        if (progress.length === 20) controller.abort(new Error('enough'))
      }
    })
    await expect(solving).rejects.toThrow('enough')
    clearInterval(timer)
    expect(progress).toEqual(progress.map((_p, i) => ({ hashes: (i + 1) * 100, expected: 2 ** MAX_POW_BITS })))
    expect(ticks).toBeGreaterThan(0)
  })

  it('stops with the signal\'s reason', async () => {
    const controller = new AbortController()
    const reason = new Error('stop')
    const solving = solveProofOfWork({
      name: NAME,
      publicKey: key,
      bits: MAX_POW_BITS,
      batchSize: 1000,
      signal: controller.signal,
      onProgress: p => { if (p.hashes >= 3000) controller.abort(reason) }
    })
    await expect(solving).rejects.toBe(reason)
    await expect(solveProofOfWork({ name: NAME, publicKey: key, bits: 1, signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
  })

  it.each([-1, 33, 1.5, Number.NaN])('throws RangeError for %j bits', async (bits) => {
    await expect(solveProofOfWork({ name: NAME, publicKey: key, bits })).rejects.toBeInstanceOf(RangeError)
  })

  it.each([0, -5, 2.5])('throws RangeError for a batch size of %j', async (batchSize) => {
    await expect(solveProofOfWork({ name: NAME, publicKey: key, bits: 1, batchSize })).rejects.toBeInstanceOf(RangeError)
  })

  describe('registration proof of a record', () => {
    it('holds for the record key, or for transfer.from when the record carries a transfer', async () => {
      let proof = await solveProofOfWork({ name: NAME, publicKey: key, bits: 12 })
      while (leadingZeroBits(proofHash(NAME, other, proof.nonce)) >= 12) {
        proof = await solveProofOfWork({ name: NAME, publicKey: key, bits: 12 })
      }
      expect(() => { verifyRegistrationProof({ name: NAME, publicKey: key, proof }, 12) }).not.toThrow()
      expect(() => { verifyRegistrationProof({ name: NAME, publicKey: other, proof }, 12) }).toThrow(expect.objectContaining({ name: 'InvalidProofOfWorkError' }))
      expect(() => { verifyRegistrationProof({ name: NAME, publicKey: other, proof, transfer: { from: key } }, 12) }).not.toThrow()
      expect(() => { verifyRegistrationProof({ name: NAME, publicKey: key, proof, transfer: { from: other } }, 12) }).not.toThrow()
      expect(() => { verifyRegistrationProof({ name: NAME, publicKey: key, proof }, 13) }).toThrow(expect.objectContaining({ name: 'InsufficientProofOfWorkError' }))
    })

    it('hashes against the key the proof holds for', async () => {
      let proof = await solveProofOfWork({ name: NAME, publicKey: key, bits: 12 })
      while (leadingZeroBits(proofHash(NAME, other, proof.nonce)) >= 12) {
        proof = await solveProofOfWork({ name: NAME, publicKey: key, bits: 12 })
      }
      const expected = proofHash(NAME, key, proof.nonce)
      expect(equals(registrationProofHash({ name: NAME, publicKey: key, proof }) ?? new Uint8Array(), expected)).toBe(true)
      expect(equals(registrationProofHash({ name: NAME, publicKey: other, proof, transfer: { from: key } }) ?? new Uint8Array(), expected)).toBe(true)
      expect(registrationProofHash({ name: NAME, publicKey: other, proof })).toBeUndefined()
    })
  })
})
