import { ping } from '@libp2p/ping'
import { yamux } from '@libp2p/yamux'
import type { Ping, PingComponents } from '@libp2p/ping'
import type { Libp2pInit } from 'libp2p'

/*
 * Keep-alive traffic, chosen for a sleeping host. Every message that reaches
 * a hosting tab wakes it, and after a quiet spell each wake-up costs about
 * 10 ms of main-thread time (V8 has dropped the bytecode of the code that
 * handles it). Out of the box a relay connection carried five periodic
 * messages: libp2p's connection monitor pings each way every 10 s and
 * yamux's keep-alive pings each way every 30 s. wia-home relies on the
 * connection monitor, at the intervals below, and keeps yamux's ping only
 * for what it measures: the round-trip time its receive-window tuning needs
 * (see {@link YAMUX_PING_INTERVAL_MS}; `bench/idle.ts` for the resulting CPU).
 */

/**
 * How often a relay pings each of its connections (ms; libp2p's default is
 * 10 s). The ping proves that a host behind the relay still answers, so a
 * dead host's reservation is freed. It also keeps NAT mappings of the
 * WebSocket open: TCP mappings last minutes to hours (RFC 5382 asks for at
 * least 2 h 4 min). 1000 reservations cost a relay 17 pings/s.
 */
export const RELAY_PING_INTERVAL_MS = 60_000

/**
 * Shortest time a connection monitor ping may take before the connection is
 * aborted as dead (ms; libp2p's default is 5 s, adaptive up to 60 s). A
 * hosting tab whose main thread is taken for more than 5 s (a slow phone, a
 * busy page, a long garbage collection) answers late: with the default its
 * relay aborted the connection, and with it every transfer from that host
 * (a 95 MiB file to a visitor failed with "network error" whenever the
 * tab froze for 6 s; 2026-12-02). A peer that is really gone is still
 * dropped, after one more ping interval and this timeout.
 */
export const PING_TIMEOUT_MS = 30_000

/** libp2p's connection monitor for a node that pings each connection every `pingIntervalMs` (ms), waiting up to {@link PING_TIMEOUT_MS} for an answer. */
export function wiaConnectionMonitor (pingIntervalMs: number): NonNullable<Libp2pInit['connectionMonitor']> {
  return { pingInterval: pingIntervalMs, pingTimeout: { minTimeout: PING_TIMEOUT_MS } }
}

/**
 * How often a browser node pings each of its connections (ms). Its relays
 * already ping it every {@link RELAY_PING_INTERVAL_MS}. Its own pings only
 * notice a relay that vanished without closing the connection; the
 * reservation keeper then takes the reservation again.
 */
export const BROWSER_PING_INTERVAL_MS = 120_000

/**
 * Ping streams one peer may have open at once, each way. The ping spec asks
 * for one outbound stream per peer, but js-libp2p uses the protocol twice:
 * the connection monitor and kad-dht's routing-table checks both open ping
 * streams, and a stream that is still closing counts too. With the default
 * of one, a clash made the connection monitor abort a host's relay
 * connection, and with it the host's reservation (seen with libp2p 3.3.11).
 */
export const PING_STREAMS_PER_PEER = 4

/** The ping service of every wia-home node: `@libp2p/ping` with {@link PING_STREAMS_PER_PEER}. */
export function wiaPing (): (components: PingComponents) => Ping {
  return ping({ maxOutboundStreams: PING_STREAMS_PER_PEER, maxInboundStreams: PING_STREAMS_PER_PEER })
}

/**
 * How often yamux pings each connection (ms; yamux's default is 30 s). Its
 * first ping, at connection start, measures the round-trip time, and yamux
 * grows a stream's receive window only once it knows it: with the ping off,
 * a 95 MiB transfer through a relay fell from 9.6 to 1.3 MiB/s. Later pings
 * only refresh the estimate, so they can be rare.
 */
export const YAMUX_PING_INTERVAL_MS = 300_000

/** The stream muxer of every wia-home node: yamux with rare keep-alive pings (see {@link YAMUX_PING_INTERVAL_MS}). */
export function wiaYamux (): ReturnType<typeof yamux> {
  return yamux({ keepAliveInterval: YAMUX_PING_INTERVAL_MS })
}
