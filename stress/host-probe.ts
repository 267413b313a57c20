import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { summarize } from '../bench/stats.js'
import { wiaYamux } from '../src/node/index.js'
import { DEFAULT_MAX_BACKOFF_MS, DEFAULT_MIN_BACKOFF_MS } from '../src/node/reservation-keeper.js'
import { createWireNode } from './attacker/kad-wire.js'
import { RESERVE_TIMEOUT_MS } from './attacker/reservations.js'
import type { Summary } from '../bench/stats.js'
import type { Libp2p } from '@libp2p/interface'

/** How long a host coming online waits for its connection to the relay, its retries included (ms). */
export const HOST_DIAL_TIMEOUT_MS = 10_000

/** The connections legit hosts tried while something ran. */
export interface HostDialLog {
  /** Hosts that came online. */
  tried: number
  /** Hosts whose first dial opened a connection. */
  opened: number
  /** Hosts connected within {@link HOST_DIAL_TIMEOUT_MS}, retrying as the app does. */
  connected: number
  /** Times of the first dials that opened (ms); absent when none opened. */
  times?: Summary
  /** Times from coming online to connected, retries included (ms); absent when none connected. */
  connectedTimes?: Summary
  /** The first few reasons a dial failed, with counts. */
  errors: Record<string, number>
}

interface HostOnline {
  /** The first dial opened a connection. */
  first: boolean
  /** The first dial's time (ms). */
  firstMs: number
  /** Time to connected, retries included (ms); absent when it never connected. */
  connectedMs?: number
  errors: string[]
}

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

/**
 * One host coming online: a new libp2p node (new PeerId) dials the relay over
 * WebSockets and, when a dial fails, dials again after the app's reservation
 * keeper's backoff (1 s, then 2 s; `src/node/reservation-keeper.ts`), until
 * connected or {@link HOST_DIAL_TIMEOUT_MS} from coming online.
 */
async function hostOnline (relay: string): Promise<HostOnline> {
  const node = await createWireNode()
  const online = performance.now()
  const deadline = AbortSignal.timeout(HOST_DIAL_TIMEOUT_MS)
  const result: HostOnline = { first: false, firstMs: NaN, errors: [] }
  let backoff = DEFAULT_MIN_BACKOFF_MS
  try {
    for (let attempt = 0; !deadline.aborted; attempt++) {
      const start = performance.now()
      try {
        await node.dial(multiaddr(relay), { signal: deadline })
        if (attempt === 0) Object.assign(result, { first: true, firstMs: performance.now() - start })
        result.connectedMs = performance.now() - online
        return result
      } catch (err) {
        result.errors.push(`${(err as Error).name}: ${(err as Error).message}`)
      }
      await sleep(Math.min(backoff, Math.max(0, HOST_DIAL_TIMEOUT_MS - (performance.now() - online))))
      backoff = Math.min(backoff * 2, DEFAULT_MAX_BACKOFF_MS)
    }
    return result
  } finally {
    await node.stop()
  }
}

/**
 * Legit hosts coming online: once a second a new libp2p node connects to the
 * relay (noise and yamux done) from 127.0.0.1, as the app does when a tab
 * opens, retrying as the app does, until `stop()`. The visits are HTTP and
 * never touch libp2p's connection limits; these dials do.
 */
export function startHostDials (relay: string): { stop: () => Promise<HostDialLog> } {
  const under: Array<Promise<HostOnline>> = []
  const tick = (): void => { under.push(hostOnline(relay)) }
  tick()
  const timer = setInterval(tick, 1000)
  return {
    async stop () {
      clearInterval(timer)
      const hosts = await Promise.all(under)
      const times = hosts.filter(h => h.first).map(h => h.firstMs)
      const connectedTimes = hosts.flatMap(h => h.connectedMs == null ? [] : [h.connectedMs])
      const errors: Record<string, number> = {}
      for (const error of hosts.flatMap(h => h.errors)) errors[error] = (errors[error] ?? 0) + 1
      return {
        tried: hosts.length,
        opened: times.length,
        connected: connectedTimes.length,
        ...(times.length === 0 ? {} : { times: summarize(times) }),
        ...(connectedTimes.length === 0 ? {} : { connectedTimes: summarize(connectedTimes) }),
        errors
      }
    }
  }
}

/**
 * Whether a new node reaches `holder` through the relay's circuit (the
 * relay still holds `holder`'s reservation): a visitor's way to a host.
 */
export async function reachableThroughRelay (relay: string, holder: Libp2p): Promise<boolean> {
  const dialer = await createLibp2p({ transports: [webSockets(), circuitRelayTransport()], connectionEncrypters: [noise()], streamMuxers: [wiaYamux()], services: { identify: identify() } })
  try {
    await dialer.dial(multiaddr(`${relay}/p2p-circuit/p2p/${holder.peerId.toString()}`), { signal: AbortSignal.timeout(RESERVE_TIMEOUT_MS) })
    return true
  } catch {
    return false
  } finally {
    await dialer.stop()
  }
}
