import { describe, expect, it } from 'vitest'
import { fakeHost, siteFiles } from '../../../../test/fixtures/host.js'
import { RECORD_VALIDITY_MS, decodeNameRecord } from '../../../naming/index.js'
import { RENEW_BEFORE_MS } from '../constants.js'
import { publish } from './publish.js'
import { republish } from './republish.js'
import type { RepublishResult } from './republish.js'

describe('republish', () => {
  it('puts every stored record again as it is and announces the roots this device holds', async () => {
    const host = await fakeHost()
    const alice = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'alice' }) })
    const bob = await publish(host.components, { label: 'bob', tld: 'home', files: siteFiles({ 'index.html': 'bob' }) })
    // a name that came with an imported identity: no blocks here
    await host.store.putSite({ ...bob, hasContent: false })
    host.log.length = 0

    const results = await republish(host.components)
    expect(results).toEqual([
      { name: alice.name, ok: true, site: alice, renewed: false },
      { name: bob.name, ok: true, site: { ...bob, hasContent: false }, renewed: false }
    ])
    expect(host.log).toEqual([`put ${alice.name} seq 0`, `provide ${alice.root}`, `put ${bob.name} seq 0`])
    // woken first: the timer runs only while awake, but an identity import may come while asleep
    expect(host.awakenings()).toBe(3)
  })

  it('renews a record near its expiry: seq + 1, a fresh validity, the same root and proof, stored', async () => {
    const host = await fakeHost()
    const site = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'alice' }) })
    const before = decodeNameRecord(site.record)
    host.clock.now += RECORD_VALIDITY_MS - RENEW_BEFORE_MS + 1

    const [result] = await republish(host.components)
    const stored = await host.store.getSite(site.name)
    const record = decodeNameRecord(stored!.record)
    expect(result).toMatchObject({ ok: true, renewed: true, site: stored })
    expect(record).toMatchObject({ seq: 1, expires: host.clock.now + RECORD_VALIDITY_MS, proof: before.proof })
    expect(record.root.equals(before.root)).toBe(true)
    expect(stored).toMatchObject({ seq: 1, root: site.root })
    expect(host.dht.record(site.name)?.seq).toBe(1)
  })

  it('goes on after a name the relays refuse, and reports each name', async () => {
    const host = await fakeHost()
    const stale = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'one' }) })
    await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'two' }) })
    // this device lost its newer record: the relays hold seq 1 and refuse seq 0
    await host.store.putSite(stale)
    const bob = await publish(host.components, { label: 'bob', tld: 'home', files: siteFiles({ 'index.html': 'bob' }) })

    const reported: RepublishResult[] = []
    const results = await republish(host.components, { onProgress: event => { reported.push(event.detail) } })
    expect(reported).toEqual(results)
    expect(results.map(result => [result.name, result.ok])).toEqual([[stale.name, false], [bob.name, true]])
    expect(results[0]).toMatchObject({ error: { name: 'PutRejectedError' } })
  })

  it('waits for a publish of the same name under way and republishes what it stored', async () => {
    const host = await fakeHost()
    const first = await publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'one' }) })
    // the first record needs renewing by now
    host.clock.now += RECORD_VALIDITY_MS - RENEW_BEFORE_MS + 1
    let announced = (): void => {}
    const announcing = new Promise<void>(resolve => { announced = resolve })
    const { provide } = host.components.routing
    host.components.routing = {
      provide: async (cid, options) => {
        await provide(cid, options)
        if (cid.toString() !== first.root) await announcing
      }
    }

    const publishing = publish(host.components, { label: 'alice', tld: 'home', files: siteFiles({ 'index.html': 'two' }) })
    await new Promise(resolve => setTimeout(resolve, 50))
    const republishing = republish(host.components)
    await new Promise(resolve => setTimeout(resolve, 50))
    announced()
    const second = await publishing
    const [result] = await republishing

    // without the lock the renewal signed seq 1 for the first root too, and stored it over the second
    expect(result).toMatchObject({ ok: true, renewed: false, site: { root: second.root, seq: 1 } })
    expect(await host.store.getSite(second.name)).toEqual(second)
    expect(host.dht.record(second.name)?.root.toString()).toBe(second.root)
    expect(host.log.filter(line => line.startsWith('put'))).toEqual(['put alice.wia.home seq 0', 'put alice.wia.home seq 1', 'put alice.wia.home seq 1'])
  })
})
