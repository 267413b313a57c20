import { lpStream } from '@libp2p/utils'
import { CacheRequestFailedError } from './errors.js'
import { CACHE_PROTOCOL, MAX_CACHE_MESSAGE_BYTES, VISIT_TIMEOUT_MS } from './constants.js'
import { decodeCacheAnswer, encodeCacheRequest } from './protocol.js'
import type { CacheAnswer, CacheRequest } from './protocol.js'
import type { Libp2p, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { CID } from 'multiformats/cid'

/** What a caching peer holds after a `keep` request. */
export interface KeptCopy {
  root: CID
  /** Bytes of the site's blocks the peer holds. */
  bytes: number
}

/**
 * Send one cache request to `peer` and read its answer (`CACHE_PROTOCOL`).
 *
 * @throws {MalformedCacheMessageError} when the answer is not a cache answer
 * @throws the dial or stream error when `peer` cannot be reached
 */
export async function sendCacheRequest (libp2p: Pick<Libp2p, 'dialProtocol'>, peer: PeerId | Multiaddr, request: CacheRequest, options: { signal?: AbortSignal } = {}): Promise<CacheAnswer> {
  const stream = await libp2p.dialProtocol(peer, CACHE_PROTOCOL, { signal: options.signal })
  try {
    const lp = lpStream(stream, { maxDataLength: MAX_CACHE_MESSAGE_BYTES })
    await lp.write(encodeCacheRequest(request), options)
    const answer = decodeCacheAnswer((await lp.read(options)).subarray())
    await stream.close(options)
    return answer
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}

/**
 * Ask a caching peer (a relay) to fetch `name`'s current version whole and
 * keep it, so the site stays up while its owner is offline. Settles when the
 * peer holds every block (a large site takes as long as its transfer).
 *
 * @throws {CacheRequestFailedError} when the peer refused (e.g. `SiteTooLargeError`, `NameNotFoundError`) or kept it only until more demanded sites pushed it out
 */
export async function askToKeep (libp2p: Pick<Libp2p, 'dialProtocol'>, peer: PeerId | Multiaddr, name: string, options: { signal?: AbortSignal } = {}): Promise<KeptCopy> {
  const answer = await sendCacheRequest(libp2p, peer, { op: 'keep', name }, options)
  if (answer.status === 'kept') {
    return { root: answer.root, bytes: answer.bytes }
  }
  if (answer.status === 'error') {
    throw new CacheRequestFailedError(answer.error, answer.message)
  }
  throw new CacheRequestFailedError('NotKeptError', `The peer counted ${name} but does not keep it`)
}

/**
 * Tell a caching peer that this visitor loaded `name` (it counts demand: see
 * `docs/caching.md`). Never throws: a lost visit only makes a site look a
 * little colder.
 */
export async function reportVisit (libp2p: Pick<Libp2p, 'dialProtocol'>, peer: PeerId | Multiaddr, name: string): Promise<CacheAnswer | undefined> {
  try {
    return await sendCacheRequest(libp2p, peer, { op: 'visit', name }, { signal: AbortSignal.timeout(VISIT_TIMEOUT_MS) })
  } catch {
    return undefined
  }
}
