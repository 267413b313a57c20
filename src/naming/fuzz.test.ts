/**
 * Fuzz test of the DHT validator: mutants of valid records (byte-level and
 * structural, never re-signed) must all be rejected with a named error.
 * The PRNG is seeded, so a failure reproduces: the report names the seed,
 * the mutant's index and the mutation.
 */

import * as dagCbor from '@ipld/dag-cbor'
import { generateKeyPairFromSeed, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { concat, equals, fromString, toString } from 'uint8arrays'
import { describe, it, expect, beforeAll } from 'vitest'
import { createNameRecordValidator, nameRecordKey } from './dht.js'
import * as errors from './errors.js'
import { leadingZeroBits, proofHash } from './pow.js'
import { createNameRecord, encodeNameRecord } from './record.js'
import { createTransfer, decodeTransfer, encodeTransfer, verifyTransfer } from './transfer.js'
import type { ProofOfWork } from './pow.js'
import type { NameRecord } from './record.js'

const SEED = 0x5eed_1234
const MUTANTS = 12_000
const NOW = Date.UTC(2026, 0, 1)
const BITS = 8

/** Every error class name the naming module throws */
const NAMED_ERRORS = new Set(Object.values(errors).map(ErrorClass => ErrorClass.name))

/** xorshift32: small, fast and reproducible */
function xorshift (seed: number): () => number {
  let state = seed >>> 0 || 1
  return () => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state
  }
}

interface Original {
  bytes: Uint8Array
  record: NameRecord
}

type Wire = Record<string, unknown>

