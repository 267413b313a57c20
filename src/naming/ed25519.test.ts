import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { describe, expect, it } from 'vitest'
import { ed25519KeyFromProtobuf, verifyEd25519 } from './ed25519.js'

describe('Ed25519 through WebCrypto', () => {
  it('reads a libp2p protobuf key and checks its signatures', async () => {
    const key = await generateKeyPair('Ed25519')
    const raw = ed25519KeyFromProtobuf(publicKeyToProtobuf(key.publicKey), 'the key')
    expect(raw).toEqual(key.publicKey.raw)
    const data = new TextEncoder().encode('wia-name-record:v1\nhello')
    const signature = await key.sign(data)
    expect(await verifyEd25519(raw, data, signature)).toBe(true)
    const altered = data.slice()
    altered[0] = altered[0]! ^ 1
    expect(await verifyEd25519(raw, altered, signature)).toBe(false)
  })

  it('names another key type, and refuses bytes that are not a key', async () => {
    const secp = await generateKeyPair('secp256k1')
    expect(() => ed25519KeyFromProtobuf(publicKeyToProtobuf(secp.publicKey), 'The key')).toThrow(/is a secp256k1 key; only Ed25519 keys are accepted/)
    expect(() => ed25519KeyFromProtobuf(new Uint8Array([8, 1, 18, 3, 1, 2, 3]), 'The key')).toThrow(/The key cannot be read/)
    expect(() => ed25519KeyFromProtobuf(new Uint8Array(), 'The key')).toThrow(/cannot be read/)
  })
})
