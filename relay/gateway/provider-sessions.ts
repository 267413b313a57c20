/**
 * Whom a relay asks for a block it lacks: the providers of the DAG's root,
 * through a Helia session per root, instead of every peer connected to it.
 */

import { logger } from '@libp2p/logger'
import { BaseBlockstore } from 'blockstore-core/base'
import { LRUCache } from 'lru-cache'
import { raceSignal } from 'race-signal'
import { blockBytes } from '../../src/trustless/index.js'
import { MAX_PROVIDER_SESSIONS, MAX_SESSION_PROVIDERS, PROVIDER_SESSION_IDLE_MS, PROVIDERS_TIMEOUT_MS, SESSION_NO_PROVIDERS_MEMO_MS, SESSION_PROVIDERS_WAIT_MS } from './constants.js'
import type { GatewayBlockstore } from './blockstore.js'
import type { Blocks, SessionBlockstore } from '@helia/interface'
import type { AbortOptions, PeerId } from '@libp2p/interface'
import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

const log = logger('wia:relay:gateway:sessions')

/** The get option that names the root of the DAG a block is read for ({@link underRoot}). */
const ROOT = Symbol('wia:root')

/**
 * The root a block is read under: the CID, or a lookup of it that only a
 * read which reaches the network makes (a raw block on a site origin: the
 * site's current root, read from the relay's registry; most such reads are
 * answered from the relay's store first, and a registry read per request
 * cost a third of the raw blocks a relay served a second, `npm run bench`).
 */
export type RootOf = CID | (() => Promise<CID | undefined>)

/** Options of a `get` made under a root. */
interface UnderRootOptions extends AbortOptions {
  [ROOT]?: RootOf
}

/**
 * `store` whose every `get` says it reads a block of the DAG under `root`
 * (a CAR's root, a site warmed up, a site the cache keeps), so
 * {@link ProviderSessions} below it asks that root's providers for a block
 * no store holds. Options pass through every layer of the gateway's stores
 * (`localFirst`, `sharedFetches`, `boundedFetches`, `onFetched`) as they
 * are. A whole `Blockstore` (its other calls not implemented), so Helia's
 * graph walkers can read through it (`SiteCache`).
 */
export function underRoot (store: GatewayBlockstore, root: RootOf): Blockstore {
  return new UnderRoot(store, root)
}

/** {@link underRoot}'s store. */
class UnderRoot extends BaseBlockstore {
  constructor (private readonly store: GatewayBlockstore, private readonly root: RootOf) {
    super()
  }

  override async has (cid: CID, options?: AbortOptions): Promise<boolean> {
    return this.store.has(cid, options)
  }

  override async * get (cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    yield * this.store.get(cid, { ...options, [ROOT]: this.root } as UnderRootOptions)
  }
}

export interface ProviderSessionsComponents {
  /** Helia's blockstore: sessions, and the want sent to every connected peer for a block read under no root. */
  blockstore: Pick<Blocks, 'get' | 'has' | 'createSession'>
  /** Providers of a CID (the relay's content routing: the WIA DHT). */
  findProviders(cid: CID, options: AbortOptions): AsyncIterable<{ id: PeerId }>
  /** This relay: never its own provider. */
  self: PeerId
}

export interface ProviderSessionsInit {
  /** @default SESSION_PROVIDERS_WAIT_MS (250 ms) */
  providersWaitMs?: number
  /** @default PROVIDER_SESSION_IDLE_MS (60 s) */
  idleMs?: number
  /** @default MAX_PROVIDER_SESSIONS (256) */
  maxSessions?: number
  /** @default SESSION_NO_PROVIDERS_MEMO_MS (5 s) */
  noProvidersMemoMs?: number
  /** Providers a session starts with and keeps at most. @default MAX_SESSION_PROVIDERS (5) */
  maxProviders?: number
}

/** A root's session and the providers it was made with. */
interface OpenSession {
  blocks: SessionBlockstore
  providers: PeerId[]
}

/** A root's session once the lookup of its providers ended; `undefined` when it found none. */
type Session = Promise<OpenSession | undefined>