describe('fuzz: the validator rejects every mutant of a valid record', () => {
  const validate = createNameRecordValidator({ minPowBits: BITS, now: () => NOW })
  const originals: Original[] = []
  let otherKey: Uint8Array
  let otherCid: CID

  beforeAll(async () => {
    const keys = await Promise.all([1, 2, 3].map(async n => generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(n))))
    const [alice, bob, carol] = keys as [typeof keys[0], typeof keys[0], typeof keys[0]]
    const root = CID.create(1, raw.code, await sha256.digest(fromString('fuzz site')))
    otherCid = CID.create(1, raw.code, await sha256.digest(fromString('other site')))
    otherKey = publicKeyToProtobuf(carol.publicKey)
    // the first counter nonce that works, so the originals are the same in every run
    const proofOf = async (name: string, key: typeof alice): Promise<ProofOfWork> => {
      const publicKey = publicKeyToProtobuf(key.publicKey)
      for (let counter = 0; ; counter++) {
        const nonce = Uint8Array.of(counter >>> 24, counter >>> 16 & 0xff, counter >>> 8 & 0xff, counter & 0xff)
        if (leadingZeroBits(proofHash(name, publicKey, nonce)) >= BITS) {
          return { nonce, bits: BITS }
        }
      }
    }

    const plain = await createNameRecord({ name: 'alice.wia.home', root, seq: 3, privateKey: alice, now: NOW, proof: await proofOf('alice.wia.home', alice) })
    const transfer = await createTransfer({ name: 'alice.wia.home', to: publicKeyToProtobuf(bob.publicKey), seq: 4, privateKey: alice })
    const transferred = await createNameRecord({ name: 'alice.wia.home', root, seq: 5, privateKey: bob, now: NOW, proof: plain.proof, transfer })
    const other = await createNameRecord({ name: 'x-1.wia.blog', root: otherCid, seq: 0, privateKey: carol, now: NOW, validityMs: 60_000, proof: await proofOf('x-1.wia.blog', carol) })

    for (const record of [plain, transferred, other]) {
      originals.push({ record, bytes: encodeNameRecord(record) })
    }
  })

  it('accepts the originals', async () => {
    for (const { record, bytes } of originals) {
      await expect(validate(nameRecordKey(record.name), bytes)).resolves.toBeUndefined()
    }
  })

  it(`rejects ${MUTANTS} seeded mutants with named errors`, async () => {
    const next = xorshift(SEED)
    const int = (n: number): number => next() % Math.max(n, 1)
    const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T
    const randomBytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => next() & 0xff)

    const byteMutations: Record<string, (b: Uint8Array) => Uint8Array> = {
      flipBits: b => {
        const out = Uint8Array.from(b)
        for (let i = 0, n = 1 + int(4); i < n; i++) {
          const at = int(out.length)
          out[at] = (out[at] ?? 0) ^ (1 << int(8))
        }
        return out
      },
      overwrite: b => {
        const out = Uint8Array.from(b)
        for (let i = 0, n = 1 + int(8); i < n; i++) {
          out[int(out.length)] = next() & 0xff
        }
        return out
      },
      insert: b => {
        const at = int(b.length + 1)
        return concat([b.subarray(0, at), randomBytes(1 + int(8)), b.subarray(at)])
      },
      delete: b => {
        const at = int(b.length)
        return concat([b.subarray(0, at), b.subarray(at + 1 + int(8))])
      },
      truncate: b => b.subarray(0, int(b.length)),
      duplicateSlice: b => {
        const start = int(b.length)
        const end = start + 1 + int(Math.min(32, b.length - start))
        const at = int(b.length + 1)
        return concat([b.subarray(0, at), b.subarray(start, end), b.subarray(at)])
      },
      splice: b => {
        const other = pick(originals).bytes
        return concat([b.subarray(0, int(b.length)), other.subarray(int(other.length))])
      },
      random: () => randomBytes(int(300))
    }

    // change one field of the wire map, then re-encode without re-signing
    const fieldMutations: Record<string, (w: Wire) => void> = {
      seqUp: w => { w.seq = (w.seq as number) + 1 + int(1000) },
      seqDown: w => { w.seq = Math.max(0, (w.seq as number) - 1 - int(3)) },
      expLater: w => { w.exp = (w.exp as number) + 1 + int(1e9) },
      expEarlier: w => { w.exp = (w.exp as number) - 1 - int(1e9) },
      root: w => { w.root = otherCid },
      name: w => { w.name = pick(['alice.wia.shop', 'bob.wia.home', 'x-1.wia.blog', 'alice.wia.home', 'Alice.wia.home', 'xn--80ak6aa92e.wia.home']) },
      key: w => { w.key = otherKey },
      keyByte: w => { w.key = flipOne(w.key as Uint8Array) },
      powNonce: w => { w.pow = { ...(w.pow as Wire), n: flipOne((w.pow as Wire).n as Uint8Array) } },
      powNonceLength: w => { w.pow = { ...(w.pow as Wire), n: randomBytes(int(40)) } },
      powBits: w => { w.pow = { ...(w.pow as Wire), bits: pick([0, 7, 9, 16, 64, 65, -1, 8.5]) } },
      powDropped: w => { delete w.pow },
      xferFrom: w => { w.xfer = { ...xferOf(w), from: otherKey } },
      xferSeq: w => { w.xfer = { ...xferOf(w), seq: int(10) } },
      xferSig: w => { w.xfer = { ...xferOf(w), sig: flipOne(xferOf(w).sig as Uint8Array) } },
      xferDropped: w => { delete w.xfer },
      xferExtra: w => { w.xfer = { ...xferOf(w), to: otherKey } },
      extraKey: w => { w[pick(['x', 'ipns', 'sig2', 'vv'])] = int(100) },
      version: w => { w.v = pick([0, 2, '1']) },
      sig: w => { w.sig = flipOne(w.sig as Uint8Array) },
      sigDropped: w => { delete w.sig }
    }

    function flipOne (bytes: Uint8Array): Uint8Array {
      const out = Uint8Array.from(bytes)
      const at = int(out.length)
      out[at] = (out[at] ?? 0) ^ (1 << int(8))
      return out
    }

    function xferOf (w: Wire): Wire {
      // a record without a transfer gets a made-up one, signed by nobody
      return (w.xfer as Wire | undefined) ?? { from: otherKey, seq: 0, sig: randomBytes(64) }
    }

    const byteNames = Object.keys(byteMutations)
    const fieldNames = Object.keys(fieldMutations)
    const counts = new Map<string, number>()
    const failures: string[] = []
    let rejected = 0
    let skipped = 0

    for (let i = 0; i < MUTANTS; i++) {
      const original = pick(originals)
      let mutation: string
      let mutant: Uint8Array

      if (int(3) === 0) {
        mutation = pick(fieldNames)
        const wire = dagCbor.decode<Wire>(original.bytes)
        fieldMutations[mutation]?.(wire)
        mutant = dagCbor.encode(wire)
      } else {
        mutation = pick(byteNames)
        mutant = byteMutations[mutation]?.(original.bytes) ?? original.bytes
      }

      if (originals.some(o => equals(o.bytes, mutant))) {
        skipped++
        continue
      }

      try {
        await validate(nameRecordKey(original.record.name), mutant)
        failures.push(`#${i} ${mutation}: accepted ${toString(mutant, 'base16')}`)
      } catch (err) {
        if (!(err instanceof Error) || !NAMED_ERRORS.has(err.name)) {
          failures.push(`#${i} ${mutation}: threw ${String((err as Error)?.name)} ${String(err)} for ${toString(mutant, 'base16')}`)
        } else {
          rejected++
          counts.set(err.name, (counts.get(err.name) ?? 0) + 1)
        }
      }
    }

    expect(failures.slice(0, 5), `seed ${SEED}: ${failures.length} mutants not rejected with a named error`).toEqual([])
    expect(rejected + skipped).toBe(MUTANTS)
    expect(rejected).toBeGreaterThanOrEqual(10_000)
    // the mutants reach every stage of validation
    for (const name of ['MalformedRecordError', 'InvalidSignatureError', 'InvalidNameError', 'NameMismatchError', 'UnsupportedRecordVersionError']) {
      expect(counts.get(name) ?? 0, name).toBeGreaterThan(0)
    }
  }, 60_000)

  it('rejects mutated transfer tokens with named errors', async () => {
    const alice = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(1))
    const token = encodeTransfer(await createTransfer({ name: 'alice.wia.home', to: otherKey, seq: 4, privateKey: alice }))
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= '
    const next = xorshift(SEED + 1)
    const failures: string[] = []
    let rejected = 0

    for (let i = 0; i < 2000; i++) {
      const chars = [...token]
      for (let j = 0, n = 1 + next() % 3; j < n; j++) {
        const at = next() % (chars.length + 1)
        const op = next() % 3
        const c = alphabet[next() % alphabet.length] ?? 'A'
        if (op === 0) chars[at] = c
        else if (op === 1) chars.splice(at, 0, c)
        else chars.splice(at, 1)
      }
      const mutant = chars.join('')
      if (mutant.trim() === token) continue
      try {
        await verifyTransfer(decodeTransfer(mutant))
        failures.push(`#${i}: accepted ${mutant}`)
      } catch (err) {
        if (!(err instanceof Error) || !NAMED_ERRORS.has(err.name)) {
          failures.push(`#${i}: threw ${String(err)} for ${mutant}`)
        } else {
          rejected++
        }
      }
    }

    expect(failures.slice(0, 5)).toEqual([])
    expect(rejected).toBeGreaterThan(1900)
  })
})
