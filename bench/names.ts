import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { sha256 } from '@noble/hashes/sha2.js'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 as sha256Hasher } from 'multiformats/hashes/sha2'
import { DEFAULT_POW_BITS, createNameRecord, formatName, putNameRecord, resolveNameRecord, solveProofOfWork } from '../src/naming/index.js'
import { TEST_POW_BITS, startRelay } from '../e2e/support/relay-process.js'
import { startBenchClient } from './node-client.js'
import type { BenchClient } from './node-client.js'
import type { PeerId } from '@libp2p/interface'
import { result } from './report.js'
import { summarize } from './stats.js'
import type { BenchResult } from './report.js'
import type { RelayProcess } from '../e2e/support/relay-process.js'

/**
 * Proof of work at the default difficulty, in Node (V8, as in Chromium) —
 * beside the time the same number of raw SHA-256 hashes takes (2^bits, the
 * expected work), measured in the same run.
 */
export async function benchProofOfWork (reps: number): Promise<BenchResult> {
  const key = await generateKeyPair('Ed25519')
  const publicKey = publicKeyToProtobuf(key.publicKey)
  const times: number[] = []
  for (let i = 0; i < reps; i++) {
    const start = performance.now()
    await solveProofOfWork({ name: formatName(`pow-${i}`, 'home'), publicKey, bits: DEFAULT_POW_BITS })
    times.push(performance.now() - start)
  }
  const expected = 2 ** DEFAULT_POW_BITS
  const input = new Uint8Array(40)
  const rawTimes: number[] = []
  for (let r = 0; r < 3; r++) {
    const start = performance.now()
    for (let i = 0; i < expected; i++) {
      input[0] = i
      sha256(input)
    }
    rawTimes.push(performance.now() - start)
  }
  return result({
    id: 'pow-default',
    what: `proof of work, ${DEFAULT_POW_BITS} bits (new name)`,
    unit: 'ms',
    measured: summarize(times),
    baseline: { what: `2^${DEFAULT_POW_BITS} raw SHA-256 hashes`, summary: summarize(rawTimes) },
    target: 'a few seconds on a phone',
    notes: 'The number of hashes a solve needs is geometric with mean 2^bits, so single solves vary widely.'
  })
}

/**
 * Round trips (ms) of 32-byte messages on one ping stream to the relay: the
 * relay's ping handler echoes what it reads, so each sample is one plain
 * request/response on the same connection, without opening a stream each time.
 */
async function echoRoundTrips (client: BenchClient, relay: PeerId, count: number): Promise<number[]> {
  const stream = await client.dialProtocol(relay, '/ipfs/ping/1.0.0', { signal: AbortSignal.timeout(5_000) })
  const times: number[] = []
  try {
    for (let i = 0; i < count; i++) {
      const data = crypto.getRandomValues(new Uint8Array(32))
      let received = 0
      const echoed = new Promise<void>(resolve => {
        const onMessage = (evt: { data: { byteLength: number } }): void => {
          received += evt.data.byteLength
          if (received >= data.byteLength) {
            stream.removeEventListener('message', onMessage)
            resolve()
          }
        }
        stream.addEventListener('message', onMessage)
      })
      const start = performance.now()
      stream.send(data)
      await echoed
      times.push(performance.now() - start)
    }
  } finally {
    await stream.close()
  }
  return times
}

/**
 * Name resolution latency through the WIA DHT from a client connected to one
 * relay, with `relayCount` relay processes in one DHT; beside a ping round
 * trip to that relay on the same connection.
 */
export async function benchResolution (relayCount: number, lookups: number): Promise<BenchResult[]> {
  const relays: RelayProcess[] = []
  const pow = ['--pow-bits', String(TEST_POW_BITS), '--no-app']
  try {
    const first = await startRelay({ extraArgs: pow })
    relays.push(first)
    for (let i = 1; i < relayCount; i++) {
      relays.push(await startRelay({ extraArgs: [...pow, '--bootstrap', first.relayAddrs[0]!] }))
    }
    await new Promise(resolve => setTimeout(resolve, 3000))
    const publisher = await startBenchClient(relays[relays.length - 1]!.relayAddrs[0]!, TEST_POW_BITS)
    const visitorRelay = relays[0]!.relayAddrs[0]!
    const visitor = await startBenchClient(visitorRelay, TEST_POW_BITS)
    try {
      const owner = await generateKeyPair('Ed25519')
      const name = formatName(`bench-${Date.now().toString(36)}`, 'home')
      const proof = await solveProofOfWork({ name, publicKey: publicKeyToProtobuf(owner.publicKey), bits: TEST_POW_BITS })
      const root = CID.create(1, raw.code, await sha256Hasher.digest(new TextEncoder().encode(name)))
      const record = await createNameRecord({ name, root, seq: 0, proof, privateKey: owner })
      const { accepted } = await putNameRecord(publisher.services.dht, record)
      console.error(`bench: record stored by ${accepted} of ${relayCount} relays`)

      const full: number[] = []
      const pinned: number[] = []
      const rtt: number[] = []
      const relayPeer = peerIdFromString(multiaddr(visitorRelay).getComponents().find(c => c.name === 'p2p')!.value!)
      for (let i = 0; i < lookups; i++) {
        let start = performance.now()
        await resolveNameRecord(visitor.services.dht, name, { minPowBits: TEST_POW_BITS })
        full.push(performance.now() - start)
        start = performance.now()
        await resolveNameRecord(visitor.services.dht, name, { minPowBits: TEST_POW_BITS, pinnedOwner: record.publicKey })
        pinned.push(performance.now() - start)
      }
      rtt.push(...await echoRoundTrips(visitor, relayPeer, lookups))
      const baseline = { what: 'one request/response round trip to the relay (same connection)', summary: summarize(rtt) }
      const p99 = (samples: number[]): number => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.ceil(0.99 * samples.length) - 1)]!
      return [
        result({
          id: `resolve-first-visit-${relayCount}`,
          what: `name resolution, first visit (whole query), ${relayCount} relay${relayCount === 1 ? '' : 's'}`,
          unit: 'ms',
          measured: summarize(full),
          baseline,
          target: 'p50 ≤ 20 ms, p99 ≤ 100 ms',
          notes: `p99 ${p99(full).toFixed(1)} ms; relays are separate processes`
        }),
        result({
          id: `resolve-pinned-${relayCount}`,
          what: `name resolution, pinned owner (first valid answer), ${relayCount} relay${relayCount === 1 ? '' : 's'}`,
          unit: 'ms',
          measured: summarize(pinned),
          baseline,
          target: 'p50 ≤ 20 ms, p99 ≤ 100 ms',
          notes: `p99 ${p99(pinned).toFixed(1)} ms; relays are separate processes`
        })
      ]
    } finally {
      await visitor.stop()
      await publisher.stop()
    }
  } finally {
    await Promise.all(relays.map(async relay => relay.stop()))
  }
}
