/**
 * Who may fetch blocks from peers for the relay's HTTP answers: at most
 * `MAX_NETWORK_FETCHES` at once, shared fairly between the clients asking,
 * and never refused to the relay's own site cache.
 */

import { NetworkFetchesBusyError } from './errors.js'
import type { GatewayBlockstore } from './blockstore.js'
import type { AbortOptions } from '@libp2p/interface'

/** The get option that marks a read for a site the relay's cache keeps ({@link forKeeping}). */
const FOR_KEEPING = Symbol('wia:for-keeping')
/** The get option that names the client a read answers ({@link forClient}). */
const CLIENT = Symbol('wia:client')
/** The client key of a `get` no client was named for (a site warmed up for whoever asks next). */
const NO_CLIENT = ''

/** Options of a `get` {@link forKeeping} or {@link forClient} marked. */
interface MarkedOptions extends AbortOptions {
  [FOR_KEEPING]?: true
  [CLIENT]?: string
}

/** Whether a `get` was made through {@link forKeeping}. */
export function isForKeeping (options: AbortOptions | undefined): boolean {
  return (options as MarkedOptions | undefined)?.[FOR_KEEPING] === true
}

/**
 * The share of the relay's fetch slots a `get` draws on: its client's
 * ({@link forClient}), the one of the `get`s that name none (`''`), or
 * `undefined` for a read {@link forKeeping}, which is never refused.
 */
export function shareOf (options: AbortOptions | undefined): string | undefined {
  return isForKeeping(options) ? undefined : (options as MarkedOptions | undefined)?.[CLIENT] ?? NO_CLIENT
}

/** `store` whose every `get` carries `mark` in its options (they pass through the gateway's stores as they are). */
function marked (store: GatewayBlockstore, mark: MarkedOptions): GatewayBlockstore {
  return {
    has: async (cid, options) => store.has(cid, options),
    async * get (cid, options) {
      yield * store.get(cid, { ...options, ...mark })
    }
  }
}

/**
 * `store` whose every `get` is marked as a read for a site the relay's
 * cache keeps (`SiteCache`'s walk of a site it fetches whole). The mark
 * passes through the gateway's stores with the other options:
 * {@link boundedFetches} never refuses such a `get` (the cache walks at
 * most `MAX_CONCURRENT_FETCHES` sites at once, one block at a time each, so
 * a relay busy with visitors still keeps the sites their owners ask it to),
 * though it takes a slot while it runs; `onFetched` does not count its
 * blocks as a visitor's (the cache pins them); and `sharedFetches` ends a
 * fetch such a `get` left last at once. Read through the same
 * `sharedFetches` as visitors' requests: a keep fetching a block another
 * request wanted at the same moment otherwise raced inside Helia (the later
 * want went out after the block arrived, before it was stored, and the
 * host, within bitswap's do-not-resend window, ignored it), and a plain
 * HTTP client's request of a site the relay was starting to keep stalled
 * until its 20 s timeout (`e2e/plain-http.spec.ts`, 2026-12-03).
 */
export function forKeeping (store: GatewayBlockstore): GatewayBlockstore {
  return marked(store, { [FOR_KEEPING]: true })
}

/**
 * `store` whose every `get` answers the client `client` (a key from
 * `clientKey`, `relay/client-address.ts`): {@link boundedFetches} shares
 * its slots between clients by it.
 */
export function forClient (store: GatewayBlockstore, client: string): GatewayBlockstore {
  return marked(store, { [CLIENT]: client })
}

/** A fetch under way: the client it answers (none for the cache's), and how to end it. */
interface Slot {
  client?: string
  controller: AbortController
  released: boolean
}

/**
 * `network` with at most `maxInFlight` `get`s under way at once, shared
 * fairly between clients ({@link forClient}; `get`s naming none share one
 * share). When every slot is taken, a client holding fewer than another
 * takes the newest slot of the client holding the most, whose fetch fails
 * with {@link NetworkFetchesBusyError} (the gateway answers 504 with
 * `Retry-After`), as long as that client still holds more than the newcomer
 * afterwards; otherwise the newcomer's `get` fails so, at once (a request
 * that had joined the ended fetch from another client, through
 * `sharedFetches`, tries again on its own share). A client
 * that floods the relay with requests for blocks nobody has (each held up
 * to `FIRST_BYTE_TIMEOUT_MS`) thus holds every slot only while nobody else
 * asks, instead of turning every other visitor of a site the relay does not
 * keep away (`e2e/fair-fetches.spec.ts`). A `get` read {@link forKeeping}
 * is never refused nor ended so, and takes a slot all the same. Wraps
 * Helia's blockstore, whose `get` of a block the relay lacks is a bitswap
 * want and a provider lookup.
 */
export function boundedFetches (network: GatewayBlockstore, maxInFlight: number): GatewayBlockstore {
  let inFlight = 0
  const byClient = new Map<string, Set<Slot>>()
  const release = (slot: Slot): void => {
    if (slot.released) {
      return
    }
    slot.released = true
    inFlight--
    if (slot.client != null) {
      const slots = byClient.get(slot.client)
      slots?.delete(slot)
      if (slots?.size === 0) {
        byClient.delete(slot.client)
      }
    }
  }
  // the newest slot of the client holding the most, if it holds more than one beyond `client`'s
  const preempt = (client: string): boolean => {
    const mine = byClient.get(client)?.size ?? 0
    let heaviest: Set<Slot> | undefined
    for (const [other, slots] of byClient) {
      if (other !== client && slots.size > (heaviest?.size ?? 0)) {
        heaviest = slots
      }
    }
    if (heaviest == null || heaviest.size <= mine + 1) {
      return false
    }
    const newest = [...heaviest].at(-1)!
    release(newest)
    newest.controller.abort(new NetworkFetchesBusyError(maxInFlight))
    return true
  }
  return {
    has: async (cid, options) => network.has(cid, options),
    async * get (cid, options) {
      const client = shareOf(options)
      if (inFlight >= maxInFlight && client != null && !preempt(client)) {
        throw new NetworkFetchesBusyError(maxInFlight)
      }
      const slot: Slot = { client, controller: new AbortController(), released: false }
      inFlight++
      if (client != null) {
        const slots = byClient.get(client) ?? new Set()
        slots.add(slot)
        byClient.set(client, slots)
      }
      const signal = options?.signal
      const onAbort = (): void => { slot.controller.abort(signal?.reason) }
      if (signal?.aborted === true) {
        onAbort()
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      try {
        yield * network.get(cid, { ...options, signal: slot.controller.signal })
      } catch (err) {
        const reason: unknown = slot.controller.signal.reason
        // taken by a client holding fewer: say so, whatever the aborted fetch threw
        throw reason instanceof NetworkFetchesBusyError ? reason : err
      } finally {
        signal?.removeEventListener('abort', onAbort)
        release(slot)
      }
    }
  }
}
