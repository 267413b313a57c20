import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { equals, fromString, toString } from 'uint8arrays'
import { describe, it, expect, beforeAll } from 'vitest'
import { NAME_RECORD_NAMESPACE, createNameRecordValidator, nameFromRecordKey, nameRecordKey, selectNameRecord, validateNameRecord } from './dht.js'
import { solveProofOfWork } from './pow.js'
import { createNameRecord, encodeNameRecord } from './record.js'
import type { ProofOfWork } from './pow.js'
import type { Ed25519PrivateKey } from '@libp2p/interface'
import type { SelectFn, ValidateFn } from '@libp2p/kad-dht'

const NOW = Date.UTC(2026, 0, 1)
const HOUR_MS = 60 * 60_000
const BITS = 8

/** The validator at the test difficulty */
const validate = createNameRecordValidator({ minPowBits: BITS, now: () => NOW })

// compile-time check that these plug into kad-dht's validators/selectors maps
const validators: Record<string, ValidateFn> = { [NAME_RECORD_NAMESPACE]: validateNameRecord }
const custom: ValidateFn = createNameRecordValidator({ minPowBits: 12 })
const selectors: Record<string, SelectFn> = { [NAME_RECORD_NAMESPACE]: selectNameRecord }

describe('name record keys', () => {
  it('maps a name to /wia/<name> and back', () => {
    const key = nameRecordKey('alice.wia.home')
    expect(equals(key, fromString('/wia/alice.wia.home'))).toBe(true)
    expect(nameFromRecordKey(key)).toBe('alice.wia.home')
  })

  it('has the namespace kad-dht looks up validators and selectors by', () => {
    const key = nameRecordKey('bob.wia.blog')
    const namespace = toString(key).split('/')[1] ?? ''
    expect(namespace).toBe('wia')
    expect(validators[namespace]).toBe(validateNameRecord)
    expect(selectors[namespace]).toBe(selectNameRecord)
  })

  it('rejects an invalid name', () => {
    expect(() => nameRecordKey('alice.wia.com')).toThrow(expect.objectContaining({ name: 'InvalidNameError' }))
    expect(() => nameRecordKey('Alice.wia.home')).toThrow(expect.objectContaining({ name: 'InvalidNameError' }))
  })

  it.each(['/pk/alice.wia.home', '/ipns/alice.wia.home', 'wia/alice.wia.home', '/wiax/alice.wia.home', ''])('rejects the key %j as outside the namespace', (key) => {
    expect(() => nameFromRecordKey(fromString(key))).toThrow(expect.objectContaining({ name: 'MalformedRecordError' }))
  })

  it.each(['/wia/', '/wia/alice.wia.com', '/wia/alice.wia.home/x', '/wia/Alice.wia.home'])('rejects the key %j as naming an invalid name', (key) => {
    expect(() => nameFromRecordKey(fromString(key))).toThrow(expect.objectContaining({ name: 'InvalidNameError' }))
  })
})

describe('createNameRecordValidator', () => {
  let alice: Ed25519PrivateKey
  let root: CID
  let proof: ProofOfWork
  let good: Uint8Array

  beforeAll(async () => {
    alice = await generateKeyPair('Ed25519')
    root = CID.create(1, raw.code, await sha256.digest(fromString('site')))
    proof = await solveProofOfWork({ name: 'alice.wia.home', publicKey: publicKeyToProtobuf(alice.publicKey), bits: BITS })
    good = encodeNameRecord(await createNameRecord({ name: 'alice.wia.home', root, seq: 1, privateKey: alice, now: NOW, proof }))
  })

  it('accepts a good record under its own key', async () => {
    await expect(validate(nameRecordKey('alice.wia.home'), good)).resolves.toBeUndefined()
    expect(custom).toBeTypeOf('function')
  })

  it('uses the system clock by default', async () => {
    const fresh = encodeNameRecord(await createNameRecord({ name: 'alice.wia.home', root, seq: 2, privateKey: alice, proof }))
    await expect(createNameRecordValidator({ minPowBits: BITS })(nameRecordKey('alice.wia.home'), fresh)).resolves.toBeUndefined()
    await expect(createNameRecordValidator({ minPowBits: BITS })(nameRecordKey('alice.wia.home'), good)).rejects.toMatchObject({ name: 'RecordExpiredError' })
  })

  it('takes the time and difficulty per call, over its own', async () => {
    await expect(validate(nameRecordKey('alice.wia.home'), good, { now: NOW + 365 * 24 * HOUR_MS })).rejects.toMatchObject({ name: 'RecordExpiredError' })
    await expect(validate(nameRecordKey('alice.wia.home'), good, { minPowBits: BITS + 1 })).rejects.toMatchObject({ name: 'InsufficientProofOfWorkError' })
  })

  it('requires DEFAULT_POW_BITS in the default validator', async () => {
    await expect(validateNameRecord(nameRecordKey('alice.wia.home'), good, { now: NOW })).rejects.toMatchObject({ name: 'InsufficientProofOfWorkError' })
    await expect(validateNameRecord(nameRecordKey('alice.wia.home'), good, { now: NOW, minPowBits: BITS })).resolves.toBeUndefined()
    await expect(createNameRecordValidator({ minPowBits: BITS + 1, now: () => NOW })(nameRecordKey('alice.wia.home'), good)).rejects.toMatchObject({ name: 'InsufficientProofOfWorkError' })
  })

  it('rejects a record put under another name\'s key', async () => {
    await expect(validate(nameRecordKey('bob.wia.home'), good)).rejects.toMatchObject({ name: 'NameMismatchError' })
    await expect(validate(nameRecordKey('alice.wia.shop'), good)).rejects.toMatchObject({ name: 'NameMismatchError' })
  })

  it('rejects a tampered record', async () => {
    const tampered = Uint8Array.from(good)
    const last = tampered.length - 1
    tampered[last] = (tampered[last] ?? 0) ^ 0xff
    await expect(validate(nameRecordKey('alice.wia.home'), tampered)).rejects.toMatchObject({ name: 'InvalidSignatureError' })
  })

  it('rejects garbage and keys outside the namespace', async () => {
    await expect(validate(nameRecordKey('alice.wia.home'), fromString('hello'))).rejects.toMatchObject({ name: 'MalformedRecordError' })
    await expect(validate(fromString('/pk/alice.wia.home'), good)).rejects.toMatchObject({ name: 'MalformedRecordError' })
  })

  it('stops when aborted', async () => {
    const signal = AbortSignal.abort()
    await expect(validate(nameRecordKey('alice.wia.home'), good, { signal })).rejects.toMatchObject({ name: 'AbortError' })
  })
})

