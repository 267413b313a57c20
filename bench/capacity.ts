import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { TEST_POW_BITS, startRelay } from '../e2e/support/relay-process.js'
import { result } from './report.js'
import { summarize } from './stats.js'
import type { BenchResult } from './report.js'
import type { ChildProcess } from 'node:child_process'

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

/** Resident set size of a process (bytes), from `/proc/<pid>/status` VmRSS. */
async function rss (pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]
  if (kib == null) {
    throw new Error(`no VmRSS for process ${pid}`)
  }
  return Number(kib) * KIB
}

async function rssReadings (pid: number): Promise<number[]> {
  const readings: number[] = []
  for (let i = 0; i < RSS_READINGS; i++) {
    await new Promise(resolve => setTimeout(resolve, 500))
    readings.push(await rss(pid))
  }
  return readings
}

/** Start one client process; resolves with how many of its clients hold a reservation. */
function startClients (relay: string, count: number, firstSource: number): { child: ChildProcess, reserved: Promise<number> } {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('bench/capacity-clients.ts'), relay, String(count), String(CONCURRENCY_PER_PROCESS), String(firstSource)], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const reserved = new Promise<number>((resolveReserved, reject) => {
    const timer = setTimeout(() => { reject(new Error(`clients got no reservations within ${RESERVE_TIMEOUT_MS} ms`)) }, RESERVE_TIMEOUT_MS)
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`client process exited with ${code}`)) })
    createInterface({ input: child.stdout! }).on('line', line => {
      const done = /^done (\d+) (\d+)$/.exec(line)
      if (done != null) {
        clearTimeout(timer)
        resolveReserved(Number(done[1]))
      }
    })
  })
  return { child, reserved }
}

/**
 * Circuit relay v2 reservations one relay process holds, and its memory per
 * reservation: a relay (`--max-reservations 2000`) with no clients, then
 * `clients` libp2p nodes spread over `processes` Node processes each take one
 * reservation; RSS (`/proc/<pid>/status` VmRSS) of the relay before and after.
 */
export async function benchRelayCapacity (init: CapacityBenchInit): Promise<BenchResult[]> {
  const relay = await startRelay({ extraArgs: ['--max-reservations', String(MAX_RESERVATIONS), '--no-app', '--pow-bits', String(TEST_POW_BITS)] })
  const children: ChildProcess[] = []
  try {
    const pid = relay.process.pid!
    const idle = await rssReadings(pid)
    const perProcess = Math.ceil(init.clients / init.processes)
    const started = Array.from({ length: init.processes }, (_, i) =>
      startClients(relay.relayAddrs[0]!, Math.min(perProcess, init.clients - i * perProcess), i * perProcess))
    children.push(...started.map(s => s.child))
    const held = (await Promise.all(started.map(async s => s.reserved))).reduce((a, b) => a + b, 0)
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
    await Promise.all(children.map(async child => {
      if (child.exitCode == null && child.signalCode == null) {
        const exited = once(child, 'exit')
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
    }))
    await relay.stop()
  }
}
