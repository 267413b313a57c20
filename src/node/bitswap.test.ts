import { withBitswap } from '@helia/bitswap'
import { withLibp2pLight } from '@helia/libp2p'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import { createHeliaLight } from 'helia'
import toBuffer from 'it-to-buffer'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, describe, expect, it } from 'vitest'
import { rawBlock } from '../../test/fixtures/blocks.js'
import { wiaYamux } from './liveness.js'
import type { HeliaWithLibp2p } from '@helia/libp2p'
import type { Identify } from '@libp2p/identify'
import type { AbortOptions } from '@libp2p/interface'
import type { Blockstore } from 'interface-blockstore'

/**
 * Time the fetching node's bitswap waits before it sends its wantlist
 * changes (ms): long, so a want made after a block arrived reliably falls in
 * the window before the received block's want is cleared.
 */
const WANTLIST_DEBOUNCE_MS = 100

/** The sending node's window in which it does not send a block again to a peer it sent it to (ms; `@helia/bitswap`'s default is 5 s). */
const DO_NOT_RESEND_MS = 300

type Node = HeliaWithLibp2p<{ identify: Identify }>

const started: Node[] = []

/** How long a peer waits for the next message on a bitswap stream before it aborts the stream (ms): short, so a kept stream's idle close (half of it) comes soon. */
const MESSAGE_RECEIVE_TIMEOUT_MS = 1_000

async function startNode (blockstore: Blockstore): Promise<Node> {
  const helia = withBitswap(
    withLibp2pLight(createHeliaLight({ blockstore, datastore: new MemoryDatastore() }), {
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0/ws'] },
      transports: [webSockets()],
      connectionEncrypters: [noise()],
      streamMuxers: [wiaYamux()],
      services: { identify: identify() }
    }),
    { sendWantlistDebounce: WANTLIST_DEBOUNCE_MS, doNotResendBlockWindow: DO_NOT_RESEND_MS, messageReceiveTimeout: MESSAGE_RECEIVE_TIMEOUT_MS }
  )
  await helia.start()
  started.push(helia)
  return helia
}

/** A host holding `hostStore` and a relay on `relayStore`, the relay connected to the host. */
async function connectedPair (hostStore: Blockstore, relayStore: Blockstore): Promise<{ host: Node, relay: Node }> {
  const host = await startNode(hostStore)
  const relay = await startNode(relayStore)
  await relay.libp2p.dial(host.libp2p.getMultiaddrs()[0]!)
  return { host, relay }
}

/**
 * A blockstore whose first `put` calls `onFirstPut` and finishes only when
 * that returns: Helia stores a fetched block after bitswap received it, so
 * this holds the fetching node in the moment between the two.
 */
class HeldBlockstore extends MemoryBlockstore {
  private held = false

  constructor (private readonly onFirstPut: () => Promise<void>) {
    super()
  }

  override async put (cid: CID, block: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options?: AbortOptions): Promise<CID> {
    if (!this.held) {
      this.held = true
      await this.onFirstPut()
    }
    return super.put(cid, block, options)
  }
}

afterEach(async () => {
  await Promise.all(started.splice(0).map(async helia => helia.stop()))
})

