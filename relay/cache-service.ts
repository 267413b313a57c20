import { logger } from '@libp2p/logger'
import { lpStream } from '@libp2p/utils'
import {
  CACHE_PROTOCOL,
  MAX_CACHE_MESSAGE_BYTES,
  decodeCacheRequest,
  encodeCacheAnswer,
  errorAnswer
} from '../src/cache/index.js'
import { parseName } from '../src/naming/index.js'
import type { CacheAnswer, CacheRequest, DemandCounter, SiteCache } from '../src/cache/index.js'
import type { Libp2p, Stream } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

const log = logger('wia:relay:cache')

/** How long a peer may take to send its request (ms). */
export const REQUEST_READ_TIMEOUT_MS = 10_000
/** How long fetching a whole site to keep may take (ms): 100 MB at ~1 MB/s. */
export const KEEP_TIMEOUT_MS = 5 * 60_000
/**
 * Visits of one name within this long of the one before are written to the
 * site cache together, with their summed weight, at its end (ms). Counting a
 * visit reads every kept site's pin and writes one; the relay's plain HTTP
 * answers count each page served, and one such write per page halved the
 * pages a relay served a second (`npm run bench`, relay cached requests).
 */
export const VISIT_WRITE_WINDOW_MS = 250

/** The cache fetched a site but did not keep it: every other site is in more demand. */
class NotKeptError extends Error {
  static override name = 'NotKeptError'
  override name = 'NotKeptError'
}

export interface CacheServiceComponents {
  libp2p: Pick<Libp2p, 'handle' | 'unhandle'>
  cache: Pick<SiteCache, 'keep' | 'touch' | 'drop'>
  demand: DemandCounter
  /**
   * The current root of a name, from a verified record (the relay's registry
   * or the DHT).
   *
   * @throws {NameNotFoundError} when the name is not registered
   * @throws {SiteUnpublishedError} when its record says it was unpublished
   */
  currentRoot(name: string, signal: AbortSignal): Promise<CID>
}

export interface CacheServiceInit {
  /** Visits after which a site not kept yet is fetched and kept (see `docs/caching.md`). */
  hotVisits: number
}

/**
 * A relay's side of `CACHE_PROTOCOL`: keeps the sites owners ask it to keep,
 * counts visits, keeps a site once it is hot, and follows a kept site to its
 * name's new root when a visit shows the name moved on.
 */
export class CacheService {
  /** Keeps under way, by name, so a burst of visits fetches a site once; `hot`: started by visits. */
  private readonly keeping = new Map<string, { run: Promise<CacheAnswer>, hot: boolean }>()

  /** Names whose visits are being gathered, with the visits since their last write and the timer that writes them. */
  private readonly gathering = new Map<string, { visits: number, timer: ReturnType<typeof setTimeout> }>()

  constructor (private readonly components: CacheServiceComponents, private readonly init: CacheServiceInit) {}

  async start (): Promise<void> {
    await this.components.libp2p.handle(CACHE_PROTOCOL, async (stream) => { await this.onStream(stream) }, {
      // visitors and hosts reach a relay directly, never through another relay
      runOnLimitedConnection: false
    })
  }

  async stop (): Promise<void> {
    for (const { timer } of this.gathering.values()) clearTimeout(timer)
    this.gathering.clear()
    await this.components.libp2p.unhandle(CACHE_PROTOCOL)
  }

  /** Answer one request (exposed for tests). */
  async answer (request: CacheRequest): Promise<CacheAnswer> {
    try {
      parseName(request.name)
      if (request.op === 'keep') {
        this.components.demand.add(request.name)
        return await this.keep(request.name)
      }
      return await this.visit(request.name)
    } catch (err) {
      return errorAnswer(err)
    }
  }

  /**
   * Stop keeping `name` and delete its blocks (those no other kept site
   * shares): its owner unpublished it (`docs/naming.md` §6a). Also done when a
   * keep or a visit finds the name unpublished.
   */
  async forget (name: string): Promise<void> {
    if (await this.components.cache.drop(name)) {
      log('%s was unpublished: its kept copy is dropped', name)
    }
  }

