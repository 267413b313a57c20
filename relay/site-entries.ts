import QuickLRU from 'quick-lru'
import type { SiteEntryStats, SiteFiles } from '../src/content/index.js'

/** Directory entries a relay remembers for its plain HTTP answers (entries; about 200 bytes each). */
export const KNOWN_ENTRIES_MAX = 10_000

/** What {@link knownEntries} remembers: `<directory CID>/<entry name>` → the entry. */
export type KnownEntries = QuickLRU<string, SiteEntryStats>

/** A store for {@link knownEntries}, least recently used first out past {@link KNOWN_ENTRIES_MAX}. */
export function createKnownEntries (maxSize = KNOWN_ENTRIES_MAX): KnownEntries {
  return new QuickLRU({ maxSize })
}

/**
 * `files` whose `stat` answers from `known` when it can. A UnixFS directory
 * is addressed by its CID, so its entry `name` is the same every time: the
 * answer is kept until evicted, with no expiry. Each request a relay serves
 * by path otherwise reads and decodes the site's directory block again (for
 * a directory of 300 pages, most of the time a 2 kB page took). Only entries
 * found are kept; a path with no entry is looked up every time.
 */
export function knownEntries (files: SiteFiles, known: KnownEntries): SiteFiles {
  return {
    async stat (cid, options = {}) {
      const key = `${cid.toString()}/${options.path ?? ''}`
      const remembered = known.get(key)
      if (remembered != null) {
        return remembered
      }
      const stats = await files.stat(cid, options)
      known.set(key, stats)
      return stats
    },
    cat: (cid, options) => files.cat(cid, options)
  }
}
