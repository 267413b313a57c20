import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { resolveNameRecord } from './dht-client.js'
import { createNameRecord, encodeNameRecord } from './record.js'
import { solveProofOfWork } from './pow.js'
import type { KadDHT, QueryEvent } from '@libp2p/kad-dht'
import type { PeerId, PrivateKey } from '@libp2p/interface'

const NAME = 'alice.wia.home'
const BITS = 4

async function peer (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

async function recordBytes (owner: PrivateKey, seq: number): Promise<Uint8Array> {
  const proof = await solveProofOfWork({ name: NAME, publicKey: publicKeyToProtobuf(owner.publicKey), bits: BITS })
  const root = CID.create(1, raw.code, await sha256.digest(new TextEncoder().encode(`v${seq}`)))
  return encodeNameRecord(await createNameRecord({ name: NAME, root, seq, proof, privateKey: owner }))
}

function answer (from: PeerId, value: Uint8Array): QueryEvent {
  return { name: 'PEER_RESPONSE', type: 1, from, record: { value }, closer: [], providers: [] } as unknown as QueryEvent
}

/**
 * A stand-in for kad-dht's `get` that replays `events` in order, then (like
 * kad-dht) a final VALUE repeating the best one; it records how many events
 * the resolver consumed before it stopped the query.
 */
function fakeDHT (events: QueryEvent[]): { dht: KadDHT, consumed: () => number } {
  let consumed = 0
  const dht = {
    async * get (_key: Uint8Array, options: { signal?: AbortSignal } = {}) {
      for (const event of events) {
        if (options.signal?.aborted === true) return
        consumed++
        yield event
      }
      const last = events.at(-1) as { from: PeerId, record: { value: Uint8Array } } | undefined
      if (last != null) yield { name: 'VALUE', type: 2, from: last.from, value: last.record.value } as unknown as QueryEvent
    }
  } as unknown as KadDHT
  return { dht, consumed: () => consumed }
}

describe('resolveNameRecord', () => {
  it('with a pinned owner, takes the first valid answer under that key and stops the query there', async () => {
    const owner = await generateKeyPair('Ed25519')
    const good = await recordBytes(owner, 3)
    const { dht, consumed } = fakeDHT([
      answer(await peer(), new Uint8Array([1, 2, 3])), // malformed: skipped
      answer(await peer(), good),
      answer(await peer(), good),
      answer(await peer(), good)
    ])
    const { record, pinned } = await resolveNameRecord(dht, NAME, { minPowBits: BITS, pinnedOwner: publicKeyToProtobuf(owner.publicKey) })
    expect(record.seq).toBe(3)
    expect(pinned).toBe('match')
    expect(consumed()).toBe(2)
  })

  it('counts each peer once: a repeated answer does not outvote two other peers', async () => {
    const first = await generateKeyPair('Ed25519')
    const second = await generateKeyPair('Ed25519')
    const loud = await peer()
    const { dht } = fakeDHT([
      answer(loud, await recordBytes(first, 1)),
      answer(await peer(), await recordBytes(second, 1)),
      answer(await peer(), await recordBytes(second, 1)),
      answer(loud, await recordBytes(first, 1))
    ])
    const { record } = await resolveNameRecord(dht, NAME, { minPowBits: BITS })
    expect(record.publicKey).toEqual(publicKeyToProtobuf(second.publicKey))
  })

  it('reports why when every answer was invalid, and skips its own stored copy', async () => {
    const self = await peer()
    const owner = await generateKeyPair('Ed25519')
    const { dht } = fakeDHT([
      answer(self, await recordBytes(owner, 1)),
      answer(await peer(), new Uint8Array([0xa1, 0x61, 0x78, 0x01]))
    ])
    await expect(resolveNameRecord(dht, NAME, { minPowBits: BITS, self })).rejects.toMatchObject({ name: 'MalformedRecordError' })
  })
})