/**
 * Helia's blockstore, fetching a block read under a root ({@link underRoot})
 * from that root's providers only: one Helia session per root, made with the
 * providers one lookup finds (hosts and caching peers announce their sites'
 * roots in the WIA DHT; up to `maxProviders`, the relay itself left out)
 * once that lookup ends. Without it each want went to every peer connected to
 * the relay (`@helia/bitswap` 4 outside a session), so every host on a relay
 * heard of the blocks of every site its visitors fetched, and each want also
 * ran a provider lookup of its own CID, which for anything but a root finds
 * nobody.
 *
 * A session whose provider disconnects is closed ({@link providerLeft}):
 * `@helia/bitswap` sends a session's want to its provider once, so a want
 * that provider took with it (a host tab reloaded, a laptop asleep) was
 * never asked again, and every read of the root waited on it until its
 * caller gave up (a visitor arriving right after the host's tab reloaded
 * got a 504 in 3 of 12 runs of `e2e/app.spec.ts`). The reads it had under
 * way fall back to Helia's blockstore, whose want list goes to the provider
 * again once it is back; the next read makes a new session.
 *
 * A `get` waits at most `providersWaitMs` for the session (a lookup among
 * the relay's own provider records ends in about a millisecond) and then
 * falls back to Helia's blockstore, as does a `get` under no root (a raw
 * block request), one whose root has no provider, and one the session fails
 * (its providers lack the block: Helia evicts a provider that answers
 * `DONT_HAVE`, and finds no other for a CID that is not a root). A session
 * left with no provider is closed and the root's next read makes a new one:
 * Helia evicts a provider for good also when a caller aborts a read it was
 * asking that provider for (a visitor who left mid-load, a worker's retry),
 * and such a session's reads never settled (patched, `docs/upstream.md`):
 * every later read of the site waited for the relay's bound and got 504,
 * for as long as visits kept the session from going idle. A session
 * unused for `idleMs` is closed; at most `maxSessions` are open, the least
 * recently used closed first. A root whose lookup found no provider is
 * looked up again after `noProvidersMemoMs`.
 *
 * Each session is made with the root's providers as its initial ones: in
 * helia 7.1.15 a session looks up the providers of the first CID it is
 * asked for, not of its root, and keeps only those `@helia/bitswap` finds
 * dialable, which a host reached through this relay's own circuit is not
 * (docs/http.md).
 */
export class ProviderSessions implements GatewayBlockstore {
  private readonly sessions: LRUCache<string, { session: Session }>
  private readonly providersWaitMs: number
  private readonly noProvidersMemoMs: number
  private readonly maxProviders: number

  constructor (private readonly components: ProviderSessionsComponents, init: ProviderSessionsInit = {}) {
    this.providersWaitMs = init.providersWaitMs ?? SESSION_PROVIDERS_WAIT_MS
    this.noProvidersMemoMs = init.noProvidersMemoMs ?? SESSION_NO_PROVIDERS_MEMO_MS
    this.maxProviders = init.maxProviders ?? MAX_SESSION_PROVIDERS
    this.sessions = new LRUCache({
      max: init.maxSessions ?? MAX_PROVIDER_SESSIONS,
      ttl: init.idleMs ?? PROVIDER_SESSION_IDLE_MS,
      updateAgeOnGet: true,
      ttlAutopurge: true,
      dispose: ({ session }) => { void session.then(opened => { opened?.blocks.close() }, () => {}) }
    })
  }

  async has (cid: CID, options?: AbortOptions): Promise<boolean> {
    return this.components.blockstore.has(cid, options)
  }

  async * get (cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    const rootOf = (options as UnderRootOptions | undefined)?.[ROOT]
    const root = typeof rootOf === 'function' ? await rootOf() : rootOf
    const session = root == null ? undefined : await this.sessionWithin(root, options?.signal)
    if (session != null) {
      try {
        yield await blockBytes(session.blocks.get(cid, options))
        return
      } catch (err) {
        options?.signal?.throwIfAborted()
        if (root != null && outOfProviders(err)) {
          this.drop(root.toString(), opened => opened === session)
        }
        log('the providers of %c did not give %c, asking every peer - %e', root, cid, err)
      }
    }
    yield * this.components.blockstore.get(cid, options)
  }

