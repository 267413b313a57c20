import { holdSocket, reportHeld } from './sockets.js'
import type { HeldReport } from './sockets.js'

export interface SlowlorisInit {
  host: string
  httpPort: number
  /** The `Host` header the requests name (a hosted site's origin). */
  siteHost: string
  /** Connections held at once. */
  sockets: number
  /** How long the attack lasts (s). */
  seconds: number
  /** Pause between two bytes of a request's headers (ms). */
  byteIntervalMs: number
}

export interface SlowlorisReport extends HeldReport {
  /** Header bytes sent over all connections. */
  bytesSent: number
}

/**
 * Slowloris: `sockets` HTTP requests, each from its own loopback address,
 * whose headers arrive one byte every `byteIntervalMs` and never end (no
 * blank line), for `seconds`. Reports how many the relay closed on its own.
 */
export async function slowloris (init: SlowlorisInit): Promise<SlowlorisReport> {
  const held = await Promise.all(Array.from({ length: init.sockets }, async (_, i) => holdSocket(init.host, init.httpPort, i)))
  const request = Buffer.from(`GET / HTTP/1.1\r\nHost: ${init.siteHost}\r\nUser-Agent: slowloris\r\n${'X-Padding: a\r\n'.repeat(10_000)}`)
  let bytesSent = 0
  let at = 0
  const timer = setInterval(() => {
    for (const h of held) {
      if (h != null && h.closedAfterMs == null && !h.socket.destroyed) {
        h.socket.write(request.subarray(at % request.length, (at % request.length) + 1))
        bytesSent++
      }
    }
    at++
  }, init.byteIntervalMs)
  await new Promise(resolve => setTimeout(resolve, init.seconds * 1000))
  clearInterval(timer)
  return { ...reportHeld(held), bytesSent }
}
