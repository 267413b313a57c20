import { generateKeyPair } from '@libp2p/crypto/keys'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { equals, fromString, toString } from 'uint8arrays'
import { describe, it, expect, beforeAll } from 'vitest'
import { NAME_RECORD_NAMESPACE, nameFromRecordKey, nameRecordKey, selectNameRecord, validateNameRecord } from './dht.js'
import { createNameRecord, encodeNameRecord } from './record.js'
import type { Ed25519PrivateKey } from '@libp2p/interface'
import type { SelectFn, ValidateFn } from '@libp2p/kad-dht'

const NOW = Date.UTC(2026, 0, 1)
const HOUR_MS = 60 * 60_000

// compile-time check that these plug into kad-dht's validators/selectors maps
const validators: Record<string, ValidateFn> = { [NAME_RECORD_NAMESPACE]: validateNameRecord }
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

describe('validateNameRecord', () => {
  let alice: Ed25519PrivateKey
  let root: CID
  let good: Uint8Array

  beforeAll(async () => {
    alice = await generateKeyPair('Ed25519')
    root = CID.create(1, raw.code, await sha256.digest(fromString('site')))
    good = encodeNameRecord(await createNameRecord({ name: 'alice.wia.home', root, seq: 1, privateKey: alice, now: NOW }))
  })

  it('accepts a good record under its own key', async () => {
    await expect(validateNameRecord(nameRecordKey('alice.wia.home'), good, { now: NOW })).resolves.toBeUndefined()
  })

  it('accepts a fresh record with the clock when no time is given', async () => {
    const fresh = encodeNameRecord(await createNameRecord({ name: 'alice.wia.home', root, seq: 2, privateKey: alice }))
    await expect(validateNameRecord(nameRecordKey('alice.wia.home'), fresh)).resolves.toBeUndefined()
  })

  it('rejects a record put under another name\'s key', async () => {
    await expect(validateNameRecord(nameRecordKey('bob.wia.home'), good, { now: NOW })).rejects.toMatchObject({ name: 'NameMismatchError' })
    await expect(validateNameRecord(nameRecordKey('alice.wia.shop'), good, { now: NOW })).rejects.toMatchObject({ name: 'NameMismatchError' })
  })

  it('rejects an expired record', async () => {
    await expect(validateNameRecord(nameRecordKey('alice.wia.home'), good, { now: NOW + 365 * 24 * HOUR_MS })).rejects.toMatchObject({ name: 'RecordExpiredError' })
  })

  it('rejects a tampered record', async () => {
    const tampered = Uint8Array.from(good)
    const last = tampered.length - 1
    tampered[last] = (tampered[last] ?? 0) ^ 0xff
    await expect(validateNameRecord(nameRecordKey('alice.wia.home'), tampered, { now: NOW })).rejects.toMatchObject({ name: 'InvalidSignatureError' })
  })

  it('rejects garbage and keys outside the namespace', async () => {
    await expect(validateNameRecord(nameRecordKey('alice.wia.home'), fromString('hello'), { now: NOW })).rejects.toMatchObject({ name: 'MalformedRecordError' })
    await expect(validateNameRecord(fromString('/pk/alice.wia.home'), good, { now: NOW })).rejects.toMatchObject({ name: 'MalformedRecordError' })
  })

  it('stops when aborted', async () => {
    const signal = AbortSignal.abort()
    await expect(validateNameRecord(nameRecordKey('alice.wia.home'), good, { now: NOW, signal })).rejects.toMatchObject({ name: 'AbortError' })
  })
})

describe('selectNameRecord', () => {
  const key = nameRecordKey('alice.wia.home')
  let alice: Ed25519PrivateKey
  let root: CID

  async function make (seq: number, expiresAt: number, name = 'alice.wia.home'): Promise<Uint8Array> {
    return encodeNameRecord(await createNameRecord({ name, root, seq, privateKey: alice, now: expiresAt - HOUR_MS, validityMs: HOUR_MS }))
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
