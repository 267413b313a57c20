import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { sha256 } from '@noble/hashes/sha2.js'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 as sha256Hasher } from 'multiformats/hashes/sha2'
import { DEFAULT_POW_BITS, createNameRecord, formatName, putNameRecord, resolveNameRecord, solveProofOfWork } from '../src/naming/index.js'
import { relayPeerId } from '../src/node/index.js'
import { TEST_POW_BITS, startRelay } from '../e2e/support/relay-process.js'
import { FIRST_VISIT_RECORD_GRACE_MS } from '../sw/http/constants.js'
import { RelayGateways } from '../sw/http/gateways.js'
import { resolveNameOverHttp } from '../sw/http/resolve-name.js'
import { spawnBenchChild } from './child.js'
import { traceFreshLookup, traceQueries } from './dht-hops.js'
import { startBenchClient } from './node-client.js'
import type { BenchChild } from './child.js'
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
  for (let r = 0; r < Math.min(3, reps); r++) {
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

/** Relays a kad-dht put aims at (its k). */
const DHT_K = 20
/** Puts of the record at most while the DHT forms. */
const MAX_PUTS = 5
/** Wait between two puts (ms). */
const PUT_RETRY_MS = 2_000
/** How long a pool of relay nodes may take to start (ms). */
const POOL_START_TIMEOUT_MS = 120_000

/**
 * Name resolution latency through the WIA DHT from a client connected to one
 * relay, with `relayCount` relays in one DHT; beside a ping round trip to that
 * relay on the same connection. Also the DHT hops of lookups by fresh
 * visitors (see `QueryTrace.hops`).
 *
 * Relay 1 (the one the visitor uses) is always a relay process. The others
 * are relay processes too, or with `perProcess` pooled: that many relay nodes
 * (the relay's own libp2p composition) per Node process (`bench/relay-pool.ts`).
 *
 * @param lookups - first-visit and pinned lookups each, by one visitor
 * @param hopSamples - lookups by fresh visitors, traced for their hops
 * @param perProcess - relay nodes per pool process; omitted: one process per relay
 */
export async function benchResolution (relayCount: number, lookups: number, hopSamples: number, perProcess?: number): Promise<BenchResult[]> {
  const relays: RelayProcess[] = []
  const pools: BenchChild[] = []
  const pow = ['--pow-bits', String(TEST_POW_BITS), '--no-app']
  try {
    const first = await startRelay({ extraArgs: pow })
    relays.push(first)
    const entry = first.relayAddrs[0]!
    const addrs = [entry]
    if (perProcess == null) {
      // started together: fewer than the 10 connections a relay accepts in handshake at once
      const started = await Promise.allSettled(Array.from({ length: relayCount - 1 }, async () => startRelay({ extraArgs: [...pow, '--bootstrap', entry] })))
      for (const outcome of started) {
        if (outcome.status === 'fulfilled') relays.push(outcome.value) // stopped in finally, even if another failed
      }
      const failed = started.find(outcome => outcome.status === 'rejected')
      if (failed != null) throw failed.reason
      addrs.push(...relays.slice(1).map(relay => relay.relayAddrs[0]!))
    } else {
      for (let left = relayCount - 1; left > 0; left -= perProcess) {
        pools.push(spawnBenchChild('relay-pool.ts', [String(Math.min(perProcess, left)), String(TEST_POW_BITS), String(pools.length * 1000), entry]))
      }
      for (const pool of pools) {
        await pool.waitForLine(/^ready$/, POOL_START_TIMEOUT_MS)
        addrs.push(...pool.lines.filter(line => line.startsWith('relay ')).map(line => line.slice('relay '.length)))
      }
    }
    // let the relays fill their routing tables (pooled nodes share a process, so give them longer)
    await new Promise(resolve => setTimeout(resolve, relayCount === 1 ? 0 : perProcess == null ? 3000 : 5000))
    const publisher = await startBenchClient(addrs[addrs.length - 1]!, TEST_POW_BITS)
    const visitorRelay = entry
    const visitor = await startBenchClient(visitorRelay, TEST_POW_BITS)
    const traced = traceQueries(visitor.services.dht)
    try {
      const owner = await generateKeyPair('Ed25519')
      const name = formatName(`bench-${Date.now().toString(36)}`, 'home')
      const proof = await solveProofOfWork({ name, publicKey: publicKeyToProtobuf(owner.publicKey), bits: TEST_POW_BITS })
      const root = CID.create(1, raw.code, await sha256Hasher.digest(new TextEncoder().encode(name)))
      const record = await createNameRecord({ name, root, seq: 0, proof, privateKey: owner })
      // while a fresh DHT is still forming a put may reach few relays: put again (as the
      // owner's republish would) until half the relays a put aims at (k = 20) hold it
      const wanted = Math.ceil(Math.min(DHT_K, relayCount) / 2)
      let accepted = 0
      let puts = 0
      while (accepted < wanted && puts < MAX_PUTS) {
        if (puts > 0) await new Promise(resolve => setTimeout(resolve, PUT_RETRY_MS))
        accepted = Math.max(accepted, (await putNameRecord(publisher.services.dht, record)).accepted)
        puts++
        console.error(`bench: record stored by ${accepted} of ${relayCount} relays (put ${puts})`)
      }

      const full: number[] = []
      const hops: number[] = []
      const contacted: number[] = []
      const firstValue: number[] = []
      const firstSend: number[] = []
      const pinned: number[] = []
      const rtt: number[] = []
      const relayPeer = peerIdFromString(relayPeerId(multiaddr(visitorRelay)))
      // a lookup that finds nothing is a finding, not a crash: counted, and left out of the times
      let notFound = 0
      let pinnedNotFound = 0
      const resolves = async (run: () => Promise<unknown>): Promise<boolean> => {
        try {
          await run()
          return true
        } catch (err) {
          if ((err as Error).name !== 'NameNotFoundError') throw err
          return false
        }
      }
      for (let i = 0; i < lookups; i++) {
        let start = performance.now()
        if (!await resolves(async () => resolveNameRecord(traced.dht, name, { minPowBits: TEST_POW_BITS }))) {
          notFound++
          continue
        }
        full.push(performance.now() - start)
        const trace = traced.last()
        firstValue.push(trace.firstValueMs ?? Number.NaN)
        firstSend.push(trace.firstSendMs ?? Number.NaN)
        start = performance.now()
        if (await resolves(async () => resolveNameRecord(visitor.services.dht, name, { minPowBits: TEST_POW_BITS, pinnedOwner: record.publicKey }))) {
          pinned.push(performance.now() - start)
        } else {
          pinnedNotFound++
        }
      }
      if (full.length === 0 || pinned.length === 0) {
        throw new Error(`no lookup of ${name} found the record (${notFound} + ${pinnedNotFound} of ${lookups} each)`)
      }
      // hops: each from a fresh visitor that knows only its relay (a first visit)
      for (let i = 0; i < hopSamples; i++) {
        const trace = await traceFreshLookup(visitorRelay, name, TEST_POW_BITS)
        if (trace.hops == null) {
          throw new Error(`a fresh lookup of ${name} ended without a record event`)
        }
        hops.push(trace.hops)
        contacted.push(trace.contacted)
      }
      // what a visitor's site worker does now (sw/http): GET /_wia/name/<name> of every relay it knows, verified
      const overHttp = perProcess == null ? await resolveOverHttp(relays, name, lookups) : undefined
      const missed = (n: number): string => (n === 0 ? '' : `; ${n} of ${lookups} lookups found no record (left out)`)
      rtt.push(...await echoRoundTrips(visitor, relayPeer, lookups))
      const baseline = { what: 'one request/response round trip to the relay (same connection)', summary: summarize(rtt) }
      const p99 = (samples: number[]): number => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.ceil(0.99 * samples.length) - 1)]!
      const where = perProcess == null
        ? 'relays are separate processes'
        : `relay 1 is a relay process; the other ${relayCount - 1} run as relay nodes (relay/libp2p.ts relayLibp2pOptions, in-memory datastore) in ${pools.length} Node process${pools.length === 1 ? '' : 'es'} of up to ${perProcess}, their connections from distinct loopback addresses`
      const plural = relayCount === 1 ? '' : 's'
      const log2 = Math.max(1, Math.ceil(Math.log2(relayCount)))
      return [
        result({
          id: `resolve-first-visit-${relayCount}`,
          what: `name resolution, first visit (whole query), ${relayCount} relay${plural}`,
          unit: 'ms',
          measured: summarize(full),
          baseline,
          target: 'p50 ≤ 20 ms, p99 ≤ 100 ms',
          notes: `p99 ${p99(full).toFixed(1)} ms; medians within the query: first request sent after ${summarize(firstSend).median.toFixed(1)} ms, first record after ${summarize(firstValue).median.toFixed(1)} ms; ${where}; record stored by ${accepted} of ${relayCount} relays after ${puts} put${puts === 1 ? '' : 's'}${missed(notFound)}`
        }),
        result({
          id: `resolve-pinned-${relayCount}`,
          what: `name resolution, pinned owner (first valid answer), ${relayCount} relay${plural}`,
          unit: 'ms',
          measured: summarize(pinned),
          baseline,
          target: 'p50 ≤ 20 ms, p99 ≤ 100 ms',
          notes: `p99 ${p99(pinned).toFixed(1)} ms; ${where}${missed(pinnedNotFound)}`
        }),
        ...(overHttp == null
          ? []
          : [result({
              id: `resolve-http-first-visit-${relayCount}`,
              what: `name resolution over HTTP by a fresh visitor (the site worker's path), ${relayCount} relay${plural}`,
              unit: 'ms',
              measured: summarize(overHttp.times),
              baseline: { what: 'one HTTP request/response to the relay (GET /_wia/health, keep-alive)', summary: summarize(overHttp.roundTrips) },
              target: 'p50 ≤ 10 ms, p99 ≤ 50 ms',
              notes: `p99 ${p99(overHttp.times).toFixed(1)} ms; every relay asked at once (no owner pinned), answers in hand ${FIRST_VISIT_RECORD_GRACE_MS} ms after the first weighed; each lookup a new RelayGateways in Node (sw/http/resolve-name.ts)${missed(overHttp.notFound)}`
            })]),
        result({
          id: `dht-hops-${relayCount}`,
          what: `DHT hops to the record, fresh visitor, ${relayCount} relay${plural}`,
          unit: 'hops',
          measured: summarize(hops),
          baseline: { what: `⌈log₂ ${relayCount}⌉, Kademlia's lookup bound (computed, not measured)`, summary: summarize([log2]) },
          target: '≤ 5 at 64 relays',
          notes: `A hop is one step of the referral chain from the visitor to the relay whose record it got first: 1 = a relay the visitor already knew answered; each closer-peers referral before it adds one (from kad-dht's SEND_QUERY / PEER_RESPONSE.closer / VALUE events of resolveNameRecord's query). Each sample is a new DHT client that knows only the relay it dialled, as a visitor's new service worker (a visitor that already looked names up knows more relays and needs fewer). Relays sent a request: median ${summarize(contacted).median}, max ${summarize(contacted).max} per lookup; ${where}.`
        })
      ]
    } finally {
      await visitor.stop()
      await publisher.stop()
    }
  } finally {
    await Promise.all([...relays.map(async relay => relay.stop()), ...pools.map(async pool => pool.stop())])
  }
}

/**
 * Name resolution as a visitor's site worker does it now: `resolveNameOverHttp`
 * over every relay's `/_wia/` gateway (a fresh `RelayGateways` per lookup: no
 * pin, no penalties), beside single HTTP round trips to the first relay.
 */
async function resolveOverHttp (relays: RelayProcess[], name: string, lookups: number): Promise<{ times: number[], roundTrips: number[], notFound: number }> {
  const bases = relays.map(relay => new URL('/_wia/', relay.appUrl).toString())
  const times: number[] = []
  const roundTrips: number[] = []
  let notFound = 0
  for (let i = 0; i < lookups; i++) {
    let start = performance.now()
    try {
      await resolveNameOverHttp(new RelayGateways({ bases }), name, { minPowBits: TEST_POW_BITS })
      times.push(performance.now() - start)
    } catch (err) {
      if ((err as Error).name !== 'NameNotFoundError') throw err
      notFound++
    }
    start = performance.now()
    await (await fetch(`${bases[0]!}health`)).arrayBuffer()
    roundTrips.push(performance.now() - start)
  }
  if (times.length === 0) {
    throw new Error(`no lookup of ${name} over HTTP found the record (${notFound} of ${lookups})`)
  }
  return { times, roundTrips, notFound }
}
