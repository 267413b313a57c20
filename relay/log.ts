import { pino } from 'pino'
import type { Logger } from 'pino'

/** Default level of the operator log (`LOG_LEVEL`: `debug`, `info`, `warn`, `error`). */
export const DEFAULT_LOG_LEVEL = 'info'

/** The relay's operator log: one JSON line per event on stdout, with a level (pino). */
export type OperatorLog = Logger

/**
 * The operator log. Each line is one event (`{"level":30,"time":…,"event":"tls.reloaded",…}`)
 * with its data in fields, for journald, `docker logs` or a log shipper.
 * Developer traces stay in `@libp2p/logger` namespaces (`DEBUG=wia:*`).
 */
export function createOperatorLog (level: string = process.env.LOG_LEVEL ?? DEFAULT_LOG_LEVEL): OperatorLog {
  return pino({ level, base: { service: 'wia-relay' } })
}