describe('selectNameRecord', () => {
  const key = nameRecordKey('alice.wia.home')
  let alice: Ed25519PrivateKey
  let root: CID

  async function make (seq: number, expiresAt: number, name = 'alice.wia.home'): Promise<Uint8Array> {
    const proof = await solveProofOfWork({ name, publicKey: publicKeyToProtobuf(alice.publicKey), bits: 0 })
    return encodeNameRecord(await createNameRecord({ name, root, seq, privateKey: alice, now: expiresAt - HOUR_MS, validityMs: HOUR_MS, proof }))
  }

  beforeAll(async () => {
    alice = await generateKeyPair('Ed25519')
    root = CID.create(1, raw.code, await sha256.digest(fromString('site')))
  })

  it('picks the highest seq wherever it is', async () => {
    const low = await make(1, NOW)
    const mid = await make(5, NOW)
    const high = await make(9, NOW)
    expect(selectNameRecord(key, [high, mid, low])).toBe(0)
    expect(selectNameRecord(key, [low, high, mid])).toBe(1)
    expect(selectNameRecord(key, [low, mid, high])).toBe(2)
  })

  it('prefers a higher seq over a later expiry', async () => {
    const newer = await make(2, NOW)
    const longer = await make(1, NOW + 100 * HOUR_MS)
    expect(selectNameRecord(key, [longer, newer])).toBe(1)
  })

  it('breaks a seq tie by the later expiry', async () => {
    const early = await make(3, NOW)
    const late = await make(3, NOW + HOUR_MS)
    expect(selectNameRecord(key, [early, late])).toBe(1)
    expect(selectNameRecord(key, [late, early])).toBe(0)
  })

  it('breaks a full tie by the lowest index', async () => {
    const a = await make(3, NOW)
    const b = await make(3, NOW)
    const lower = await make(2, NOW + HOUR_MS)
    expect(selectNameRecord(key, [lower, a, b])).toBe(1)
    expect(selectNameRecord(key, [lower, b, a])).toBe(1)
  })

  it('never picks an undecodable record or one for another name while a good one exists', async () => {
    const good = await make(1, NOW)
    const other = await make(100, NOW, 'bob.wia.home')
    const garbage = fromString('not a record')
    const oversize = new Uint8Array(4096)
    expect(selectNameRecord(key, [garbage, oversize, other, good])).toBe(3)
    expect(selectNameRecord(key, [other, good, garbage])).toBe(1)
  })

  it('returns 0 when no record qualifies', async () => {
    const other = await make(100, NOW, 'bob.wia.home')
    expect(selectNameRecord(key, [fromString('junk'), other])).toBe(0)
  })

  it('returns 0 for a single record', async () => {
    expect(selectNameRecord(key, [await make(1, NOW)])).toBe(0)
  })

  it('throws when there are no records', () => {
    expect(() => selectNameRecord(key, [])).toThrow(expect.objectContaining({ name: 'MalformedRecordError' }))
  })
})
