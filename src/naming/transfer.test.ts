import * as dagCbor from '@ipld/dag-cbor'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { concat, equals, fromString, toString } from 'uint8arrays'
import { describe, it, expect, beforeAll } from 'vitest'
import { createTransfer, decodeTransfer, encodeTransfer, transferSigningInput, verifyTransfer } from './transfer.js'
import type { TransferAuthorization } from './transfer.js'
import type { Ed25519PrivateKey } from '@libp2p/interface'

const NAME = 'alice.wia.home'

function tokenOf (fields: Record<string, unknown>): string {
  return toString(dagCbor.encode(fields), 'base64url')
}

function fieldsOf (t: TransferAuthorization): Record<string, unknown> {
  return { name: t.name, to: t.to, seq: t.seq, from: t.from, sig: t.signature }
}

describe('transfers', () => {
  let alice: Ed25519PrivateKey
  let bob: Ed25519PrivateKey
  let mallory: Ed25519PrivateKey
  let bobKey: Uint8Array
  let transfer: TransferAuthorization

  beforeAll(async () => {
    alice = await generateKeyPair('Ed25519')
    bob = await generateKeyPair('Ed25519')
    mallory = await generateKeyPair('Ed25519')
    bobKey = publicKeyToProtobuf(bob.publicKey)
    transfer = await createTransfer({ name: NAME, to: bobKey, seq: 5, privateKey: alice })
  })

  it('signs the prefix followed by the DAG-CBOR map { name, to, seq } with the old owner\'s key', async () => {
    const input = concat([fromString('wia-transfer:v1\n'), dagCbor.encode({ name: NAME, to: bobKey, seq: 5 })])
    expect(equals(transferSigningInput(transfer), input)).toBe(true)
    expect(equals(transfer.from, publicKeyToProtobuf(alice.publicKey))).toBe(true)
    expect(await alice.publicKey.verify(input, transfer.signature)).toBe(true)
  })

  it('verifies a transfer from the old owner', async () => {
    await expect(verifyTransfer(transfer)).resolves.toBeUndefined()
  })

  it.each([
    ['name', (t: TransferAuthorization): TransferAuthorization => ({ ...t, name: 'alice.wia.shop' })],
    ['to', (t: TransferAuthorization): TransferAuthorization => ({ ...t, to: publicKeyToProtobuf(mallory.publicKey) })],
    ['seq', (t: TransferAuthorization): TransferAuthorization => ({ ...t, seq: 6 })],
    ['from', (t: TransferAuthorization): TransferAuthorization => ({ ...t, from: publicKeyToProtobuf(mallory.publicKey) })],
    ['signature', (t: TransferAuthorization): TransferAuthorization => ({ ...t, signature: new Uint8Array(64) })]
  ])('rejects a transfer whose %s changed after signing', async (_field, alter) => {
    await expect(verifyTransfer(alter(transfer))).rejects.toMatchObject({ name: 'InvalidSignatureError' })
  })

  it('rejects a transfer signed by another key than its from', async () => {
    const signature = await mallory.sign(transferSigningInput(transfer))
    await expect(verifyTransfer({ ...transfer, signature })).rejects.toMatchObject({ name: 'InvalidSignatureError' })
  })

  it('rejects unreadable or non-Ed25519 keys as malformed', async () => {
    const secp = await generateKeyPair('secp256k1')
    await expect(verifyTransfer({ ...transfer, from: new Uint8Array([1, 2]) })).rejects.toMatchObject({ name: 'MalformedRecordError' })
    await expect(verifyTransfer({ ...transfer, to: publicKeyToProtobuf(secp.publicKey) })).rejects.toMatchObject({ name: 'MalformedRecordError' })
  })

  it('round-trips through a compact base64url token', () => {
    const token = encodeTransfer(transfer)
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(token.length).toBeLessThan(400)
    expect(decodeTransfer(token)).toEqual(transfer)
    expect(decodeTransfer(`  ${token}\n`)).toEqual(transfer)
    expect(dagCbor.decode(fromString(token, 'base64url'))).toEqual(fieldsOf(transfer))
  })

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+def/'],
    ['padded', `${'A'.repeat(8)}==`],
    ['not CBOR', 'AAAA'],
    ['too long', 'A'.repeat(1025)]
  ])('rejects a token that is %s', (_what, token) => {
    expect(() => decodeTransfer(token)).toThrow(expect.objectContaining({ name: 'MalformedRecordError' }))
  })

  it('rejects a truncated token', () => {
    const token = encodeTransfer(transfer)
    expect(() => decodeTransfer(token.slice(0, -10))).toThrow(expect.objectContaining({ name: 'MalformedRecordError' }))
  })

  it.each([
    ['a list', (): string => toString(dagCbor.encode([1, 2]), 'base64url')],
    ['a missing field', (): string => { const f = fieldsOf(transfer); delete f.sig; return tokenOf(f) }],
    ['an extra field', (): string => tokenOf({ ...fieldsOf(transfer), v: 1 })],
    ['seq as text', (): string => tokenOf({ ...fieldsOf(transfer), seq: '5' })],
    ['a negative seq', (): string => tokenOf({ ...fieldsOf(transfer), seq: -1 })],
    ['to as text', (): string => tokenOf({ ...fieldsOf(transfer), to: 'bob' })],
    ['name as bytes', (): string => tokenOf({ ...fieldsOf(transfer), name: fromString(NAME) })]
  ])('rejects a token with %s', (_what, token) => {
    expect(() => decodeTransfer(token())).toThrow(expect.objectContaining({ name: 'MalformedRecordError' }))
  })

  it('rejects a non-canonical token (map keys out of order)', () => {
    const entries = Object.entries(fieldsOf(transfer)).reverse()
    const parts: Uint8Array[] = [new Uint8Array([0xa0 + entries.length])]
    for (const [key, value] of entries) {
      parts.push(dagCbor.encode(key), dagCbor.encode(value))
    }
    const reordered = toString(concat(parts), 'base64url')
    expect(reordered).not.toBe(encodeTransfer(transfer))
    expect(() => decodeTransfer(reordered)).toThrow(expect.objectContaining({ name: 'MalformedRecordError', message: expect.stringContaining('canonical') }))
  })

  it('rejects a token with an invalid name', () => {
    expect(() => decodeTransfer(tokenOf({ ...fieldsOf(transfer), name: 'Alice.wia.home' }))).toThrow(expect.objectContaining({ name: 'InvalidNameError' }))
  })

  it('decodes a token whose signature was changed, and verification refuses it', async () => {
    const decoded = decodeTransfer(tokenOf({ ...fieldsOf(transfer), seq: 9 }))
    await expect(verifyTransfer(decoded)).rejects.toMatchObject({ name: 'InvalidSignatureError' })
  })

  describe('createTransfer', () => {
    it('rejects an invalid name, seq or key', async () => {
      const secp = await generateKeyPair('secp256k1')
      await expect(createTransfer({ name: 'alice.com', to: bobKey, seq: 1, privateKey: alice })).rejects.toMatchObject({ name: 'InvalidNameError' })
      await expect(createTransfer({ name: NAME, to: bobKey, seq: -1, privateKey: alice })).rejects.toMatchObject({ name: 'MalformedRecordError' })
      await expect(createTransfer({ name: NAME, to: bobKey, seq: 1, privateKey: secp })).rejects.toMatchObject({ name: 'MalformedRecordError' })
      await expect(createTransfer({ name: NAME, to: new Uint8Array(3), seq: 1, privateKey: alice })).rejects.toMatchObject({ name: 'MalformedRecordError' })
    })

    it('refuses a transfer to the owner\'s own key', async () => {
      await expect(createTransfer({ name: NAME, to: publicKeyToProtobuf(alice.publicKey), seq: 1, privateKey: alice })).rejects.toMatchObject({ name: 'MalformedRecordError' })
    })
  })
})
