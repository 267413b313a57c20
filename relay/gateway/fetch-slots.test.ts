import toBuffer from 'it-to-buffer'
import { describe, expect, it } from 'vitest'
import { rawBlock as block } from '../../test/fixtures/blocks.js'
import { NetworkFetchesBusyError } from './errors.js'
import { sharedFetches } from './blockstore.js'
import { boundedFetches, forClient, forKeeping } from './fetch-slots.js'
import type { GatewayBlockstore } from './blockstore.js'
import type { CID } from 'multiformats/cid'

/** A network that answers no fetch until it is aborted (a block nobody has): each fetch's signal, in order. */
function nobodyHasIt (): GatewayBlockstore & { fetches: AbortSignal[] } {
  const fetches: AbortSignal[] = []
  return {
    fetches,
    has: async () => false,
    async * get (_cid, options) {
      const signal = options!.signal!
      fetches.push(signal)
      await new Promise((_resolve, reject) => { signal.addEventListener('abort', () => { reject(signal.reason) }, { once: true }) })
      yield new Uint8Array()
    }
  }
}

/** Start a get of `cid` through `store` that is never awaited here: its outcome, settled or not. */
function started (store: GatewayBlockstore, cid: CID, signal = new AbortController().signal): { outcome: Promise<unknown> } {
  const outcome = toBuffer(store.get(cid, { signal })).then(() => 'block', (err: Error) => err)
  return { outcome }
}

/** Let every get started so far reach the network. */
async function settle (): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, 5))
}

describe('boundedFetches between clients', () => {
  it("gives a client asking while another holds every slot a slot of that client's, and refuses that client more than its share", async () => {
    const { cid } = await block('a block nobody has')
    const network = nobodyHasIt()
    const bounded = boundedFetches(network, 4)
    const attacker = forClient(bounded, '192.0.2.66')
    const visitor = forClient(bounded, '198.51.100.7')
    const flood = Array.from({ length: 4 }, () => started(attacker, cid))
    await settle()
    // every slot is the attacker's: its next get is refused at once
    await expect(toBuffer(attacker.get(cid, { signal: new AbortController().signal }))).rejects.toBeInstanceOf(NetworkFetchesBusyError)
    // a visitor still gets a slot: the attacker's newest fetch ends so
    started(visitor, cid)
    await settle()
    expect(await flood[3]!.outcome).toBeInstanceOf(NetworkFetchesBusyError)
    expect(network.fetches[3]!.aborted).toBe(true)
    expect(network.fetches).toHaveLength(5)
    // and a second: the attacker holds 3 against the visitor's 1
    started(visitor, cid)
    await settle()
    expect(await flood[2]!.outcome).toBeInstanceOf(NetworkFetchesBusyError)
    // 2 and 2: a third would leave the attacker fewer than the visitor, so it is refused
    await expect(toBuffer(visitor.get(cid, { signal: new AbortController().signal }))).rejects.toBeInstanceOf(NetworkFetchesBusyError)
    await expect(toBuffer(attacker.get(cid, { signal: new AbortController().signal }))).rejects.toBeInstanceOf(NetworkFetchesBusyError)
    expect(network.fetches.filter(signal => !signal.aborted)).toHaveLength(4)
  })

  it("frees a slot when its client hangs up, and never ends nor refuses the cache's reads", async () => {
    const { cid } = await block('another block nobody has')
    const network = nobodyHasIt()
    const bounded = boundedFetches(network, 2)
    const attacker = forClient(bounded, '192.0.2.66')
    const hungUp = new AbortController()
    const first = started(attacker, cid, hungUp.signal)
    started(attacker, cid)
    await settle()
    // the cache keeps a site past the bound, and nobody can take its slot
    const keeping = forKeeping(bounded)
    started(keeping, cid)
    started(forClient(bounded, '198.51.100.7'), cid)
    await settle()
    expect(network.fetches.map(signal => signal.aborted)).toEqual([false, true, false, false])
    hungUp.abort(new Error('the client went away'))
    expect(await first.outcome).toEqual(new Error('the client went away'))
    expect(network.fetches[0]!.aborted).toBe(true)
    // the cache's and the visitor's under way: the bound is full, and neither holds more than one beyond the attacker
    await expect(toBuffer(attacker.get(cid, { signal: new AbortController().signal }))).rejects.toBeInstanceOf(NetworkFetchesBusyError)
  })
})

describe('sharedFetches over boundedFetches', () => {
  it("ends only the requests of the client holding too many: another client's request that had joined the ended fetch fetches again on its own share", async () => {
    const [a1, a2, shared, other] = await Promise.all([block('a block the flood wants'), block('another'), block('a block the flood and a visitor want'), block("a third client's block")])
    const network = nobodyHasIt()
    const relay = sharedFetches(boundedFetches(network, 3))
    const flood = forClient(relay, '192.0.2.66')
    const visitor = forClient(relay, '198.51.100.7')
    const [, second, third] = [started(flood, a1.cid), started(flood, a2.cid), started(flood, shared.cid)]
    await settle()
    // the visitor asks for a block the flood's newest fetch is bringing: it joins that fetch, and takes no slot
    const visitorsLeaving = new AbortController()
    const joined = started(visitor, shared.cid, visitorsLeaving.signal)
    await settle()
    expect(network.fetches).toHaveLength(3)
    // a third client takes the flood's newest slot: the flood's request for it ends with a 504...
    started(forClient(relay, '203.0.113.9'), other.cid)
    await settle()
    expect(await third.outcome).toBeInstanceOf(NetworkFetchesBusyError)
    // ...and the visitor's request does not: it fetched the block again, on its own share (taking the flood's next slot)
    const pending = async (outcome: Promise<unknown>): Promise<unknown> => await Promise.race([outcome, settle().then(() => 'still waiting')])
    expect(await pending(joined.outcome)).toBe('still waiting')
    expect(await second.outcome).toBeInstanceOf(NetworkFetchesBusyError)
    expect(network.fetches).toHaveLength(5)
    expect(network.fetches.at(-1)!.aborted).toBe(false)
    visitorsLeaving.abort(new Error('the visitor went away'))
    expect(await joined.outcome).toHaveProperty('message', 'the visitor went away')
  })
})
