import { multiaddr } from '@multiformats/multiaddr'
import { useDistinctSourceAddresses } from '../../bench/distinct-source.js'
import { createWireNode } from './kad-wire.js'
import type { Libp2p } from '@libp2p/interface'

/** How long one connection attempt may take (ms). */
const DIAL_TIMEOUT_MS = 10_000
/** How often the flood starts the connections that are due (ms). */
const TICK_MS = 10

export interface ConnectionFloodInit {
  relay: string
  /** New connections started per second. */
  perSecond: number
  seconds: number
  /** How long each opened connection is kept before it hangs up (ms). */
  holdMs: number
  /**
   * PeerIds the flood dials from: one libp2p node each, made before the
   * clock starts, so the rate measures connections rather than node set-up.
   * A node dials again once its last attempt ended; a due attempt with no
   * node free is skipped (the attacker's own limit).
   */
  peers: number
}

export interface ConnectionFloodReport {
  /** Attempts started. */
  started: number
  /** Attempts not started because every PeerId was still busy with one. */
  skipped: number
  /** Connections the relay accepted (noise and yamux done). */
  opened: number
  /** Attempts the relay refused or dropped. */
  refused: number
  /** Attempts with no answer within the dial timeout. */
  timedOut: number
  /** How long the flood ran (s). */
  seconds: number
  /** Distinct PeerIds that dialled. */
  peers: number
  /** The attacker process's CPU during the flood, as a share of one core (0–1+). */
  cpu: number
  /** Median time to open a connection (ms). */
  medianOpenMs?: number
  /** The first few reasons attempts failed, each with its count. */
  errors?: Record<string, number>
}

/**
 * A connection flood: `perSecond` new libp2p connections a second for
 * `seconds`, from `peers` PeerIds (each a libp2p node of its own), each
 * connection from its own loopback source address (a botnet, not one host:
 * libp2p limits new connections per IP), kept `holdMs` and then closed. Open
 * loop: the next attempt starts on time whether or not the last one finished.
 */
export async function connectionFlood (init: ConnectionFloodInit): Promise<ConnectionFloodReport> {
  useDistinctSourceAddresses(0)
  const relay = multiaddr(init.relay)
  const free: Libp2p[] = []
  for (let i = 0; i < init.peers; i++) free.push(await createWireNode())
  const nodes = [...free]
  const report: ConnectionFloodReport = { started: 0, skipped: 0, opened: 0, refused: 0, timedOut: 0, seconds: 0, peers: 0, cpu: 0 }
  const openTimes: number[] = []
  /** Why attempts failed, with counts. */
  const errors = new Map<string, number>()
  const dialled = new Set<Libp2p>()
  const pending = new Set<Promise<void>>()
  const attempt = async (node: Libp2p): Promise<void> => {
    dialled.add(node)
    const start = performance.now()
    const signal = AbortSignal.timeout(DIAL_TIMEOUT_MS)
    try {
      const connection = await node.dial(relay, { signal, force: true })
      openTimes.push(performance.now() - start)
      report.opened++
      await new Promise(resolve => setTimeout(resolve, init.holdMs))
      await connection.close().catch(() => connection.abort(new Error('hang up')))
    } catch (err) {
      if (signal.aborted) report.timedOut++
      else report.refused++
      const reason = `${(err as Error).name}: ${(err as Error).message}`
      errors.set(reason, (errors.get(reason) ?? 0) + 1)
    } finally {
      free.push(node)
    }
  }
  const start = performance.now()
  const cpuStart = process.cpuUsage()
  const due = (): number => Math.min(init.perSecond * init.seconds, Math.floor((performance.now() - start) / 1000 * init.perSecond))
  await new Promise<void>(resolve => {
    const timer = setInterval(() => {
      for (let n = due() - report.started - report.skipped; n > 0; n--) {
        const node = free.shift()
        if (node == null) {
          report.skipped++
          continue
        }
        report.started++
        const p = attempt(node).finally(() => pending.delete(p))
        pending.add(p)
      }
      if (performance.now() - start >= init.seconds * 1000) {
        clearInterval(timer)
        resolve()
      }
    }, TICK_MS)
  })
  report.seconds = (performance.now() - start) / 1000
  const cpu = process.cpuUsage(cpuStart)
  report.cpu = (cpu.user + cpu.system) / 1000 / (report.seconds * 1000)
  report.peers = dialled.size
  await Promise.allSettled(pending)
  await Promise.allSettled(nodes.map(async node => node.stop()))
  const sorted = openTimes.sort((a, b) => a - b)
  return { ...report, errors: Object.fromEntries([...errors].slice(0, 5)), ...(sorted.length === 0 ? {} : { medianOpenMs: sorted[Math.floor(sorted.length / 2)]! }) }
}