  /**
   * Count one visit of `name`: in the demand counter at once; in the site
   * cache at once for the first visit of a while, and together with the
   * others that follow it within {@link VISIT_WRITE_WINDOW_MS} at the end of
   * that window.
   */
  private async visit (name: string): Promise<CacheAnswer> {
    const score = this.components.demand.add(name)
    const gathered = this.gathering.get(name)
    if (gathered != null) {
      gathered.visits++
      return { status: 'counted' }
    }
    const timer = setTimeout(() => {
      const visits = this.gathering.get(name)?.visits ?? 0
      this.gathering.delete(name)
      if (visits > 0) {
        this.write(name, visits, this.components.demand.get(name)).catch(err => { log('could not count visits of %s - %e', name, err) })
      }
    }, VISIT_WRITE_WINDOW_MS)
    timer.unref?.()
    this.gathering.set(name, { visits: 0, timer })
    await this.write(name, 1, score)
    return { status: 'counted' }
  }

  /** Add `visits` to `name`'s kept site, or keep it once its demand `score` makes it hot. */
  private async write (name: string, visits: number, score: number): Promise<void> {
    if (await this.components.cache.touch(name, visits) != null) {
      // a kept site follows its name: a visit after an update fetches the new root
      void this.keep(name, { hot: true }).catch(() => {})
      return
    }
    // rounded: three visits within the last hours are three visits, though decay took a sliver off
    if (Math.round(score) >= this.init.hotVisits) {
      log('%s is hot (%d visits): keeping it', name, score.toFixed(1))
      void this.keep(name, { hot: true }).catch(() => {})
    }
  }

  /** Keep `name`'s current site; `hot`: made hot by visits, not asked for (see `KeepOptions.hot`). */
  private async keep (name: string, options: { hot?: boolean } = {}): Promise<CacheAnswer> {
    const hot = options.hot === true
    const running = this.keeping.get(name)
    if (running != null) {
      if (hot || !running.hot) {
        return await running.run
      }
      // an owner's keep never shares the fate of a hot one, which the cache may refuse (FetchQueueBusyError) or fetch last
      const answer = await running.run.catch(() => undefined)
      return answer ?? await this.keep(name)
    }
    const run = (async (): Promise<CacheAnswer> => {
      const signal = AbortSignal.timeout(KEEP_TIMEOUT_MS)
      const root = await this.components.currentRoot(name, signal).catch(async (err: Error) => {
        if (err.name === 'SiteUnpublishedError') {
          await this.forget(name)
        }
        throw err
      })
      const outcome = await this.components.cache.keep(name, root, { signal, demand: this.components.demand.get(name), hot })
      if (!outcome.kept) {
        throw new NotKeptError(`This relay's cache is full of sites in more demand than ${name}; it is served from its owner and its visitors`)
      }
      return { status: 'kept', root, bytes: outcome.bytes }
    })()
    this.keeping.set(name, { run, hot })
    try {
      return await run
    } catch (err) {
      log('not keeping %s - %e', name, err)
      throw err
    } finally {
      if (this.keeping.get(name)?.run === run) {
        this.keeping.delete(name)
      }
    }
  }

  private async onStream (stream: Stream): Promise<void> {
    try {
      const lp = lpStream(stream, { maxDataLength: MAX_CACHE_MESSAGE_BYTES })
      let answer: CacheAnswer
      try {
        answer = await this.answer(decodeCacheRequest((await lp.read({ signal: AbortSignal.timeout(REQUEST_READ_TIMEOUT_MS) })).subarray()))
      } catch (err) {
        answer = errorAnswer(err)
      }
      await lp.write(encodeCacheAnswer(answer))
      await stream.close()
    } catch (err) {
      log('cache stream failed - %e', err)
      stream.abort(err as Error)
    }
  }
}
