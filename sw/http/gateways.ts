import { logger } from '../log.js'
import { BlockHashMismatchError, MalformedCarError, carRequest, nameRecordRequest, verifiedCarBlocks, verifyBlock } from '../../src/trustless/index.js'
import { FIRST_VISIT_RECORD_GRACE_MS, GATEWAY_ATTEMPT_TIMEOUT_MS, GATEWAY_BLOCK_STALL_MS, GATEWAY_PENALTY_MS } from './constants.js'
import { GatewayStatusError, GatewaysUnavailableError } from './errors.js'
import { StallWatchdog } from '../../src/signals/index.js'
import type { VerifiedBlock, VisitRequest } from '../../src/trustless/index.js'
import type { CID } from 'multiformats/cid'

const log = logger('wia:sw:gateways')

export interface RelayGatewaysInit {
  /**
   * Base URLs of relay gateways, each ending in `/_wia/`, best first: the
   * site origin's own relay, then others (they answer with CORS).
   */
  bases: string[]
  /** @default GATEWAY_ATTEMPT_TIMEOUT_MS */
  attemptTimeoutMs?: number
  /** Longest wait for each next block of a CAR that has started (ms). @default GATEWAY_BLOCK_STALL_MS */
  blockStallMs?: number
  /** @default globalThis.fetch */
  fetch?: typeof fetch
  now?(): number
}

/**
 * A request's abort signal, and whether the browser's HTTP cache may answer
 * it (`cache`, Fetch spec's request cache mode; default `no-store`: the
 * relay is asked every time). `default` lets a cold visit's first requests
 * use the answers its bootstrap page fetched a moment before
 * (`src/trustless/visit-requests.ts`).
 */
export interface HttpCacheOptions {
  signal?: AbortSignal
  cache?: RequestCache
}

/**
 * The relays a site worker fetches from over HTTP (`docs/http.md`): name
 * records and blocks in the IPFS Trustless Gateway formats. Nothing a relay
 * sends is believed: every block is checked against its CID before it is
 * returned, and a relay that fails, is slow or sends a bad block is passed
 * over for the next one (and asked last for a while).
 */
export class RelayGateways {
  private readonly bases: string[]
  private readonly attemptTimeoutMs: number
  private readonly blockStallMs: number
  private readonly fetch: typeof fetch
  private readonly now: () => number
  /** Until when a base is asked last (ms since the epoch). */
  private readonly penalties = new Map<string, number>()

  constructor (init: RelayGatewaysInit) {
    this.bases = init.bases
    this.attemptTimeoutMs = init.attemptTimeoutMs ?? GATEWAY_ATTEMPT_TIMEOUT_MS
    this.blockStallMs = init.blockStallMs ?? GATEWAY_BLOCK_STALL_MS
    this.fetch = init.fetch ?? globalThis.fetch.bind(globalThis)
    this.now = init.now ?? Date.now
  }

  /** The bases in the order to ask them now: those that failed lately last. */
  order (): string[] {
    const now = this.now()
    const ok = this.bases.filter(base => (this.penalties.get(base) ?? 0) <= now)
    return [...ok, ...this.bases.filter(base => !ok.includes(base))]
  }

  /**
   * One block (`GET <base>ipfs/<cid>`, `application/vnd.ipld.raw`), checked
   * against its CID.
   *
   * @throws {GatewaysUnavailableError} when no relay sent the block's right bytes
   */
  async block (cid: CID, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    return await this.first(`block ${cid}`, options, async (base, signal) => {
      const res = await this.get({ url: `${base}ipfs/${cid}`, accept: 'application/vnd.ipld.raw' }, signal)
      const bytes = new Uint8Array(await res.arrayBuffer())
      await verifyBlock(cid, bytes)
      return bytes
    })
  }

  /**
   * The signed name record a relay holds for `name` (`GET <base>name/<name>`),
   * as bytes: the caller decodes and verifies it. Relays are asked in order
   * until `accept` takes a record.
   *
   * @param accept - checks a record; throws to ask the next relay (a forged or stale record)
   * @throws {GatewaysUnavailableError} when no relay gave a record `accept` took (`attempts` say why)
   */
  async record<T> (name: string, accept: (bytes: Uint8Array) => Promise<T>, options: HttpCacheOptions = {}): Promise<T> {
    return await this.first(`a record for ${name}`, options, async (base, signal) => {
      const res = await this.get(nameRecordRequest(base, name), signal, options.cache)
      return await accept(new Uint8Array(await res.arrayBuffer()))
    })
  }

  /**
   * The name record of `name` from every relay at once, for a first visit
   * (`docs/naming.md` §"first visit"): returns the answers in hand when all
   * relays have answered or failed, or `graceMs` after the first record came,
   * whichever is sooner. Bytes only: the caller decodes and verifies them,
   * and may start on each as it comes (`onAnswer`, called once per answer
   * that is returned).
   *
   * @throws {GatewaysUnavailableError} when no relay sent a record (`statuses` hold 404s of relays that have none)
   */
  async recordsFromAll (name: string, options: HttpCacheOptions & { graceMs?: number, onAnswer?(answer: { base: string, bytes: Uint8Array }): void } = {}): Promise<Array<{ base: string, bytes: Uint8Array }>> {
    const answers: Array<{ base: string, bytes: Uint8Array }> = []
    const attempts = new Attempts(this.attemptTimeoutMs)
    const graceMs = options.graceMs ?? FIRST_VISIT_RECORD_GRACE_MS
    const enough = new AbortController()
    let graceTimer: ReturnType<typeof setTimeout> | undefined
    const asks = this.bases.map(async base => {
      const timeout = AbortSignal.timeout(this.attemptTimeoutMs)
      const signal = AbortSignal.any([timeout, enough.signal, ...(options.signal == null ? [] : [options.signal])])
      try {
        const res = await this.get(nameRecordRequest(base, name), signal, options.cache)
        const answer = { base, bytes: new Uint8Array(await res.arrayBuffer()) }
        if (enough.signal.aborted) {
          return
        }
        answers.push(answer)
        options.onAnswer?.(answer)
        graceTimer ??= setTimeout(() => { enough.abort() }, graceMs)
      } catch (err) {
        if (!enough.signal.aborted) {
          attempts.failed(base, err, timeout)
        }
      }
    })
    await Promise.race([Promise.all(asks), new Promise(resolve => { enough.signal.addEventListener('abort', resolve, { once: true }) })])
    clearTimeout(graceTimer)
    options.signal?.throwIfAborted()
    if (answers.length === 0) {
      throw attempts.error(`a record for ${name}`)
    }
    return answers
  }

