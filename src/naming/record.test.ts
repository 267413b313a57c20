import * as dagCbor from '@ipld/dag-cbor'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'
import { concat, equals, fromString } from 'uint8arrays'
import { describe, it, expect, beforeAll } from 'vitest'
import { solveProofOfWork } from './pow.js'
import { MAX_RECORD_BYTES, RECORD_VALIDITY_MS, createNameRecord, decodeNameRecord, encodeNameRecord, ownerKeyId, signingInput } from './record.js'
import { verifyNameRecord } from './verify.js'
import { createTransfer } from './transfer.js'
import type { ProofOfWork } from './pow.js'
import type { CreateNameRecordInit, NameRecord } from './record.js'
import type { VerifyNameRecordOptions } from './verify.js'
import type { Ed25519PrivateKey, PrivateKey } from '@libp2p/interface'

const NOW = Date.UTC(2026, 0, 1)

/** Proof-of-work difficulty of the test records (fast to solve) */
const BITS = 8

async function cidOf (text: string): Promise<CID> {
  return CID.create(1, raw.code, await sha256.digest(fromString(text)))
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

/** The wire map of a record, for building hand-made encodings */
function wireOf (record: NameRecord): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    v: record.version,
    name: record.name,
    key: record.publicKey,
    root: record.root,
    seq: record.seq,
    exp: record.expires,
    pow: { n: record.proof.nonce, bits: record.proof.bits },
    sig: record.signature
  }
  if (record.transfer != null) {
    wire.xfer = { from: record.transfer.from, seq: record.transfer.seq, sig: record.transfer.signature }
  }
  return wire
}

