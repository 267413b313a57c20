import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { MAX_SITE_SESSIONS, SiteSessions } from './site-sessions.js'
import type { Helia } from '@helia/interface'

async function cidOf (text: string): Promise<CID> {
  return CID.createV1(0x55, await sha256.digest(new TextEncoder().encode(text)))
}

/** A blockstore that records the sessions it starts and which were closed. */
function fakeHelia (): { helia: Pick<Helia, 'blockstore'>, started: string[], closed: string[] } {
  const started: string[] = []
  const closed: string[] = []
  const blockstore = {
    createSession (root: CID) {
      started.push(root.toString())
      return { close: () => { closed.push(root.toString()) } }
    }
  } as unknown as Helia['blockstore']
  return { helia: { blockstore }, started, closed }
}

describe('SiteSessions', () => {
  it('starts one session per site version and reuses it', async () => {
    const { helia, started } = fakeHelia()
    const sessions = new SiteSessions(helia)
    const v1 = await cidOf('v1')
    const v2 = await cidOf('v2')
    const fs = sessions.fsFor(v1)
    expect(sessions.fsFor(v1)).toBe(fs)
    sessions.fsFor(v2)
    expect(started).toEqual([v1.toString(), v2.toString()])
  })

  it(`keeps at most ${MAX_SITE_SESSIONS} sessions and closes the least recently used`, async () => {
    const { helia, started, closed } = fakeHelia()
    const sessions = new SiteSessions(helia)
    const roots = await Promise.all(Array.from({ length: MAX_SITE_SESSIONS + 1 }, async (_, i) => cidOf(`site ${i}`)))
    for (const root of roots.slice(0, MAX_SITE_SESSIONS)) sessions.fsFor(root)
    // using the first again makes the second the least recently used
    sessions.fsFor(roots[0]!)
    sessions.fsFor(roots[MAX_SITE_SESSIONS]!)
    expect(closed).toEqual([roots[1]!.toString()])
    sessions.fsFor(roots[0]!)
    expect(started).toHaveLength(MAX_SITE_SESSIONS + 1)
  })

  it('starts a new session after a failed one was dropped', async () => {
    const { helia, started, closed } = fakeHelia()
    const sessions = new SiteSessions(helia)
    const root = await cidOf('site')
    const first = sessions.fsFor(root)
    sessions.drop(root)
    expect(closed).toEqual([root.toString()])
    expect(sessions.fsFor(root)).not.toBe(first)
    expect(started).toEqual([root.toString(), root.toString()])
  })
})
