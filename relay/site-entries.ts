import { CID } from 'multiformats/cid'
import QuickLRU from 'quick-lru'
import { raceSignal } from 'race-signal'
import { ownBytes } from '../src/trustless/index.js'
import type { SiteEntryStats, SiteFiles } from '../src/content/index.js'

/** Directory entries a relay remembers for its plain HTTP answers (entries; about 200 bytes each). */
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
 * own, not the directory block's). Each request a relay serves
 * by path otherwise reads and decodes the site's directory block again (for
 * a directory of 300 pages, most of the time a 2 kB page took). Only entries
 * found are kept; a path with no entry is looked up every time.
 *
 * Requests that want an entry while it is being looked up wait for that
 * lookup rather than start their own: at the start of a load every
 * concurrent request of a page missed, and each decoded the whole directory
 * (810 lookups of one 300-entry directory in the first second of the pages
 * bench, about 3 s of relay CPU). A shared lookup runs without any one
 * request's signal (the reads under `files` are bounded in time); each
 * caller stops waiting when its own signal aborts.
 */
export function knownEntries (files: SiteFiles, known: KnownEntries): SiteFiles {
  return {
    async stat (cid, options = {}) {
      const key = `${cid.toString()}/${options.path ?? ''}`
      const remembered = known.remembered.get(key)
      if (remembered != null) {
        return remembered
      }
      let lookup = known.pending.get(key)
      if (lookup == null) {
        lookup = files.stat(cid, { path: options.path })
        known.pending.set(key, lookup)
        // the entry's CID is a view into its directory's block: kept, it would keep that whole block alive
        lookup.then(stats => { known.remembered.set(key, { ...stats, cid: CID.decode(ownBytes(stats.cid.bytes)) }) }, () => {}).finally(() => { known.pending.delete(key) })
      }
      return await raceSignal(lookup, options.signal)
    },
    cat: (cid, options) => files.cat(cid, options)
  }
}
