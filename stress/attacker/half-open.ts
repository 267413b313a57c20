import { randomBytes } from 'node:crypto'
import { holdSocket, reportHeld } from './sockets.js'
import type { HeldReport } from './sockets.js'

export interface HalfOpenInit {
  host: string
  /** The relay's libp2p WebSocket port. */
  wsPort: number
  /** The relay's HTTP port. */
  httpPort: number
  /** Connections of each kind. */
  sockets: number
  /** How long they are held (s). */
  seconds: number
}

export interface HalfOpenReport {
  /** TCP connections to the WebSocket port that never send a byte. */
  wsSilent: HeldReport
  /** WebSocket upgrades that complete, then never start libp2p's handshake (multistream-select, noise). */
  wsUpgraded: HeldReport
  /** TCP connections to the HTTP port that never send a byte. */
  httpSilent: HeldReport
}

/** A WebSocket upgrade request (RFC 6455), after which the attacker goes quiet. */
function upgradeRequest (host: string, port: number): string {
  return `GET / HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`
}

/**
 * Half-open connections: `sockets` of each kind in {@link HalfOpenReport},
 * each from its own loopback address, held for `seconds` without finishing
 * what they started. Reports how many the relay closed on its own.
 */
export async function halfOpen (init: HalfOpenInit): Promise<HalfOpenReport> {
  const n = init.sockets
  const [wsSilent, wsUpgraded, httpSilent] = await Promise.all([
    Promise.all(Array.from({ length: n }, async (_, i) => holdSocket(init.host, init.wsPort, i))),
    Promise.all(Array.from({ length: n }, async (_, i) => {
      const held = await holdSocket(init.host, init.wsPort, n + i)
      held?.socket.write(upgradeRequest(init.host, init.wsPort))
      return held
    })),
    Promise.all(Array.from({ length: n }, async (_, i) => holdSocket(init.host, init.httpPort, 2 * n + i)))
  ])
  await new Promise(resolve => setTimeout(resolve, init.seconds * 1000))
  return { wsSilent: reportHeld(wsSilent), wsUpgraded: reportHeld(wsUpgraded), httpSilent: reportHeld(httpSilent) }
}
