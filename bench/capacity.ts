import { TEST_POW_BITS, startRelay } from '../e2e/support/relay-process.js'
import { spawnBenchChild } from './child.js'
import { rss } from './process-usage.js'
import { result } from './report.js'
import { summarize } from './stats.js'
import type { BenchResult } from './report.js'
import type { BenchChild } from './child.js'

/** Reservations the relay under test may hold (its `--max-reservations`). */
const MAX_RESERVATIONS = 2000
/** Client nodes starting at once in each client process. */
const CONCURRENCY_PER_PROCESS = 4
/** Longest the clients may take to get their reservations (ms). */
const RESERVE_TIMEOUT_MS = 240_000
/** RSS readings per state, 500 ms apart. */
const RSS_READINGS = 5
/** Bytes per KiB / MiB. */
const KIB = 1024
const MIB = 1_048_576

export interface CapacityBenchInit {
  /** Client nodes, each asking for one reservation. */
  clients: number
  /** Node processes the clients are spread over. */
  processes: number
}

async function rssReadings (pid: number): Promise<number[]> {
  const readings: number[] = []
  for (let i = 0; i < RSS_READINGS; i++) {
    await new Promise(resolve => setTimeout(resolve, 500))
    readings.push(await rss(pid))
  }
  return readings
}

/**
 * Circuit relay v2 reservations one relay process holds, and its memory per
 * reservation: a relay (`--max-reservations 2000`) with no clients, then
 * `clients` libp2p nodes spread over `processes` Node processes each take one
 * reservation; RSS (`/proc/<pid>/status` VmRSS) of the relay before and after.
 */
export async function benchRelayCapacity (init: CapacityBenchInit): Promise<BenchResult[]> {
  const relay = await startRelay({ extraArgs: ['--max-reservations', String(MAX_RESERVATIONS), '--no-app', '--pow-bits', String(TEST_POW_BITS)] })
  const children: BenchChild[] = []
  try {
    const pid = relay.process.pid!
    const idle = await rssReadings(pid)
    const perProcess = Math.ceil(init.clients / init.processes)
    for (let i = 0; i < init.processes; i++) {
      const count = Math.min(perProcess, init.clients - i * perProcess)
      children.push(spawnBenchChild('capacity-clients.ts', [relay.relayAddrs[0]!, String(count), String(CONCURRENCY_PER_PROCESS), String(i * perProcess)]))
    }
    const done = await Promise.all(children.map(async child => child.waitForLine(/^done (\d+) (\d+)$/, RESERVE_TIMEOUT_MS)))
    const held = done.reduce((sum, match) => sum + Number(match[1]), 0)
    const loaded = await rssReadings(pid)
    const idleMiB = summarize(idle.map(b => b / MIB))
    const loadedMiB = summarize(loaded.map(b => b / MIB))
    const perReservationKiB = ((loadedMiB.median - idleMiB.median) * MIB) / KIB / Math.max(held, 1)
    const clients = `${init.clients} client libp2p nodes (WebSockets, noise, yamux, circuit relay transport) in ${init.processes} Node process${init.processes === 1 ? '' : 'es'}, each connection from its own loopback address (libp2p accepts 5 inbound connections/s per IP)`
    return [
      result({
        id: 'relay-reservations',
        what: 'circuit relay v2 reservations held by one relay',
        unit: 'reservations',
        better: 'higher',
        measured: summarize([held]),
        baseline: { what: 'reservations asked for', summary: summarize([init.clients]) },
        target: '≥ 1,000',
        notes: `${clients}; a client counts when its node listens on a /p2p-circuit address through the relay (--max-reservations ${MAX_RESERVATIONS}).`
      }),
      result({
        id: 'relay-rss',
        what: `relay memory (RSS) holding ${held} reservations`,
        unit: 'MiB',
        measured: loadedMiB,
        baseline: { what: 'the same relay with no reservations', summary: idleMiB },
        notes: `${perReservationKiB.toFixed(0)} KiB per reservation (RSS growth / reservations, each with its WebSocket connection); /proc/<pid>/status VmRSS, ${RSS_READINGS} readings each. Requests/s for cached pages will stand beside this once relays cache blocks.`
      })
    ]
  } finally {
    await Promise.all(children.map(async child => child.stop()))
    await relay.stop()
  }
}