  /**
   * The blocks of `root/path` as one CAR (`dag-scope=entity`: the blocks on
   * the path and the whole file or directory at its end), each checked
   * against its CID as it arrives (`entityBytes`: only the blocks of that byte
   * range of the file, `from:to` as the Trustless Gateway spec writes it, for
   * a `Range` request; `dagScope: 'all'`: the whole DAG under the path, for a
   * whole small site; `dagScope: 'block'`: of the path's end only its root
   * block, for a HEAD). Asks one relay; a stream that breaks or
   * holds a bad block ends the iteration with that error (blocks before it
   * were good), and the caller fetches what is still missing block by block.
   * The relay has `attemptTimeoutMs` to send the response's head, and
   * `blockStallMs` for each next block while the caller waits for one: a
   * large file streams for as long as its blocks keep coming (a bound on the
   * whole answer cut every CAR that took longer: a 100 MB file at 10 MiB/s),
   * and a host that is silent for some seconds does not cut it.
   * A relay that sent an altered block or a malformed CAR, or went silent,
   * is asked last for a while.
   *
   * @throws {FetchStalledError} when the relay sent no head within `attemptTimeoutMs`, or no next block within `blockStallMs`
   */
  async * car (root: CID, path: string, options: HttpCacheOptions & { entityBytes?: string, dagScope?: 'block' | 'entity' | 'all' } = {}): AsyncGenerator<VerifiedBlock> {
    const [base] = this.order()
    if (base == null) {
      return
    }
    const request = carRequest(base, root.toString(), path, options)
    const watchdog = new StallWatchdog(this.attemptTimeoutMs, options.signal, `answer to ${request.url}`)
    try {
      const res = await this.get(request, watchdog.signal, options.cache)
      if (res.body == null) {
        return
      }
      watchdog.progress(this.blockStallMs)
      for await (const block of verifiedCarBlocks(res.body)) {
        // the clock runs only while this waits for the relay, not while the caller keeps a block
        watchdog.pause()
        yield block
        watchdog.progress(this.blockStallMs)
      }
    } catch (err) {
      // silence, an altered block, or bytes cut inside a section or that are no CAR (a relay's own failure closes the connection instead)
      if (watchdog.stalled) {
        this.penalise(base)
        throw watchdog.signal.reason
      }
      if ((err as Error).name === BlockHashMismatchError.name || (err as Error).name === MalformedCarError.name) {
        this.penalise(base)
      }
      throw err
    } finally {
      watchdog.stop()
    }
  }

  private async get ({ url, accept }: VisitRequest, signal: AbortSignal, cache: RequestCache = 'no-store'): Promise<Response> {
    const res = await this.fetch(url, { headers: accept == null ? {} : { accept }, signal, cache })
    if (!res.ok) {
      await res.body?.cancel()
      throw new GatewayStatusError(res.status)
    }
    return res
  }

  private async first<T> (what: string, options: { signal?: AbortSignal }, attempt: (base: string, signal: AbortSignal) => Promise<T>): Promise<T> {
    const attempts = new Attempts(this.attemptTimeoutMs)
    for (const base of this.order()) {
      options.signal?.throwIfAborted()
      const timeout = AbortSignal.timeout(this.attemptTimeoutMs)
      const signal = options.signal == null ? timeout : AbortSignal.any([options.signal, timeout])
      try {
        return await attempt(base, signal)
      } catch (err) {
        options.signal?.throwIfAborted()
        const reason = attempts.failed(base, err, timeout)
        log('%s: %s from %s - %s', what, (err as Error).name, base, reason)
        if (err instanceof GatewayStatusError && err.status === 404) {
          // a relay that answers "not found" is working: it is not passed over
          continue
        }
        this.penalise(base)
      }
    }
    throw attempts.error(what)
  }

  private penalise (base: string): void {
    this.penalties.set(base, this.now() + GATEWAY_PENALTY_MS)
  }
}

/** What each relay asked did, for the {@link GatewaysUnavailableError} when none answered. */
class Attempts {
  private readonly reasons: string[] = []
  private readonly statuses: number[] = []

  constructor (private readonly attemptTimeoutMs: number) {}

  /** Note a relay's failure (`timeout`: its attempt's own bound); returns the reason in words. */
  failed (base: string, err: unknown, timeout: AbortSignal): string {
    const reason = timeout.aborted ? `no answer within ${this.attemptTimeoutMs} ms` : (err as Error).message
    this.reasons.push(`${base}: ${reason}`)
    if (err instanceof GatewayStatusError) {
      this.statuses.push(err.status)
    }
    return reason
  }

  error (what: string): GatewaysUnavailableError {
    return new GatewaysUnavailableError(what, this.reasons, this.statuses)
  }
}
