/**
 * Abort signals with time bounds, shared by every runtime (the app, the site
 * worker, the relay): {@link withTimeout} bounds a whole operation,
 * {@link timeBound} one that clears its bound when it ends (the relay's
 * per-request and per-block reads), {@link StallWatchdog} a transfer's
 * silence between two bits of progress.
 * No libp2p or Helia import here, so the site worker's bundle can take it.
 *
 * @module
 */

export { FetchStalledError } from './errors.js'
export { StallWatchdog } from './stall-watchdog.js'
export { timeBound } from './time-bound.js'
export { withTimeout } from './with-timeout.js'
export type { TimeBound } from './time-bound.js'
