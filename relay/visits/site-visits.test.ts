import { EventEmitter } from 'node:events'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import toBuffer from 'it-to-buffer'
import { describe, expect, it } from 'vitest'
import { rawBlock } from '../../test/fixtures/blocks.js'
import { VisitCounter } from './counter.js'
import { SiteVisits } from './site-visits.js'
import type { GatewayBlockstore } from '../gateway/index.js'

const visits = new SiteVisits({
  counter: new VisitCounter({ datastore: new MemoryDatastore() }),
  isRegistered: async () => true,
  local: new MemoryBlockstore(),
  network: { has: async () => false, async * get () { yield new Uint8Array() } }
}, { gatewaySuffix: 'localhost' })

describe('SiteVisits', () => {
  it('asks whether a name is registered once a minute, however many requests count for it', async () => {
    const clock = { now: 0 }
    let asked = 0
    const own = new VisitCounter({ datastore: new MemoryDatastore() })
    const site = new SiteVisits({
      counter: own,
      isRegistered: async () => { asked++; return true },
      local: new MemoryBlockstore(),
      network: { has: async () => false, async * get () { yield new Uint8Array() } },
      now: () => clock.now
    }, { gatewaySuffix: 'localhost' })
    await site.visit('alice.wia.home')
    await site.visit('alice.wia.home')
    expect(asked).toBe(1)
    clock.now += 60_000
    await site.visit('alice.wia.home')
    expect(asked).toBe(2)
    expect(own.report('alice.wia.home').at(-1)?.visits).toBe(3)
  })

  it('finds the site of a request by its Host, else by the site origin that sent it', () => {
    const req = (headers: Record<string, string>): Parameters<SiteVisits['siteOf']>[0] => ({ headers }) as unknown as Parameters<SiteVisits['siteOf']>[0]
    expect(visits.siteOf(req({ host: 'alice.wia.home.localhost:8080' }))).toBe('alice.wia.home')
    expect(visits.siteOf(req({ host: 'localhost:9090', origin: 'http://bob.wia.blog.localhost:8080' }))).toBe('bob.wia.blog')
    expect(visits.siteOf(req({ host: 'localhost:9090' }))).toBeUndefined()
    expect(visits.siteOf(req({ host: 'localhost:9090', origin: 'null' }))).toBeUndefined()
  })

  it('counts the bytes one response served once it closes, by where they came from', async () => {
    const kept = await rawBlock('kept on the relay')
    const fetched = await rawBlock('fetched from the host')
    const local = new MemoryBlockstore()
    await local.put(kept.cid, kept.bytes)
    const network: GatewayBlockstore = {
      has: async () => false,
      async * get (cid, options) {
        (options as { onProgress?: (event: { type: string, detail: unknown }) => void }).onProgress?.({ type: 'bitswap:block', detail: { cid, sender: 'host-peer' } })
        yield fetched.bytes
      }
    }
    const own = new VisitCounter({ datastore: new MemoryDatastore() })
    const site = new SiteVisits({ counter: own, isRegistered: async () => true, local, network }, { gatewaySuffix: 'localhost' })
    const res = new EventEmitter()
    const blocks = site.blockstoreFor('alice.wia.home', res as unknown as Parameters<SiteVisits['blockstoreFor']>[1])
    await toBuffer(blocks.get(kept.cid))
    await toBuffer(blocks.get(kept.cid))
    await toBuffer(blocks.get(fetched.cid))
    expect(own.report('alice.wia.home').at(-1)?.served).toEqual({ host: 0, cache: 0, peers: 0 })
    res.emit('close')
    await new Promise(resolve => setTimeout(resolve, 0))
    expect(own.report('alice.wia.home', { hosts: ['host-peer'] }).at(-1)?.served).toEqual({ host: fetched.bytes.byteLength, cache: 2 * kept.bytes.byteLength, peers: 0 })
  })
})
