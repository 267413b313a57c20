import { logger } from '@libp2p/logger'
import { nameFromHost } from '../../src/naming/index.js'
import { localFirst } from '../gateway/index.js'
import { MAX_TRACKED_NAMES, REGISTERED_MEMO_MS } from './constants.js'
import { TooManySitesError } from './errors.js'
import type { DayReport, VisitCounter } from './counter.js'
import type { GatewayBlockstore, ServedFrom, StoredFrom } from '../gateway/index.js'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Blockstore } from 'interface-blockstore'

const log = logger('wia:relay:visits')

export interface SiteVisitsComponents {
  counter: Pick<VisitCounter, 'visit' | 'served' | 'report'>
  /** Whether the relay holds (or finds) a valid record of `name`: only such sites are counted. */
  isRegistered: (name: string) => Promise<boolean>
  /** Clock (ms since the Unix epoch). @default Date.now */
  now?: () => number
  /** The relay's own block store (kept sites, blocks fetched before). */
  local: Pick<Blockstore, 'get' | 'has'>
  /** Helia's blockstore: the same store, else bitswap from peers. */
  network: GatewayBlockstore
  /** The peer that sent a block the store holds moments ago, whose bytes then count as that peer's (`SiteWarmup.storedFrom`). */
  storedFrom?: StoredFrom
}

export interface SiteVisitsInit {
  /** Host suffix of site origins (`localhost`, the public domain). */
  gatewaySuffix: string
}

/**
 * The relay's visit counting as its HTTP server uses it: which site a
 * request is for, a blockstore per request that counts the bytes it serves
 * for that site by where they came from, and visit counts. Every count goes
 * to the {@link VisitCounter} only for sites with a valid record.
 */
export class SiteVisits {
  /** Whether a name has a valid record, until when (ms since the epoch); at most `MAX_TRACKED_NAMES` names. */
  private readonly registered = new Map<string, { answer: Promise<boolean>, until: number }>()

  constructor (private readonly components: SiteVisitsComponents, private readonly init: SiteVisitsInit) {}

  /**
   * The site a request is for: the site origin it was sent to (`Host`), else
   * the site origin whose page sent it (`Origin`: a visitor's worker asking
   * another relay's gateway). `undefined` for requests from neither, such as
   * `/ipfs/<cid>` from a plain IPFS client, whose bytes count for no site.
   */
  siteOf (req: IncomingMessage): string | undefined {
    const byHost = nameFromHost(req.headers.host ?? '', this.init.gatewaySuffix)
    if (byHost != null) {
      return byHost
    }
    const origin = req.headers.origin
    if (origin == null || origin === 'null') {
      return undefined
    }
    try {
      return nameFromHost(new URL(origin).host, this.init.gatewaySuffix) ?? undefined
    } catch {
      return undefined
    }
  }

  /**
   * A blockstore for one response of `name`: the relay's store first, then
   * peers, adding up the bytes it yields by source; they are counted when the
   * response closes.
   */
  blockstoreFor (name: string, res: ServerResponse): GatewayBlockstore {
    const tally = new Map<string, { source: ServedFrom, bytes: number }>()
    res.once('close', () => {
      if (tally.size > 0) {
        void this.whenRegistered(name, () => {
          for (const { source, bytes } of tally.values()) this.components.counter.served(name, source, bytes)
        })
      }
    })
    return localFirst(this.components.local, this.components.network, (source, bytes) => {
      const key = source.from === 'store' ? '' : `peer:${source.peer}`
      const entry = tally.get(key) ?? { source, bytes: 0 }
      entry.bytes += bytes
      tally.set(key, entry)
    }, this.components.storedFrom)
  }

  /** Count a page visit of `name` (a worker's ping, a plain HTTP page). Never throws. */
  async visit (name: string): Promise<void> {
    await this.whenRegistered(name, () => { this.components.counter.visit(name) })
  }

  /** The last 30 days of `name` (see {@link VisitCounter.report}). */
  report (name: string, hosts: string[]): DayReport[] {
    return this.components.counter.report(name, { hosts })
  }

  /** {@link SiteVisitsComponents.isRegistered}, remembered for {@link REGISTERED_MEMO_MS}. */
  private async isRegistered (name: string): Promise<boolean> {
    const now = (this.components.now ?? Date.now)()
    const known = this.registered.get(name)
    if (known != null && known.until > now) {
      return known.answer
    }
    if (this.registered.size >= MAX_TRACKED_NAMES) {
      this.registered.clear()
    }
    const answer = this.components.isRegistered(name)
    this.registered.set(name, { answer, until: now + REGISTERED_MEMO_MS })
    return answer
  }

  private async whenRegistered (name: string, count: () => void): Promise<void> {
    try {
      if (await this.isRegistered(name)) {
        count()
      }
    } catch (err) {
      if ((err as Error).name === TooManySitesError.name) {
        log('%s', (err as Error).message)
        return
      }
      log.error('could not count for %s - %e', name, err)
    }
  }
}
