import { describe, expect, it } from 'vitest'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { toString } from 'uint8arrays'
import { createNameRecord, encodeNameRecord, nameRecordKey, solveProofOfWork } from '../src/naming/index.js'
import { createTestClock } from './clock.js'
import { RECORD_REFRESH_INTERVAL_MS, refreshRecords, startRecordKeeper } from './record-keeper.js'
import { NameRegistry } from './registry.js'
import type { QueryEvent } from '@libp2p/kad-dht'

const BITS = 4

async function record (name: string, validityMs: number): Promise<Uint8Array> {
  const privateKey = await generateKeyPair('Ed25519')
  const proof = await solveProofOfWork({ name, publicKey: publicKeyToProtobuf(privateKey.publicKey), bits: BITS })
  const root = CID.create(1, raw.code, await sha256.digest(new TextEncoder().encode(name)))
  return encodeNameRecord(await createNameRecord({ name, root, seq: 0, proof, privateKey, validityMs }))
}

describe('refreshRecords', () => {
  it('puts every unexpired record the registry holds back into the DHT, and no expired one', async () => {
    let clock = Date.now()
    const registry = new NameRegistry({ datastore: new MemoryDatastore(), minPowBits: BITS, now: () => clock })
    const live = await record('live.wia.home', 60 * 60_000)
    const ending = await record('ending.wia.home', 1_000)
    await registry.validate(nameRecordKey('live.wia.home'), live)
    await registry.validate(nameRecordKey('ending.wia.home'), ending)

    const puts: Array<{ key: string, value: string }> = []
    const dht = {
      put (key: Uint8Array, value: Uint8Array): AsyncGenerator<QueryEvent> {
        puts.push({ key: toString(key), value: toString(value, 'base64') })
        return (async function * () {})()
      }
    }
    clock += 2_000 // 'ending' has expired, 'live' has not
    expect(await refreshRecords({ dht, registry }, clock)).toBe(1)
    expect(puts).toEqual([{ key: '/wia/live.wia.home', value: toString(live, 'base64') }])
  })

  it('re-puts on the relay clock\'s schedule: a clock running faster re-puts as much more often in real time', async () => {
    const registry = new NameRegistry({ datastore: new MemoryDatastore(), minPowBits: BITS })
    // valid 30 days: 2.4 real seconds of this clock
    await registry.validate(nameRecordKey('live.wia.home'), await record('live.wia.home', 30 * 24 * 60 * 60_000))
    const dht = { put: (): AsyncGenerator<QueryEvent> => (async function * () {})() }
    // 12 h of this clock last 40 real ms
    const clock = createTestClock({ scale: RECORD_REFRESH_INTERVAL_MS / 40, epochMs: Date.now(), offsetMs: 0 })
    const rounds: number[] = []
    const stop = startRecordKeeper({ dht, registry, clock }, count => rounds.push(count))
    await new Promise(resolve => setTimeout(resolve, 250))
    stop()
    // the round at start, then one every 40 ms (timers on a busy machine run late, never early)
    expect(rounds.length).toBeGreaterThanOrEqual(3)
    expect(rounds.length).toBeLessThanOrEqual(7)
    expect(new Set(rounds)).toEqual(new Set([1]))
  })
})
