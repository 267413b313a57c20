import { connect } from 'node:net'
import type { Socket } from 'node:net'

/** How long a raw connection may take to open (ms). */
const CONNECT_TIMEOUT_MS = 5_000

/** One raw TCP connection the attacker holds, and what became of it. */
export interface HeldSocket {
  socket: Socket
  /** ms after opening at which the relay closed it; absent while open. */
  closedAfterMs?: number
}

/** The loopback source address of the `n`th raw connection: 127.3.x.y (Linux routes all of 127/8 to `lo`). */
export function sourceAddress (n: number): string {
  return `127.3.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`
}

/**
 * Open a TCP connection to `host:port` from its own loopback address and
 * record when the far side closes it. Resolves `undefined` when the
 * connection is refused or does not open in time.
 */
export async function holdSocket (host: string, port: number, n: number): Promise<HeldSocket | undefined> {
  return await new Promise(resolve => {
    const socket = connect({ host, port, localAddress: sourceAddress(n) })
    const timer = setTimeout(() => { socket.destroy(); resolve(undefined) }, CONNECT_TIMEOUT_MS)
    socket.once('error', () => { clearTimeout(timer); resolve(undefined) })
    socket.once('connect', () => {
      clearTimeout(timer)
      const opened = performance.now()
      const held: HeldSocket = { socket }
      socket.on('error', () => {})
      // what the relay sends (an error page, a timeout answer) is read and dropped
      socket.resume()
      socket.once('close', () => { held.closedAfterMs = performance.now() - opened })
      resolve(held)
    })
  })
}

/** How a group of held connections fared. */
export interface HeldReport {
  /** Connections asked for. */
  tried: number
  /** Connections that opened. */
  opened: number
  /** Connections the relay closed before the attack ended. */
  closedByRelay: number
  /** Median time after which the relay closed one (ms); absent when it closed none. */
  medianCloseMs?: number
}

/** Tally `held` (one entry per connection tried) and close what is still open. */
export function reportHeld (held: Array<HeldSocket | undefined>): HeldReport {
  const opened = held.filter(h => h != null)
  const closed = opened.flatMap(h => h.closedAfterMs == null ? [] : [h.closedAfterMs]).sort((a, b) => a - b)
  for (const h of opened) h.socket.destroy()
  return {
    tried: held.length,
    opened: opened.length,
    closedByRelay: closed.length,
    ...(closed.length === 0 ? {} : { medianCloseMs: closed[Math.floor(closed.length / 2)]! })
  }
}