  /**
   * `peer` disconnected from the relay: close the sessions it provides for
   * (their reads under way ask every peer instead, it among them once back).
   */
  providerLeft (peer: PeerId): void {
    for (const key of [...this.sessions.keys()]) {
      this.drop(key, opened => opened.providers.some(provider => provider.equals(peer)))
    }
  }

  /**
   * Close the session of the root `key` (and forget it) if `test` says so,
   * once it is open. `peek`, not `get`: a `get` makes the entry the most
   * recently used, and doing so to each entry of an iteration of the cache
   * walked it for ever (three relays ran out of memory in
   * `e2e/relay-killed.spec.ts` when one was killed).
   */
  private drop (key: string, test: (opened: OpenSession) => boolean): void {
    const entry = this.sessions.peek(key)
    void entry?.session.then(opened => {
      if (opened != null && test(opened) && this.sessions.peek(key) === entry) {
        log('closing the session of %s', key)
        this.sessions.delete(key)
      }
    }, () => {})
  }

  /** Sessions open (or whose providers are being looked up), and roots remembered to have none. */
  get size (): number {
    return this.sessions.size
  }

  /** The root's session, if the lookup of its providers ends within `providersWaitMs` (in time for this read). */
  private async sessionWithin (root: CID, signal?: AbortSignal): Promise<OpenSession | undefined> {
    const key = root.toString()
    let entry = this.sessions.get(key)
    if (entry == null) {
      entry = { session: this.open(root) }
      this.sessions.set(key, entry)
      entry.session.then(opened => {
        // none found: looked up again later, not at every read
        if (opened == null && this.sessions.get(key, { updateAgeOnGet: false }) === entry) {
          this.sessions.set(key, entry, { ttl: this.noProvidersMemoMs })
        }
      }, () => {})
    }
    const wait = AbortSignal.timeout(this.providersWaitMs)
    try {
      return await raceSignal(entry.session, signal == null ? wait : AbortSignal.any([signal, wait]))
    } catch {
      signal?.throwIfAborted()
      return undefined
    }
  }

  private async open (root: CID): Promise<OpenSession | undefined> {
    const { findProviders, self, blockstore } = this.components
    const providers: PeerId[] = []
    try {
      for await (const provider of findProviders(root, { signal: AbortSignal.timeout(PROVIDERS_TIMEOUT_MS) })) {
        if (!provider.id.equals(self) && !providers.some(known => known.equals(provider.id))) {
          providers.push(provider.id)
        }
        if (providers.length >= this.maxProviders) {
          break
        }
      }
    } catch (err) {
      log('looking up the providers of %c ended early - %e', root, err)
    }
    if (providers.length === 0) {
      log('no provider of %c', root)
      return undefined
    }
    log('asking %d providers of %c for its blocks', providers.length, root)
    // every provider found goes in: a session adds only the ones @helia/bitswap finds dialable, and the
    // circuit address of a host on this very relay is not (it is reached on its own connection)
    return { blocks: blockstore.createSession(root, { providers: providers.map(id => id.toCID()), maxProviders: this.maxProviders }), providers }
  }
}

/**
 * A session's read failed because the session has no provider left to ask:
 * Helia evicts a provider for good (a filter it never leaves) when a read
 * it was asked for fails, the caller's abort included (`@helia/utils` 3.0.5
 * `AbstractSession`), and then looks up the block's own CID, which for
 * anything but a root finds nobody (`InsufficientProvidersError`, inside
 * helia's `LoadBlockFailedError`).
 */
function outOfProviders (err: unknown): boolean {
  const spent = (e: unknown): boolean => (e as Error | undefined)?.name === 'InsufficientProvidersError'
  return spent(err) || (err instanceof AggregateError && err.errors.some(spent))
}
