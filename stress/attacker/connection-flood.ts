import { multiaddr } from '@multiformats/multiaddr'
import { useDistinctSourceAddresses } from '../../bench/distinct-source.js'
import { createWireNode } from './kad-wire.js'

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
  /** Attempts in flight at most; a due attempt beyond it is skipped (the attacker's own limit). */
  maxInFlight: number
}

export interface ConnectionFloodReport {
  /** Attempts started. */
  started: number
  /** Attempts not started because `maxInFlight` were still pending. */
  skipped: number
  /** Connections the relay accepted (noise and yamux done). */
  opened: number
  /** Attempts the relay refused or dropped. */
  refused: number
  /** Attempts with no answer within the dial timeout. */
  timedOut: number
  /** How long the flood ran (s). */
  seconds: number
  /** Median time to open a connection (ms). */
  medianOpenMs?: number
  /** The first few reasons attempts failed, each with its count. */
  errors?: Record<string, number>
}

/**
 * A connection flood: `perSecond` new libp2p connections a second for
 * `seconds`, each from a new PeerId (a fresh node and key) and its own
 * loopback source address (a botnet, not one host: libp2p limits new
 * connections per IP), each kept `holdMs` and then closed. Open loop: the
 * next attempt starts on time whether or not the last one finished.
 */
export async function connectionFlood (init: ConnectionFloodInit): Promise<ConnectionFloodReport> {
  useDistinctSourceAddresses(0)
  const relay = multiaddr(init.relay)
  const report: ConnectionFloodReport = { started: 0, skipped: 0, opened: 0, refused: 0, timedOut: 0, seconds: 0 }
  const openTimes: number[] = []
  /** Why attempts failed, with counts. */
  const errors = new Map<string, number>()
  const pending = new Set<Promise<void>>()
  const attempt = async (): Promise<void> => {
    const node = await createWireNode()
    const start = performance.now()
    const signal = AbortSignal.timeout(DIAL_TIMEOUT_MS)
    try {
      await node.dial(relay, { signal })
      openTimes.push(performance.now() - start)
      report.opened++
      await new Promise(resolve => setTimeout(resolve, init.holdMs))
    } catch (err) {
      if (signal.aborted) report.timedOut++
      else report.refused++
      const reason = `${(err as Error).name}: ${(err as Error).message}`
      errors.set(reason, (errors.get(reason) ?? 0) + 1)
    } finally {
      await node.stop()
    }
  }
  const start = performance.now()
  const due = (): number => Math.min(init.perSecond * init.seconds, Math.floor((performance.now() - start) / 1000 * init.perSecond))
  await new Promise<void>(resolve => {
    const timer = setInterval(() => {
      for (let n = due() - report.started - report.skipped; n > 0; n--) {
        if (pending.size >= init.maxInFlight) {
          report.skipped++
          continue
        }
        report.started++
        const p = attempt().finally(() => pending.delete(p))
        pending.add(p)
      }
      if (performance.now() - start >= init.seconds * 1000) {
        clearInterval(timer)
        resolve()
      }
    }, TICK_MS)
  })
  report.seconds = (performance.now() - start) / 1000
  await Promise.allSettled(pending)
  const sorted = openTimes.sort((a, b) => a - b)
  return { ...report, errors: Object.fromEntries([...errors].slice(0, 5)), ...(sorted.length === 0 ? {} : { medianOpenMs: sorted[Math.floor(sorted.length / 2)]! }) }
}
