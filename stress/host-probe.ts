import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { summarize } from '../bench/stats.js'
import { wiaYamux } from '../src/node/index.js'
import type { Summary } from '../bench/stats.js'

/** How long a host coming online waits for its connection to the relay (ms). */
export const HOST_DIAL_TIMEOUT_MS = 10_000

/** The connections legit hosts tried while something ran. */
export interface HostDialLog {
  tried: number
  opened: number
  /** Times of the opened ones (ms); absent when none opened. */
  times?: Summary
  /** The first few reasons a dial failed, with counts. */
  errors: Record<string, number>
}

/** One host coming online: a new libp2p node (new PeerId) dials the relay over WebSockets. */
async function dialOnce (relay: string): Promise<{ ok: boolean, ms: number, error?: string }> {
  const node = await createLibp2p({ transports: [webSockets()], connectionEncrypters: [noise()], streamMuxers: [wiaYamux()] })
  const start = performance.now()
  try {
    await node.dial(multiaddr(relay), { signal: AbortSignal.timeout(HOST_DIAL_TIMEOUT_MS) })
    return { ok: true, ms: performance.now() - start }
  } catch (err) {
    return { ok: false, ms: performance.now() - start, error: `${(err as Error).name}: ${(err as Error).message}` }
  } finally {
    await node.stop()
  }
}

/**
 * Legit hosts coming online: once a second a new libp2p node connects to the
 * relay (noise and yamux done) from 127.0.0.1, as the app does when a tab
 * opens, until `stop()`. The visits are HTTP and never touch libp2p's
 * connection limits; these dials do.
 */
export function startHostDials (relay: string): { stop: () => Promise<HostDialLog> } {
  const under: Array<ReturnType<typeof dialOnce>> = []
  const tick = (): void => { under.push(dialOnce(relay)) }
  tick()
  const timer = setInterval(tick, 1000)
  return {
    async stop () {
      clearInterval(timer)
      const dials = await Promise.all(under)
      const times = dials.filter(d => d.ok).map(d => d.ms)
      const errors: Record<string, number> = {}
      for (const d of dials) if (d.error != null) errors[d.error] = (errors[d.error] ?? 0) + 1
      return { tried: dials.length, opened: times.length, ...(times.length === 0 ? {} : { times: summarize(times) }), errors }
    }
  }
}
