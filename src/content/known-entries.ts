import { CID } from 'multiformats/cid'
import QuickLRU from 'quick-lru'
import { raceSignal } from 'race-signal'
import { ownBytes } from '../trustless/block-bytes.js'
import type { SiteEntryStats, SiteFiles } from './files.js'

/** Directory entries a relay or a site worker remembers (entries; about 200 bytes each). */
export const KNOWN_ENTRIES_MAX = 10_000

/**
 * What {@link knownEntries} remembers, `<directory CID>/<entry name>` → the
 * entry, least recently used first out past its bound; and the lookups
 * under way, which requests for the same entry meanwhile share.
 */
export class KnownEntries {
  readonly remembered: QuickLRU<string, SiteEntryStats>
  readonly pending = new Map<string, Promise<SiteEntryStats>>()

  constructor (maxSize = KNOWN_ENTRIES_MAX) {
    this.remembered = new QuickLRU({ maxSize })
  }

  /** Entries remembered. */
  get size (): number {
    return this.remembered.size
  }
}

/** A store for {@link knownEntries}, least recently used first out past {@link KNOWN_ENTRIES_MAX}. */
export function createKnownEntries (maxSize = KNOWN_ENTRIES_MAX): KnownEntries {
  return new KnownEntries(maxSize)
}

/**
 * `files` whose `stat` answers from `known` when it can. A UnixFS directory
 * is addressed by its CID, so its entry `name` is the same every time: the
 * answer is kept until evicted, with no expiry (its CID on bytes of its
 * own, not the directory block's). Each request served by path otherwise
 * reads and decodes the site's directory blocks again: for a directory of
 * 300 pages, most of the time a relay took for a 2 kB page; in the site
 * worker, a repeat visit of a 1 MB site of 20 files took 1.08–1.11× a static
 * server's without it and 0.96–0.99× with it (`docs/performance.md` §A
 * repeat visit). Only entries found are kept; a path with no entry is
 * looked up every time.
 *
 * Requests that want an entry while it is being looked up wait for that
 * lookup rather than start their own: at the start of a load every
 * concurrent request of a page missed, and each decoded the whole directory
 * (810 lookups of one 300-entry directory in the first second of the relay's
 * pages bench, about 3 s of its CPU). A shared lookup runs through the
 * `files` of the request that started it, without that request's signal;
 * each caller stops waiting when its own signal aborts. When a shared lookup
 * fails, a caller that did not start it looks the entry up once more through
 * its own `files` (the first request's reads may have ended with that
 * request, as the site worker's do), so it gets its own answer or error.
 */
export function knownEntries (files: SiteFiles, known: KnownEntries): SiteFiles {
  return {
    async stat (cid, options = {}) {
      const key = `${cid.toString()}/${options.path ?? ''}`
      const remembered = known.remembered.get(key)
      if (remembered != null) {
        return remembered
      }
      const shared = known.pending.get(key)
      if (shared != null) {
        try {
          return await raceSignal(shared, options.signal)
        } catch (err) {
          if (options.signal?.aborted === true) {
            throw err
          }
        }
      }
      const lookup = files.stat(cid, { path: options.path })
      known.pending.set(key, lookup)
      // the entry's CID is a view into its directory's block: kept, it would keep that whole block alive
      lookup.then(stats => { known.remembered.set(key, { ...stats, cid: CID.decode(ownBytes(stats.cid.bytes)) }) }, () => {}).finally(() => {
        if (known.pending.get(key) === lookup) known.pending.delete(key)
      })
      return await raceSignal(lookup, options.signal)
    },
    cat: (cid, options) => files.cat(cid, options)
  }
}
