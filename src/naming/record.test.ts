import * as dagCbor from '@ipld/dag-cbor'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'
import { concat, equals, fromString } from 'uint8arrays'
import { describe, it, expect, beforeAll } from 'vitest'
import { MAX_RECORD_BYTES, RECORD_VALIDITY_MS, createNameRecord, decodeNameRecord, encodeNameRecord, ownerKeyId, signingInput, verifyNameRecord } from './record.js'
import type { NameRecord } from './record.js'
import type { Ed25519PrivateKey } from '@libp2p/interface'

const NOW = Date.UTC(2026, 0, 1)

async function cidOf (text: string): Promise<CID> {
  return CID.create(1, raw.code, await sha256.digest(fromString(text)))
}

/** The wire map of a record, for building hand-made encodings */
function wireOf (record: NameRecord): Record<string, unknown> {
  return {
    v: record.version,
    name: record.name,
    key: record.publicKey,
    root: record.root,
    seq: record.seq,
    exp: record.expires,
    sig: record.signature
  }
}

describe('name records', () => {
  let alice: Ed25519PrivateKey
  let mallory: Ed25519PrivateKey
  let root: CID
  let record: NameRecord

  beforeAll(async () => {
    alice = await generateKeyPair('Ed25519')
    mallory = await generateKeyPair('Ed25519')
    root = await cidOf('site version 1')
    record = await createNameRecord({ name: 'alice.wia.home', root, seq: 7, privateKey: alice, now: NOW })
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
      const short = await createNameRecord({ name: 'alice.wia.home', root, seq: 0, privateKey: alice, now: NOW, validityMs: 60_000 })
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

      await expect(verifyNameRecord(decoded, { name: 'alice.wia.home', now: NOW })).resolves.toBeUndefined()
    })

    it('encodes the wire keys v, name, key, root, seq, exp, sig', () => {
      const wire = dagCbor.decode<Record<string, unknown>>(encodeNameRecord(record))
      expect(Object.keys(wire).sort()).toEqual(['exp', 'key', 'name', 'root', 'seq', 'sig', 'v'])
    })

    it('signs the prefix followed by the DAG-CBOR map without sig', () => {
      const unsigned = wireOf(record)
      delete unsigned.sig
      const expected = concat([fromString('wia-name-record:v1\n'), dagCbor.encode(unsigned)])
      expect(equals(signingInput(record), expected)).toBe(true)
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
      const other = await createNameRecord({ name: 'alice.wia.home', root, seq: 8, privateKey: mallory, now: NOW })
      expect(ownerKeyId(record)).toBe(peerIdFromPublicKey(alice.publicKey).toString())
      expect(ownerKeyId(record)).toMatch(/^12D3KooW/)
      expect(ownerKeyId(decodeNameRecord(encodeNameRecord(record)))).toBe(ownerKeyId(record))
      expect(ownerKeyId(other)).not.toBe(ownerKeyId(record))
    })
  })

  describe('verifyNameRecord', () => {
    it('rejects a record that claims another key', async () => {
      const forged = { ...record, publicKey: publicKeyToProtobuf(mallory.publicKey) }
      await expect(verifyNameRecord(forged, { now: NOW })).rejects.toMatchObject({ name: 'InvalidSignatureError' })
    })

    it('rejects a record signed by another key than the one it carries', async () => {
      const signature = await mallory.sign(signingInput(record))
      await expect(verifyNameRecord({ ...record, signature }, { now: NOW })).rejects.toMatchObject({ name: 'InvalidSignatureError' })
    })

    it('accepts a record properly signed by another key; ownerKeyId tells them apart', async () => {
      const squatter = await createNameRecord({ name: 'alice.wia.home', root, seq: 99, privateKey: mallory, now: NOW })
      await expect(verifyNameRecord(squatter, { now: NOW })).resolves.toBeUndefined()
      expect(ownerKeyId(squatter)).not.toBe(ownerKeyId(record))
    })

    it('rejects a record for another name than expected', async () => {
      await expect(verifyNameRecord(record, { name: 'bob.wia.home', now: NOW })).rejects.toMatchObject({ name: 'NameMismatchError' })
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
      await expect(verifyNameRecord(altered, { now: NOW })).rejects.toMatchObject({ name: 'InvalidSignatureError' })
    })

    it('rejects an expired record, at and after its expiry time', async () => {
      await expect(verifyNameRecord(record, { now: record.expires - 1 })).resolves.toBeUndefined()
      await expect(verifyNameRecord(record, { now: record.expires })).rejects.toMatchObject({ name: 'RecordExpiredError' })
      await expect(verifyNameRecord(record, { now: record.expires + 1 })).rejects.toMatchObject({ name: 'RecordExpiredError' })
    })

    it('uses the clock when no time is given', async () => {
      const old = await createNameRecord({ name: 'alice.wia.home', root, seq: 1, privateKey: alice, now: Date.now() - 2 * RECORD_VALIDITY_MS })
      const fresh = await createNameRecord({ name: 'alice.wia.home', root, seq: 1, privateKey: alice })
      await expect(verifyNameRecord(old)).rejects.toMatchObject({ name: 'RecordExpiredError' })
      await expect(verifyNameRecord(fresh)).resolves.toBeUndefined()
    })

    it('checks in order: name, expected name, expiry, key, signature', async () => {
      const broken = { ...record, name: 'Alice.wia.home', publicKey: new Uint8Array([1, 2, 3]), signature: new Uint8Array(64) }
      const late = record.expires + 1
      await expect(verifyNameRecord(broken, { name: 'bob.wia.home', now: late })).rejects.toMatchObject({ name: 'InvalidNameError' })
      await expect(verifyNameRecord({ ...broken, name: 'alice.wia.home' }, { name: 'bob.wia.home', now: late })).rejects.toMatchObject({ name: 'NameMismatchError' })
      await expect(verifyNameRecord({ ...broken, name: 'alice.wia.home' }, { now: late })).rejects.toMatchObject({ name: 'RecordExpiredError' })
      await expect(verifyNameRecord({ ...broken, name: 'alice.wia.home' }, { now: NOW })).rejects.toMatchObject({ name: 'MalformedRecordError' })
      await expect(verifyNameRecord({ ...record, signature: new Uint8Array(64) }, { now: NOW })).rejects.toMatchObject({ name: 'InvalidSignatureError' })
    })

    it('rejects a public key that is not Ed25519', async () => {
      const secp = await generateKeyPair('secp256k1')
      const signature = await secp.sign(signingInput({ ...record, publicKey: publicKeyToProtobuf(secp.publicKey) }))
      const other = { ...record, publicKey: publicKeyToProtobuf(secp.publicKey), signature }
      await expect(verifyNameRecord(other, { now: NOW })).rejects.toMatchObject({ name: 'MalformedRecordError' })
    })

    it('rejects a version other than 1', async () => {
      const v2 = { ...record, version: 2 } as unknown as NameRecord
      await expect(verifyNameRecord(v2, { now: NOW })).rejects.toMatchObject({ name: 'UnsupportedRecordVersionError' })
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

    it.each(['v', 'name', 'key', 'root', 'seq', 'exp', 'sig'])('rejects a record without %j as malformed', (key) => {
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
      ['sig', null]
    ])('rejects %j = %j as malformed', (key, value) => {
      const bytes = dagCbor.encode({ ...wireOf(record), [key]: value })
      expect(() => decodeNameRecord(bytes)).toThrow(expect.objectContaining({ name: 'MalformedRecordError' }))
    })

    it('rejects an invalid name', () => {
      const bytes = dagCbor.encode({ ...wireOf(record), name: 'alice.wia.com' })
      expect(() => decodeNameRecord(bytes)).toThrow(expect.objectContaining({ name: 'InvalidNameError' }))
    })
  })

  describe('createNameRecord', () => {
    it('rejects an invalid name', async () => {
      await expect(createNameRecord({ name: 'alice.com', root, seq: 0, privateKey: alice })).rejects.toMatchObject({ name: 'InvalidNameError' })
    })

    it.each([-1, 1.5, Number.NaN, 2 ** 53])('rejects seq %j', async (seq) => {
      await expect(createNameRecord({ name: 'alice.wia.home', root, seq, privateKey: alice })).rejects.toMatchObject({ name: 'MalformedRecordError' })
    })

    it.each([0, -1, Number.POSITIVE_INFINITY, Number.NaN])('rejects validityMs %j', async (validityMs) => {
      await expect(createNameRecord({ name: 'alice.wia.home', root, seq: 0, privateKey: alice, validityMs })).rejects.toMatchObject({ name: 'MalformedRecordError' })
    })

    it('rejects a key that is not Ed25519', async () => {
      const secp = await generateKeyPair('secp256k1')
      await expect(createNameRecord({ name: 'alice.wia.home', root, seq: 0, privateKey: secp })).rejects.toMatchObject({ name: 'MalformedRecordError' })
    })

    it('refuses to create or encode a record too large for peers to accept', async () => {
      const hugeRoot = CID.create(1, raw.code, identity.digest(new Uint8Array(MAX_RECORD_BYTES)))
      await expect(createNameRecord({ name: 'alice.wia.home', root: hugeRoot, seq: 0, privateKey: alice })).rejects.toMatchObject({ name: 'RecordTooLargeError' })
      expect(() => encodeNameRecord({ ...record, root: hugeRoot })).toThrow(expect.objectContaining({ name: 'RecordTooLargeError' }))
    })
  })
})