describe('name records', () => {
  let alice: Ed25519PrivateKey
  let mallory: Ed25519PrivateKey
  let root: CID
  let bob: Ed25519PrivateKey
  let record: NameRecord
  /** alice.wia.home after alice transferred it to bob at seq 8 */
  let bobsRecord: NameRecord

  beforeAll(async () => {
    alice = await generateKeyPair('Ed25519')
    mallory = await generateKeyPair('Ed25519')
    bob = await generateKeyPair('Ed25519')
    root = await cidOf('site version 1')
    record = await create({ name: 'alice.wia.home', root, seq: 7, privateKey: alice, now: NOW })
    const transfer = await createTransfer({ name: 'alice.wia.home', to: publicKeyToProtobuf(bob.publicKey), seq: 8, privateKey: alice })
    bobsRecord = await createNameRecord({ name: 'alice.wia.home', root, seq: 8, privateKey: bob, now: NOW, proof: record.proof, transfer })
  })

  describe('round trip', () => {
    it('creates a record with the given fields and the default validity', () => {
      expect(record.version).toBe(1)
      expect(record.name).toBe('alice.wia.home')
      expect(equals(record.publicKey, publicKeyToProtobuf(alice.publicKey))).toBe(true)
      expect(record.root.equals(root)).toBe(true)
      expect(record.seq).toBe(7)
      expect(record.expires).toBe(NOW + RECORD_VALIDITY_MS)
      expect(record.signature.byteLength).toBe(64)
    })

    it('honours validityMs', async () => {
      const short = await create({ name: 'alice.wia.home', root, seq: 0, privateKey: alice, now: NOW, validityMs: 60_000 })
      expect(short.expires).toBe(NOW + 60_000)
    })

    it('encodes, decodes and verifies with every field intact', async () => {
      const bytes = encodeNameRecord(record)
      expect(bytes.byteLength).toBeLessThanOrEqual(MAX_RECORD_BYTES)

      const decoded = decodeNameRecord(bytes)
      expect(decoded.version).toBe(1)
      expect(decoded.name).toBe(record.name)
      expect(equals(decoded.publicKey, record.publicKey)).toBe(true)
      expect(decoded.root.equals(record.root)).toBe(true)
      expect(decoded.root.toString()).toBe(root.toString())
      expect(decoded.seq).toBe(record.seq)
      expect(decoded.expires).toBe(record.expires)
      expect(equals(decoded.signature, record.signature)).toBe(true)

      await expect(verify(decoded, { name: 'alice.wia.home', now: NOW })).resolves.toBeUndefined()
    })

    it('encodes the wire keys v, name, key, root, seq, exp, pow, sig, and xfer only when transferred', async () => {
      const wire = dagCbor.decode<Record<string, unknown>>(encodeNameRecord(record))
      expect(Object.keys(wire).sort()).toEqual(['exp', 'key', 'name', 'pow', 'root', 'seq', 'sig', 'v'])
      expect(wire.pow).toEqual({ n: record.proof.nonce, bits: BITS })

      const transferred = dagCbor.decode<Record<string, unknown>>(encodeNameRecord(bobsRecord))
      expect(Object.keys(transferred).sort()).toEqual(['exp', 'key', 'name', 'pow', 'root', 'seq', 'sig', 'v', 'xfer'])
      expect(Object.keys(transferred.xfer as object).sort()).toEqual(['from', 'seq', 'sig'])
    })

    it('round-trips a transferred record with its transfer', () => {
      const decoded = decodeNameRecord(encodeNameRecord(bobsRecord))
      expect(decoded).toEqual(bobsRecord)
      expect(decoded.transfer?.seq).toBe(8)
      expect(equals(decoded.transfer?.from ?? new Uint8Array(), publicKeyToProtobuf(alice.publicKey))).toBe(true)
    })

    it.each([
      ['without', (): NameRecord => record],
      ['with', (): NameRecord => bobsRecord]
    ])('signs the prefix followed by the DAG-CBOR map without sig (%s xfer), pow and xfer included', (_with, get) => {
      const unsigned = wireOf(get())
      delete unsigned.sig
      const expected = concat([fromString('wia-name-record:v1\n'), dagCbor.encode(unsigned)])
      expect(equals(signingInput(get()), expected)).toBe(true)
    })

    it('returns byte fields that do not share memory with the input', () => {
      const bytes = encodeNameRecord(record)
      const decoded = decodeNameRecord(bytes)
      bytes.fill(0)
      expect(equals(decoded.signature, record.signature)).toBe(true)
      expect(equals(decoded.publicKey, record.publicKey)).toBe(true)
    })

    it('holds plain Uint8Arrays, so records compare equal after a round trip', () => {
      expect(Object.getPrototypeOf(record.signature)).toBe(Uint8Array.prototype)
      expect(Object.getPrototypeOf(record.publicKey)).toBe(Uint8Array.prototype)
      expect(decodeNameRecord(encodeNameRecord(record))).toEqual(record)
    })
  })

  describe('ownerKeyId', () => {
    it('is the owner\'s PeerId string and tells keys apart', async () => {
      const other = await create({ name: 'alice.wia.home', root, seq: 8, privateKey: mallory, now: NOW })
      expect(ownerKeyId(record)).toBe(peerIdFromPublicKey(alice.publicKey).toString())
      expect(ownerKeyId(record)).toMatch(/^12D3KooW/)
      expect(ownerKeyId(decodeNameRecord(encodeNameRecord(record)))).toBe(ownerKeyId(record))
      expect(ownerKeyId(other)).not.toBe(ownerKeyId(record))
    })
  })

  describe('verifyNameRecord', () => {
    it('rejects a record that claims another key', async () => {
      const forged = { ...record, publicKey: publicKeyToProtobuf(mallory.publicKey) }
      await expect(verify(forged, { now: NOW })).rejects.toMatchObject({ name: 'InvalidSignatureError' })
    })

    it('rejects a record signed by another key than the one it carries', async () => {
      const signature = await mallory.sign(signingInput(record))
      await expect(verify({ ...record, signature }, { now: NOW })).rejects.toMatchObject({ name: 'InvalidSignatureError' })
    })

    it('accepts a record properly signed by another key; ownerKeyId tells them apart', async () => {
      const squatter = await create({ name: 'alice.wia.home', root, seq: 99, privateKey: mallory, now: NOW })
      await expect(verify(squatter, { now: NOW })).resolves.toBeUndefined()
      expect(ownerKeyId(squatter)).not.toBe(ownerKeyId(record))
    })

    it('rejects a record for another name than expected', async () => {
      await expect(verify(record, { name: 'bob.wia.home', now: NOW })).rejects.toMatchObject({ name: 'NameMismatchError' })
    })

    it.each([
      ['name', (r: NameRecord): NameRecord => ({ ...r, name: 'alice.wia.shop' })],
      ['root', (r: NameRecord): NameRecord => ({ ...r, root: CID.create(1, raw.code, identity.digest(fromString('other'))) })],
      ['seq', (r: NameRecord): NameRecord => ({ ...r, seq: r.seq + 1 })],
      ['expires', (r: NameRecord): NameRecord => ({ ...r, expires: r.expires + 1 })],
      ['signature', (r: NameRecord): NameRecord => {
        const signature = Uint8Array.from(r.signature)
        signature[10] = (signature[10] ?? 0) ^ 0x01
        return { ...r, signature }
      }],
      ['signature length', (r: NameRecord): NameRecord => ({ ...r, signature: r.signature.subarray(0, 63) })]
    ])('rejects a record whose %s changed after signing', async (_field, alter) => {
      const altered = decodeNameRecord(encodeNameRecord(alter(record)))
      await expect(verify(altered, { now: NOW })).rejects.toMatchObject({ name: 'InvalidSignatureError' })
    })

    it('rejects an expired record, at and after its expiry time', async () => {
      await expect(verify(record, { now: record.expires - 1 })).resolves.toBeUndefined()
      await expect(verify(record, { now: record.expires })).rejects.toMatchObject({ name: 'RecordExpiredError' })
      await expect(verify(record, { now: record.expires + 1 })).rejects.toMatchObject({ name: 'RecordExpiredError' })
    })

    it('uses the clock when no time is given', async () => {
      const old = await create({ name: 'alice.wia.home', root, seq: 1, privateKey: alice, now: Date.now() - 2 * RECORD_VALIDITY_MS })
      const fresh = await create({ name: 'alice.wia.home', root, seq: 1, privateKey: alice })
      await expect(verify(old)).rejects.toMatchObject({ name: 'RecordExpiredError' })
      await expect(verify(fresh)).resolves.toBeUndefined()
    })

    it('checks in order: name, expected name, expiry, key, signature', async () => {
      const broken = { ...record, name: 'Alice.wia.home', publicKey: new Uint8Array([1, 2, 3]), signature: new Uint8Array(64) }
      const late = record.expires + 1
      await expect(verify(broken, { name: 'bob.wia.home', now: late })).rejects.toMatchObject({ name: 'InvalidNameError' })
      await expect(verify({ ...broken, name: 'alice.wia.home' }, { name: 'bob.wia.home', now: late })).rejects.toMatchObject({ name: 'NameMismatchError' })
      await expect(verify({ ...broken, name: 'alice.wia.home' }, { now: late })).rejects.toMatchObject({ name: 'RecordExpiredError' })
      await expect(verify({ ...broken, name: 'alice.wia.home' }, { now: NOW })).rejects.toMatchObject({ name: 'MalformedRecordError' })
      await expect(verify({ ...record, signature: new Uint8Array(64) }, { now: NOW })).rejects.toMatchObject({ name: 'InvalidSignatureError' })
    })

    it('rejects a public key that is not Ed25519', async () => {
      const secp = await generateKeyPair('secp256k1')
      const signature = await secp.sign(signingInput({ ...record, publicKey: publicKeyToProtobuf(secp.publicKey) }))
      const other = { ...record, publicKey: publicKeyToProtobuf(secp.publicKey), signature }
      await expect(verify(other, { now: NOW })).rejects.toMatchObject({ name: 'MalformedRecordError' })
    })

    it('rejects a version other than 1', async () => {
      const v2 = { ...record, version: 2 } as unknown as NameRecord
      await expect(verify(v2, { now: NOW })).rejects.toMatchObject({ name: 'UnsupportedRecordVersionError' })
    })
  })

  describe('decodeNameRecord', () => {
    it.each([
      ['random bytes', fromString('9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc', 'base16')],
      ['a reserved CBOR byte', new Uint8Array([0xfc])],
      ['an empty buffer', new Uint8Array(0)]
    ])('rejects %s as malformed', (_what, bytes) => {
      expect(() => decodeNameRecord(bytes)).toThrow(expect.objectContaining({ name: 'MalformedRecordError' }))
    })

    it('rejects a truncated encoding as malformed, with the decoder\'s error as cause', () => {
      const bytes = encodeNameRecord(record)
      for (const length of [1, 10, bytes.byteLength - 1]) {
        let error: unknown
        try {
          decodeNameRecord(bytes.subarray(0, length))
        } catch (err) {
          error = err
        }
        expect(error).toMatchObject({ name: 'MalformedRecordError', cause: expect.any(Error) })
      }
    })

    it.each([
      ['a list', dagCbor.encode([1, 2, 3])],
      ['a number', dagCbor.encode(1)],
      ['bytes', dagCbor.encode(new Uint8Array(4))],
      ['null', dagCbor.encode(null)]
    ])('rejects %s at the top level as malformed', (_what, bytes) => {
      expect(() => decodeNameRecord(bytes)).toThrow(expect.objectContaining({ name: 'MalformedRecordError' }))
    })

    it('rejects a CID at the top level as malformed', () => {
      expect(() => decodeNameRecord(dagCbor.encode(root))).toThrow(expect.objectContaining({ name: 'MalformedRecordError' }))
    })

    it('rejects records longer than MAX_RECORD_BYTES before decoding', () => {
      expect(() => decodeNameRecord(new Uint8Array(MAX_RECORD_BYTES + 1))).toThrow(expect.objectContaining({ name: 'RecordTooLargeError' }))
      expect(() => decodeNameRecord(new Uint8Array(MAX_RECORD_BYTES))).toThrow(expect.objectContaining({ name: 'MalformedRecordError' }))
    })

    it('rejects version 2 as unsupported', () => {
      const bytes = dagCbor.encode({ ...wireOf(record), v: 2 })
      expect(() => decodeNameRecord(bytes)).toThrow(expect.objectContaining({ name: 'UnsupportedRecordVersionError' }))
    })

    it('rejects a version 2 record even with fields it does not know', () => {
      const bytes = dagCbor.encode({ v: 2, ipns: new Uint8Array(3) })
      expect(() => decodeNameRecord(bytes)).toThrow(expect.objectContaining({ name: 'UnsupportedRecordVersionError' }))
    })

    it('rejects an extra key as malformed', () => {
      const bytes = dagCbor.encode({ ...wireOf(record), extra: 1 })
      expect(() => decodeNameRecord(bytes)).toThrow(expect.objectContaining({ name: 'MalformedRecordError', message: expect.stringContaining('"extra"') }))
    })

    it.each(['v', 'name', 'key', 'root', 'seq', 'exp', 'pow', 'sig'])('rejects a record without %j as malformed', (key) => {
      const wire = wireOf(record)
      delete wire[key]
      expect(() => decodeNameRecord(dagCbor.encode(wire))).toThrow(expect.objectContaining({ name: 'MalformedRecordError' }))
    })

    it.each([
      ['v', '1'],
      ['name', 42],
      ['name', fromString('alice.wia.home')],
      ['key', 'not bytes'],
      ['key', [1, 2, 3]],
      ['root', 'bafkqaaa'],
      ['root', fromString('not a cid')],
      ['seq', -1],
      ['seq', 1.5],
      ['seq', 2 ** 53],
      ['seq', '7'],
      ['exp', 'tomorrow'],
      ['exp', null],
      ['sig', 'not bytes'],
      ['sig', null],
      ['pow', null],
      ['pow', 20],
      ['pow', { n: new Uint8Array(8) }],
      ['pow', { bits: 8 }],
      ['pow', { n: new Uint8Array(8), bits: 8, extra: 1 }],
      ['pow', { n: new Uint8Array(0), bits: 8 }],
      ['pow', { n: new Uint8Array(33), bits: 8 }],
      ['pow', { n: 'nonce', bits: 8 }],
      ['pow', { n: new Uint8Array(8), bits: -1 }],
      ['pow', { n: new Uint8Array(8), bits: 65 }],
      ['pow', { n: new Uint8Array(8), bits: 8.5 }],
      ['pow', { n: new Uint8Array(8), bits: '8' }],
      ['xfer', null],
      ['xfer', new Uint8Array(3)],
      ['xfer', { from: new Uint8Array(36), seq: 1 }],
      ['xfer', { from: new Uint8Array(36), seq: 1, sig: new Uint8Array(64), to: new Uint8Array(36) }],
      ['xfer', { from: 'key', seq: 1, sig: new Uint8Array(64) }],
      ['xfer', { from: new Uint8Array(36), seq: -1, sig: new Uint8Array(64) }],
      ['xfer', { from: new Uint8Array(36), seq: 1, sig: 'sig' }]
    ])('rejects %j = %j as malformed', (key, value) => {
      const bytes = dagCbor.encode({ ...wireOf(record), [key]: value })
      expect(() => decodeNameRecord(bytes)).toThrow(expect.objectContaining({ name: 'MalformedRecordError' }))
    })

    it.each([
      ['another TLD', 'alice.wia.com'],
      ['uppercase', 'Alice.wia.home'],
      ['a Cyrillic а in place of a Latin a', '\u0430lice.wia.home'],
      ['a punycode label', 'xn--80ak6aa92e.wia.home']
    ])('rejects a name with %s', (_what, name) => {
      const bytes = dagCbor.encode({ ...wireOf(record), name })
      expect(() => decodeNameRecord(bytes)).toThrow(expect.objectContaining({ name: 'InvalidNameError' }))
    })

    it('rejects a non-canonical encoding of a valid record (map keys out of order)', () => {
      const bytes = encodeNameRecord(record)
      // the same map, its keys written in reverse canonical order
      const wire = wireOf(record)
      const entries = Object.entries(wire).reverse()
      const parts: Uint8Array[] = [new Uint8Array([0xa0 + entries.length])]
      for (const [key, value] of entries) {
        parts.push(dagCbor.encode(key), dagCbor.encode(value))
      }
      const reordered = concat(parts)
      expect(reordered.byteLength).toBe(bytes.byteLength)
      expect(equals(reordered, bytes)).toBe(false)
      expect(dagCbor.decode(reordered)).toEqual(dagCbor.decode(bytes))
      expect(() => decodeNameRecord(reordered)).toThrow(expect.objectContaining({ name: 'MalformedRecordError', message: expect.stringContaining('canonical') }))
    })
  })

  describe('createNameRecord', () => {
    it('rejects an invalid name', async () => {
      await expect(create({ name: 'alice.com', root, seq: 0, privateKey: alice })).rejects.toMatchObject({ name: 'InvalidNameError' })
    })

    it.each([-1, 1.5, Number.NaN, 2 ** 53])('rejects seq %j', async (seq) => {
      await expect(create({ name: 'alice.wia.home', root, seq, privateKey: alice })).rejects.toMatchObject({ name: 'MalformedRecordError' })
    })

    it.each([0, -1, Number.POSITIVE_INFINITY, Number.NaN])('rejects validityMs %j', async (validityMs) => {
      await expect(create({ name: 'alice.wia.home', root, seq: 0, privateKey: alice, validityMs })).rejects.toMatchObject({ name: 'MalformedRecordError' })
    })

    it('rejects a key that is not Ed25519', async () => {
      const secp = await generateKeyPair('secp256k1')
      await expect(create({ name: 'alice.wia.home', root, seq: 0, privateKey: secp })).rejects.toMatchObject({ name: 'MalformedRecordError' })
    })

    it('refuses a proof made for another name or key', async () => {
      // 16 bits: a proof of 8 would also hold for the other name or key once in 256 runs
      await expect(createNameRecord({ name: 'alice.wia.home', root, seq: 0, privateKey: alice, proof: await proofFor('alice.wia.shop', alice, 16) })).rejects.toMatchObject({ name: 'InvalidProofOfWorkError' })
      await expect(createNameRecord({ name: 'alice.wia.home', root, seq: 0, privateKey: alice, proof: await proofFor('alice.wia.home', mallory, 16) })).rejects.toMatchObject({ name: 'InvalidProofOfWorkError' })
    })

    it('refuses a transfer to another key or for a seq above the record\'s', async () => {
      const toMallory = await createTransfer({ name: 'alice.wia.home', to: publicKeyToProtobuf(mallory.publicKey), seq: 8, privateKey: alice })
      await expect(createNameRecord({ name: 'alice.wia.home', root, seq: 8, privateKey: bob, proof: record.proof, transfer: toMallory })).rejects.toMatchObject({ name: 'InvalidSignatureError' })
      const toBob = await createTransfer({ name: 'alice.wia.home', to: publicKeyToProtobuf(bob.publicKey), seq: 9, privateKey: alice })
      await expect(createNameRecord({ name: 'alice.wia.home', root, seq: 8, privateKey: bob, proof: record.proof, transfer: toBob })).rejects.toMatchObject({ name: 'MalformedRecordError' })
    })

    it('keeps only from, seq and signature of a transfer authorisation', () => {
      expect(Object.keys(bobsRecord.transfer ?? {}).sort()).toEqual(['from', 'seq', 'signature'])
    })

    it('refuses to create or encode a record too large for peers to accept', async () => {
      const hugeRoot = CID.create(1, raw.code, identity.digest(new Uint8Array(MAX_RECORD_BYTES)))
      await expect(create({ name: 'alice.wia.home', root: hugeRoot, seq: 0, privateKey: alice })).rejects.toMatchObject({ name: 'RecordTooLargeError' })
      expect(() => encodeNameRecord({ ...record, root: hugeRoot })).toThrow(expect.objectContaining({ name: 'RecordTooLargeError' }))
    })
  })
})
