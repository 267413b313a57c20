import { unixfs } from '@helia/unixfs'
import type { Helia } from '@helia/interface'
import type { UnixFS } from '@helia/unixfs'
import type { CID } from 'multiformats/cid'

/** Site versions whose sessions a worker keeps at once; the least recently used goes first. */
export const MAX_SITE_SESSIONS = 8

/**
 * One Helia session per site version (root CID): the providers of the root
 * are found once, through the DHT, and every block below it is asked of them
 * alone. Without a session every block a visit needs started its own DHT
 * provider lookup, which for blocks below the root finds nobody (only roots
 * are announced) and cost a round trip each. A session whose providers stop
 * answering looks for new ones itself; one that found none (Helia's
 * `InsufficientProvidersError`) is dropped, so a later request (the host is
 * back) starts a new one.
 */
export class SiteSessions {
  private readonly sessions = new Map<string, { fs: UnixFS, close: () => void }>()

  constructor (private readonly helia: Pick<Helia, 'blockstore'>) {}

  /** UnixFS over the session of `root`, started on first use. */
  fsFor (root: CID): UnixFS {
    const key = root.toString()
    let entry = this.sessions.get(key)
    if (entry == null) {
      const blockstore = this.helia.blockstore.createSession(root)
      entry = { fs: unixfs({ blockstore }), close: () => { blockstore.close() } }
      if (this.sessions.size >= MAX_SITE_SESSIONS) {
        const [oldest] = this.sessions
        this.sessions.delete(oldest![0])
        oldest![1].close()
      }
    } else {
      this.sessions.delete(key)
    }
    this.sessions.set(key, entry)
    return entry.fs
  }

  /** Close the session of `root` (if any); the next {@link fsFor} starts a new one. */
  drop (root: CID): void {
    const key = root.toString()
    this.sessions.get(key)?.close()
    this.sessions.delete(key)
  }
}
