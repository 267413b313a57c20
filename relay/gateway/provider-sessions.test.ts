import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { MemoryBlockstore } from 'blockstore-core'
import toBuffer from 'it-to-buffer'
import { describe, expect, it, vi } from 'vitest'
import { rawBlock } from '../../test/fixtures/blocks.js'
import { localFirst } from './blockstore.js'
import { ProviderSessions, underRoot } from './provider-sessions.js'
import type { ProviderSessionsComponents } from './provider-sessions.js'
import type { SessionBlockstore } from '@helia/interface'
import type { PeerId } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

async function peer (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

/** Helia's blockstore as the relay sees it: wants to every peer (`asked`), and sessions made with their initial providers. */
function fakeHelia (blocks: Map<string, Uint8Array>, sessionBlocks: Map<string, Uint8Array> = blocks) {
  const asked: string[] = []
  const sessions: Array<{ root: string, providers: string[], asked: string[], closed: boolean }> = []
  const blockstore: ProviderSessionsComponents['blockstore'] = {
    has: async () => false,
    async * get (cid: CID) {
      asked.push(cid.toString())
      const bytes = blocks.get(cid.toString())
      if (bytes == null) throw new Error('no peer has it')
      yield bytes
    },
    createSession (root: CID, options?: { providers?: unknown[] }) {
      const made = { root: root.toString(), providers: (options?.providers ?? []).map(String), asked: [] as string[], closed: false }
      sessions.push(made)
      return {
        async * get (cid: CID) {
          made.asked.push(cid.toString())
          const bytes = sessionBlocks.get(cid.toString())
          if (bytes == null) throw new Error('Provider did not have block')
          yield bytes
        },
        close () { made.closed = true }
      } as unknown as SessionBlockstore
    }
  } as unknown as ProviderSessionsComponents['blockstore']
  return { blockstore, asked, sessions }
}

describe('ProviderSessions', () => {
  it("asks a block read under a root of that root's providers, through one session per root, never every peer", async () => {
    const [root, child] = await Promise.all([rawBlock('root'), rawBlock('child')])
    const blocks = new Map([[root.cid.toString(), root.bytes], [child.cid.toString(), child.bytes]])
    const helia = fakeHelia(blocks)
    const [self, host, keeper] = await Promise.all([peer(), peer(), peer()])
    let lookups = 0
    const sessions = new ProviderSessions({
      blockstore: helia.blockstore,
      // the relay itself comes first (a caching relay announces what it keeps): never its own provider
      async * findProviders () { lookups++; yield { id: self }; yield { id: host }; yield { id: keeper }; yield { id: host } },
      self
    })
    const store = underRoot(sessions, root.cid)
    expect(await toBuffer(store.get(root.cid))).toEqual(root.bytes)
    expect(await toBuffer(store.get(child.cid))).toEqual(child.bytes)
    expect(helia.asked).toEqual([])
    expect(lookups).toBe(1)
    expect(helia.sessions).toEqual([{ root: root.cid.toString(), providers: [host.toCID().toString(), keeper.toCID().toString()], asked: [root.cid.toString(), child.cid.toString()], closed: false }])
  })

  it('asks every peer for a block read under no root, under a root nobody provides (looked up once meanwhile), and one the providers lack', async () => {
    const [root, orphan, missing] = await Promise.all([rawBlock('root'), rawBlock('orphan'), rawBlock('only elsewhere')])
    const blocks = new Map([[root.cid.toString(), root.bytes], [orphan.cid.toString(), orphan.bytes], [missing.cid.toString(), missing.bytes]])
    const helia = fakeHelia(blocks, new Map([[root.cid.toString(), root.bytes]]))
    const host = await peer()
    const lookups: string[] = []
    const sessions = new ProviderSessions({
      blockstore: helia.blockstore,
      async * findProviders (cid) {
        lookups.push(cid.toString())
        if (cid.equals(root.cid)) yield { id: host }
      },
      self: await peer()
    })
    expect(await toBuffer(sessions.get(orphan.cid))).toEqual(orphan.bytes)
    expect(await toBuffer(underRoot(sessions, orphan.cid).get(orphan.cid))).toEqual(orphan.bytes)
    expect(await toBuffer(underRoot(sessions, orphan.cid).get(orphan.cid))).toEqual(orphan.bytes)
    expect(await toBuffer(underRoot(sessions, root.cid).get(missing.cid))).toEqual(missing.bytes)
    expect(helia.asked).toEqual([orphan.cid.toString(), orphan.cid.toString(), orphan.cid.toString(), missing.cid.toString()])
    expect(lookups).toEqual([orphan.cid.toString(), root.cid.toString()])
    expect(helia.sessions.map(session => session.asked)).toEqual([[missing.cid.toString()]])
  })

  it('takes the root from a lookup made only by a read that reaches it (a site origin asking for a raw block)', async () => {
    const [root, child] = await Promise.all([rawBlock('root'), rawBlock('child')])
    const helia = fakeHelia(new Map([[child.cid.toString(), child.bytes]]))
    const host = await peer()
    const sessions = new ProviderSessions({
      blockstore: helia.blockstore,
      async * findProviders (cid) { if (cid.equals(root.cid)) yield { id: host } },
      self: await peer()
    })
    const rootLookups: string[] = []
    const siteRoot = (found: CID | undefined) => async () => { rootLookups.push(String(found)); return found }
    // a block the relay's own store holds never reaches the lookup
    const kept = new MemoryBlockstore()
    await kept.put(child.cid, child.bytes)
    expect(await toBuffer(underRoot(localFirst(kept, sessions), siteRoot(root.cid)).get(child.cid))).toEqual(child.bytes)
    expect(rootLookups).toEqual([])
    expect(await toBuffer(underRoot(sessions, siteRoot(root.cid)).get(child.cid))).toEqual(child.bytes)
    expect(helia.sessions.map(session => [session.root, session.asked])).toEqual([[root.cid.toString(), [child.cid.toString()]]])
    // no root known (no record of the site on this relay): every peer is asked
    expect(await toBuffer(underRoot(sessions, siteRoot(undefined)).get(child.cid))).toEqual(child.bytes)
    expect(helia.asked).toEqual([child.cid.toString()])
    expect(rootLookups).toEqual([root.cid.toString(), 'undefined'])
  })

  it('does not wait longer than its bound for a provider: that read asks every peer, the next ones the session', async () => {
    const [root, child] = await Promise.all([rawBlock('root'), rawBlock('child')])
    const blocks = new Map([[root.cid.toString(), root.bytes], [child.cid.toString(), child.bytes]])
    const helia = fakeHelia(blocks)
    const host = await peer()
    const sessions = new ProviderSessions({
      blockstore: helia.blockstore,
      async * findProviders () {
        await new Promise(resolve => setTimeout(resolve, 60))
        yield { id: host }
      },
      self: await peer()
    }, { providersWaitMs: 10 })
    const store = underRoot(sessions, root.cid)
    expect(await toBuffer(store.get(root.cid))).toEqual(root.bytes)
    expect(helia.asked).toEqual([root.cid.toString()])
    await new Promise(resolve => setTimeout(resolve, 80))
    expect(await toBuffer(store.get(child.cid))).toEqual(child.bytes)
    expect(helia.asked).toEqual([root.cid.toString()])
    expect(helia.sessions[0]?.asked).toEqual([child.cid.toString()])
  })

  it("passes the caller's abort on, without asking every peer, and closes a session left unused", async () => {
    const root = await rawBlock('root')
    const helia = fakeHelia(new Map(), new Map())
    const host = await peer()
    const sessions = new ProviderSessions({
      blockstore: helia.blockstore,
      async * findProviders () { yield { id: host } },
      self: await peer()
    }, { idleMs: 50 })
    const controller = new AbortController()
    controller.abort(new Error('client went away'))
    await expect(toBuffer(underRoot(sessions, root.cid).get(root.cid, { signal: controller.signal }))).rejects.toThrow('client went away')
    expect(helia.asked).toEqual([])
    // the lookup was under way when the caller left: the session is made all the same
    await new Promise(resolve => setTimeout(resolve, 10))
    expect(helia.sessions).toHaveLength(1)
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(helia.sessions[0]?.closed).toBe(true)
    expect(sessions.size).toBe(0)
  })

  it("closes the sessions of a provider that left: a read waiting on it asks every peer, the next read a new session", async () => {
    const [root, child, otherRoot, otherBlock] = await Promise.all([rawBlock('root'), rawBlock('child'), rawBlock('another site'), rawBlock('of the same host')])
    const blocks = new Map([root, child, otherBlock].map(block => [block.cid.toString(), block.bytes]))
    const [host, keeper, other] = await Promise.all([peer(), peer(), peer()])
    const asked: string[] = []
    const made: Array<{ providers: string[], closed: boolean }> = []
    // Helia's session as it behaves when its provider leaves: the want it sent is never answered, and
    // only closing the session ends the read
    const blockstore = {
      has: async () => false,
      async * get (cid: CID) { asked.push(cid.toString()); yield blocks.get(cid.toString())! },
      createSession (_root: CID, options?: { providers?: unknown[] }) {
        const session = { providers: (options?.providers ?? []).map(String), closed: false }
        const closed = Promise.withResolvers<never>()
        made.push(session)
        return {
          async * get () { yield await closed.promise },
          close () { session.closed = true; closed.reject(new Error('This operation was aborted')) }
        } as unknown as SessionBlockstore
      }
    } as unknown as ProviderSessionsComponents['blockstore']
    const sessions = new ProviderSessions({ blockstore, async * findProviders () { yield { id: host }; yield { id: keeper } }, self: await peer() })
    const store = underRoot(sessions, root.cid)
    const waiting = toBuffer(store.get(root.cid))
    await vi.waitFor(() => { expect(made).toHaveLength(1) })
    // another site the same host provides, read meanwhile
    const otherWaiting = toBuffer(underRoot(sessions, otherRoot.cid).get(otherBlock.cid))
    await vi.waitFor(() => { expect(made).toHaveLength(2) })
    // a peer that provides none of it leaving changes nothing
    sessions.providerLeft(other)
    await new Promise(resolve => setTimeout(resolve, 10))
    expect(made[0]?.closed).toBe(false)
    sessions.providerLeft(host)
    expect(await waiting).toEqual(root.bytes)
    expect(await otherWaiting).toEqual(otherBlock.bytes)
    expect(made.map(session => session.closed)).toEqual([true, true])
    expect(asked.toSorted()).toEqual([root.cid.toString(), otherBlock.cid.toString()].toSorted())
    // the next read makes a new session (with the providers a new lookup finds)
    void toBuffer(store.get(child.cid)).catch(() => {})
    await vi.waitFor(() => { expect(made).toHaveLength(3) })
    expect(made[2]?.closed).toBe(false)
    sessions.providerLeft(keeper)
    await vi.waitFor(() => { expect(made[2]?.closed).toBe(true) })
  })

  it('closes a session left with no provider (Helia evicts one whose read a caller aborted): the next read makes a new one', async () => {
    const [root, child] = await Promise.all([rawBlock('root'), rawBlock('child')])
    const blocks = new Map([[root.cid.toString(), root.bytes], [child.cid.toString(), child.bytes]])
    const host = await peer()
    const asked: string[] = []
    const made: Array<{ closed: boolean }> = []
    const blockstore = {
      has: async () => false,
      async * get (cid: CID) { asked.push(cid.toString()); yield blocks.get(cid.toString())! },
      createSession () {
        const session = { closed: false }
        const spent = made.length === 0
        made.push(session)
        return {
          async * get (cid: CID) {
            if (spent) {
              // helia 7.1.15: a session whose providers were all evicted, as helia's storage reports it
              const none = Object.assign(new Error('Found 0 of 1 bitswap-session providers, 0 in session after evictions'), { name: 'InsufficientProvidersError' })
              throw new AggregateError([none], `Failed to load block for ${cid.toString()}`)
            }
            yield blocks.get(cid.toString())!
          },
          close () { session.closed = true }
        } as unknown as SessionBlockstore
      }
    } as unknown as ProviderSessionsComponents['blockstore']
    const sessions = new ProviderSessions({ blockstore, async * findProviders () { yield { id: host } }, self: await peer() })
    const store = underRoot(sessions, root.cid)
    // the spent session's read is answered by every peer, and the session is closed
    expect(await toBuffer(store.get(root.cid))).toEqual(root.bytes)
    expect(asked).toEqual([root.cid.toString()])
    await vi.waitFor(() => { expect(made[0]?.closed).toBe(true) })
    // the next read goes to a new session of the root's providers, not to every peer
    expect(await toBuffer(store.get(child.cid))).toEqual(child.bytes)
    expect(made).toHaveLength(2)
    expect(made[1]?.closed).toBe(false)
    expect(asked).toEqual([root.cid.toString()])
  })
})
