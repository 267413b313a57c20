import { createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto'
import { defaultCrypto } from '@libp2p/noise/crypto'
import { result } from './report.js'
import { summarize } from './stats.js'
import type { BenchResult } from './report.js'

/** Shared keys per sample. */
const KEYS_PER_SAMPLE = 1_000
/** DER wrappers of raw X25519 keys (RFC 8410), as @libp2p/noise 17.0.3 builds them. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex')

/** @libp2p/noise 17.0.3's X25519 shared key as published: both keys wrapped in DER and parsed by OpenSSL. */
function sharedKeyThroughDer (privateKey: Uint8Array, publicKey: Uint8Array): Buffer {
  return diffieHellman({
    publicKey: createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), type: 'spki', format: 'der' }),
    privateKey: createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, privateKey]), type: 'pkcs8', format: 'der' })
  })
}

function timePerKey (sharedKey: (privateKey: Uint8Array, publicKey: Uint8Array) => Uint8Array, reps: number): number[] {
  const a = defaultCrypto.generateX25519KeyPair()
  const b = defaultCrypto.generateX25519KeyPair()
  const samples: number[] = []
  for (let r = 0; r < reps; r++) {
    const start = performance.now()
    for (let i = 0; i < KEYS_PER_SAMPLE; i++) sharedKey(a.privateKey, b.publicKey)
    samples.push((performance.now() - start) * 1000 / KEYS_PER_SAMPLE)
  }
  return samples
}

/**
 * The X25519 shared key a relay computes three times in every inbound noise
 * handshake (`ee`, `es`, `se`): our patched @libp2p/noise (raw keys imported
 * as JWK, `patches/@libp2p+noise+17.0.3.patch`) beside the published one
 * (keys wrapped in DER), in the same run. Times in µs per key.
 */
export async function benchNoiseSharedKey (reps: number): Promise<BenchResult> {
  const baseline = timePerKey(sharedKeyThroughDer, reps)
  const measured = timePerKey((privateKey, publicKey) => defaultCrypto.generateX25519SharedKey(privateKey, publicKey), reps)
  return result({
    id: 'noise-shared-key',
    what: 'noise X25519 shared key, relay (patched: raw key import)',
    unit: 'µs',
    measured: summarize(measured),
    baseline: { what: '@libp2p/noise 17.0.3 as published (DER import)', summary: summarize(baseline) },
    notes: 'Three per inbound handshake; OpenSSL 3 parses DER keys through its provider decoders (docs/upstream.md).'
  })
}