describe('bitswap (patches/@helia+bitswap)', () => {
  it('a want made after the block arrived, before it was stored, gets that block', async () => {
    const { cid, bytes } = await rawBlock('a directory block two CAR requests need at once')
    const hostStore = new MemoryBlockstore()
    await hostStore.put(cid, bytes)
    const host = await startNode(hostStore)

    // a relay: a second request wants the block while the first one's copy is still being stored
    let second: Promise<Uint8Array> | undefined
    const relay = await startNode(new HeldBlockstore(async () => {
      second = toBuffer(relay.blockstore.get(cid, { signal: AbortSignal.timeout(5 * WANTLIST_DEBOUNCE_MS + 2_000) }))
      // past the debounce: the received block's want is cleared from the wantlist
      await new Promise(resolve => setTimeout(resolve, 3 * WANTLIST_DEBOUNCE_MS))
    }))
    await relay.libp2p.dial(host.libp2p.getMultiaddrs()[0]!)

    const first = await toBuffer(relay.blockstore.get(cid, { signal: AbortSignal.timeout(10_000) }))
    expect(first).toEqual(bytes)
    expect(second).toBeDefined()
    // without the patch this want joined the received block's cancelled entry and waited until aborted
    expect(await second).toEqual(bytes)
  })

  it('a block its peer sent, dropped and wanted again past the do-not-resend window is sent again', async () => {
    const { cid, bytes } = await rawBlock('a block a relay without a cache fetched, deleted and needs again')
    const hostStore = new MemoryBlockstore()
    await hostStore.put(cid, bytes)
    const relayStore = new MemoryBlockstore()
    const { relay } = await connectedPair(hostStore, relayStore)

    expect(await toBuffer(relay.blockstore.get(cid, { signal: AbortSignal.timeout(5_000) }))).toEqual(bytes)
    await relayStore.delete(cid)
    await new Promise(resolve => setTimeout(resolve, 2 * DO_NOT_RESEND_MS))
    // without the patch the host updated its expired 'sent' entry for the block instead of taking a new
    // want, and its expiry sweep then dropped it: the want waited until aborted
    expect(await toBuffer(relay.blockstore.get(cid, { signal: AbortSignal.timeout(5_000) }))).toEqual(bytes)
  })

  it('a want aborted and made again is sent again, and gets the block its peer has by then', async () => {
    const { cid, bytes } = await rawBlock('a block the host imports only after the first want gave up')
    const { host, relay } = await connectedPair(new MemoryBlockstore(), new MemoryBlockstore())

    // the host does not have it yet: the want is sent, answered DONT_HAVE, and given up
    await expect(toBuffer(relay.blockstore.get(cid, { signal: AbortSignal.timeout(3 * WANTLIST_DEBOUNCE_MS) }))).rejects.toThrow()
    await host.blockstore.put(cid, bytes)
    // wanted again before the aborted entry was cleared: without the patch's reset it counted as sent and waited until aborted
    expect(await toBuffer(relay.blockstore.get(cid, { signal: AbortSignal.timeout(5_000) }))).toEqual(bytes)
  })

  it('the sending node reads the blocks of one wantlist at once, not one after the other', async () => {
    const blocks = await Promise.all(Array.from({ length: 6 }, async (_, i) => rawBlock(`file ${i} of a directory a visitor opened`)))
    // a host whose every read takes a while, as IndexedDB's do in a busy tab
    let reading = 0
    let mostAtOnce = 0
    class SlowStore extends MemoryBlockstore {
      override async * get (cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
        reading++
        mostAtOnce = Math.max(mostAtOnce, reading)
        await new Promise(resolve => setTimeout(resolve, 50))
        reading--
        yield * super.get(cid, options)
      }
    }
    const hostStore = new SlowStore()
    for (const { cid, bytes } of blocks) await hostStore.put(cid, bytes)
    const { relay } = await connectedPair(hostStore, new MemoryBlockstore())

    // wanted together: one wantlist message
    const got = await Promise.all(blocks.map(async ({ cid }) => toBuffer(relay.blockstore.get(cid, { signal: AbortSignal.timeout(5_000) }))))
    expect(got).toEqual(blocks.map(({ bytes }) => bytes))
    // without the patch the host read them in turn: never more than one at once
    expect(mostAtOnce).toBe(blocks.length)
  })

  it('large blocks wanted together arrive whole, split over messages under the 4 MiB limit', async () => {
    // five 1.5 MiB blocks: at most two fit a message (the patch sizes each block's encoding without encoding it)
    const blocks = await Promise.all(Array.from({ length: 5 }, async (_, i) => {
      const bytes = new Uint8Array(1_536 * 1024).fill(i + 1)
      return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
    }))
    const hostStore = new MemoryBlockstore()
    for (const { cid, bytes } of blocks) await hostStore.put(cid, bytes)
    const { relay } = await connectedPair(hostStore, new MemoryBlockstore())

    const got = await Promise.all(blocks.map(async ({ cid }) => toBuffer(relay.blockstore.get(cid, { signal: AbortSignal.timeout(10_000) }))))
    expect(got.map(bytes => [bytes.byteLength, bytes[0], bytes[bytes.byteLength - 1]])).toEqual(blocks.map(({ bytes }, i) => [bytes.byteLength, i + 1, i + 1]))
  })

  it('messages to a peer share one stream while they keep coming, closed once idle', async () => {
    const blocks = await Promise.all(Array.from({ length: 3 }, async (_, i) => rawBlock(`block ${i} of a page, wanted one after the other`)))
    const hostStore = new MemoryBlockstore()
    for (const { cid, bytes } of blocks) await hostStore.put(cid, bytes)
    const { host, relay } = await connectedPair(hostStore, new MemoryBlockstore())
    const bitswapStreams = (node: Node): Array<{ direction: string, status: string }> =>
      node.libp2p.getConnections().flatMap(conn => conn.streams).filter(stream => stream.protocol === '/ipfs/bitswap/1.2.0' && stream.direction === 'outbound')
    const opened = { relay: 0, host: 0 }
    for (const [name, node] of [['relay', relay], ['host', host]] as const) {
      const dialProtocol = node.libp2p.dialProtocol.bind(node.libp2p)
      node.libp2p.dialProtocol = async (...args: Parameters<typeof dialProtocol>) => { opened[name]++; return dialProtocol(...args) }
    }

    // three round trips: want, block, want, block, want, block (and the cancels)
    for (const { cid, bytes } of blocks) {
      expect(await toBuffer(relay.blockstore.get(cid, { signal: AbortSignal.timeout(5_000) }))).toEqual(bytes)
    }
    // without the patch every message opened a stream of its own (and negotiated its protocol)
    expect(opened).toEqual({ relay: 1, host: 1 })
    expect(bitswapStreams(relay).filter(stream => stream.status === 'open')).toHaveLength(1)
    // past half the receive timeout with nothing to send, each side closes its stream
    await new Promise(resolve => setTimeout(resolve, MESSAGE_RECEIVE_TIMEOUT_MS))
    expect(bitswapStreams(relay).filter(stream => stream.status === 'open')).toHaveLength(0)
    expect(bitswapStreams(host).filter(stream => stream.status === 'open')).toHaveLength(0)
  })

  it('a block fetched through a session names the peer that sent it, as one fetched by a want to every peer does', async () => {
    const { cid, bytes } = await rawBlock('a root its host provides')
    const hostStore = new MemoryBlockstore()
    await hostStore.put(cid, bytes)
    const { host, relay } = await connectedPair(hostStore, new MemoryBlockstore())
    const session = relay.blockstore.createSession(cid, { providers: [host.libp2p.peerId.toCID()] })
    const senders: string[] = []
    const onProgress = (event: { type: string, detail: unknown }): void => {
      if (event.type === 'bitswap:block') senders.push(String((event.detail as { sender: unknown }).sender))
    }
    // without the patch a session's block came with no `bitswap:block` event: the relay counted the host's bytes as its own
    expect(await toBuffer(session.get(cid, { signal: AbortSignal.timeout(5_000), onProgress }))).toEqual(bytes)
    expect(senders).toEqual([host.libp2p.peerId.toString()])
    session.close()
  })

  it('a session whose providers were all evicted (a read a caller aborted) fails its next read at once instead of never settling (patches/@helia+utils)', async () => {
    const [absent, other] = await Promise.all([rawBlock('nobody sends this one'), rawBlock('nor this one')])
    const { cid, bytes } = await rawBlock('a root its host provides')
    const hostStore = new MemoryBlockstore()
    await hostStore.put(cid, bytes)
    const { host, relay } = await connectedPair(hostStore, new MemoryBlockstore())
    const session = relay.blockstore.createSession(cid, { providers: [host.libp2p.peerId.toCID()] })
    expect(await toBuffer(session.get(cid, { signal: AbortSignal.timeout(5_000) }))).toEqual(bytes)
    // a visitor leaves while the session asks its one provider for a block: Helia evicts that provider for good
    await expect(toBuffer(session.get(absent.cid, { signal: AbortSignal.timeout(300) }))).rejects.toThrow()
    // without the patch this read never settled (its queue had no job, so it never went idle): it waited for its signal
    const started = Date.now()
    await expect(toBuffer(session.get(other.cid, { signal: AbortSignal.timeout(10_000) }))).rejects.toThrow(/Failed to load block/)
    expect(Date.now() - started).toBeLessThan(5_000)
    session.close()
  })
})
