import { defaultCrypto, pureJsCrypto } from '@libp2p/noise/crypto'
import { Uint8ArrayList } from 'uint8arraylist'
import { describe, expect, it } from 'vitest'

/**
 * `patches/@libp2p+noise+17.0.3.patch` imports X25519 keys into Node's
 * crypto as raw keys (JWK) instead of DER (docs/upstream.md): the shared key
 * must stay what X25519 (RFC 7748) gives, as the pure-JS implementation
 * (@noble/curves) computes it.
 */
describe('noise X25519 shared key (patched)', () => {
  it('agrees with the pure-JS X25519 and with the other side, for whole and chunked keys', () => {
    for (let i = 0; i < 20; i++) {
      const a = defaultCrypto.generateX25519KeyPair()
      const b = defaultCrypto.generateX25519KeyPair()
      const shared = defaultCrypto.generateX25519SharedKey(a.privateKey, b.publicKey)
      expect(shared).toHaveLength(32)
      expect(Buffer.from(shared)).toEqual(Buffer.from(pureJsCrypto.generateX25519SharedKey(a.privateKey, b.publicKey)))
      expect(Buffer.from(defaultCrypto.generateX25519SharedKey(b.privateKey, a.publicKey))).toEqual(Buffer.from(shared))
      const chunked = (key: Uint8Array): Uint8ArrayList => new Uint8ArrayList(key.subarray(0, 7), key.subarray(7))
      expect(Buffer.from(defaultCrypto.generateX25519SharedKey(chunked(a.privateKey), chunked(b.publicKey)))).toEqual(Buffer.from(shared))
    }
  })

  it('refuses a key of the wrong length', () => {
    const a = defaultCrypto.generateX25519KeyPair()
    expect(() => defaultCrypto.generateX25519SharedKey(a.privateKey, new Uint8Array(31))).toThrow()
    expect(() => defaultCrypto.generateX25519SharedKey(new Uint8Array(33), a.publicKey)).toThrow()
  })
})
