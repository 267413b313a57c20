import { logger } from '@libp2p/logger'
import { createKnownEntries, exporterFiles, knownEntries } from '../src/content/index.js'
import { answerSitePath, errorAnswer } from '../src/gateway/index.js'
import { timeBound } from '../src/signals/index.js'
import { refetchingCorrupt } from '../src/trustless/index.js'
import { clientSignal, sendAnswer, underRoot } from './gateway/index.js'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { GatewayAnswer } from '../src/gateway/index.js'
import type { GatewayBlockstore } from './gateway/index.js'
import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'

const log = logger('wia:relay:site-content')

/** Directory entries resolved so far, by every site this process serves (content-addressed, so shared safely). */
const entries = createKnownEntries()

/**
 * Bound on resolving a site's name and path before a plain HTTP client gets
 * its answer, and on reading any one block of it (ms): a block no peer
 * serves (its host offline, the relay's copy dropped as corrupt) gives 504
 * before the body, a cut body after, never a request held open.
 */
export const SITE_CONTENT_TIMEOUT_MS = 20_000

export interface SiteContentComponents {
  /**
   * The relay's blocks: its site cache, else bitswap from hosts and caching
   * peers (Helia checks each against its CID). Read under the site's root
   * (`underRoot`): a block the relay lacks is asked of that root's
   * providers, not of every peer connected to the relay.
   */
  blockstore: GatewayBlockstore
  /** The site's current root: the relay's registry, else the DHT (records verified). */
  currentRoot: (name: string, signal: AbortSignal) => Promise<CID>
  /** Told when the answer is a page (`GET`, 200, HTML): the relay counts it as a visit (`relay/visits/`). */
  countPage?: () => void
}

/**
 * Serve a site to a client without the site worker (curl, a search engine, a
 * chat app's link preview, a browser without service workers): the relay
 * resolves the name and reads the files itself, as every public IPFS gateway
 * does for plain HTTP clients. This is a trusted gateway: the client trusts
 * the relay's name resolution (records verified here) and its reading of the
 * blocks (each checked against its CID here). The same shared code answers
 * in the site worker (`src/gateway/serve.ts`): status codes, the site's own
 * 404 page, `Content-Type`, directory redirects.
 */
export async function serveSiteContent (req: IncomingMessage, res: ServerResponse, name: string, url: URL, components: SiteContentComponents): Promise<void> {
  // aborts only for a client that left before the answer ended: an abort at the end of every answer (its
  // DOMException, the listeners of every signal made from it) held the 2 kB pages a relay served a second
  // at 3,600 against 4,319 without it (`npm run bench`, relay cached requests, same machine)
  const closed = clientSignal(res)
  const lookup = timeBound(SITE_CONTENT_TIMEOUT_MS, closed)
  let answer: GatewayAnswer
  try {
    const root = await components.currentRoot(name, lookup.signal).finally(() => { lookup.clear() })
    // the body keeps streaming past the bound; only the client leaving stops it
    answer = await answerSitePath(knownEntries(exporterFiles(boundedReads(refetchingCorrupt(underRoot(components.blockstore, root)), SITE_CONTENT_TIMEOUT_MS)), entries), root, {
      pathname: url.pathname,
      method: req.method ?? 'GET',
      search: url.search,
      name,
      range: req.headers.range,
      ifNoneMatch: req.headers['if-none-match']
    }, { signal: closed })
  } catch (err) {
    log('could not serve %s%s - %e', name, url.pathname, err)
    answer = errorAnswer((lookup.signal.reason as Error | undefined)?.name === 'TimeoutError' ? Object.assign(new Error('timed out'), { name: 'TimeoutError' }) : err, { name, path: url.pathname })
  }
  if (req.method === 'GET' && answer.status === 200 && answer.headers['Content-Type']?.startsWith('text/html') === true) {
    components.countPage?.()
  }
  try {
    await sendAnswer(res, answer, closed)
  } catch (err) {
    if (!closed.aborted) {
      log('body of %s%s failed - %e', name, url.pathname, err)
    }
    res.destroy(err as Error)
  }
}

/** `store` whose every `get` gives up after `timeoutMs` with a `TimeoutError` (the 504 page), or when its caller's signal aborts. */
function boundedReads (store: Pick<Blockstore, 'get'>, timeoutMs: number): Pick<Blockstore, 'get'> {
  return {
    get: async function * (cid, options = {}) {
      const bound = timeBound(timeoutMs, options.signal)
      try {
        yield * store.get(cid, { ...options, signal: bound.signal })
      } finally {
        bound.clear()
      }
    }
  }
}
