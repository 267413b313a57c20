import { describe, expect, it } from 'vitest'
import { fakeHost, siteFiles } from '../../../../test/fixtures/host.js'
import { MAX_KEPT_VERSIONS } from '../constants.js'
import { publish } from './publish.js'
import type { PublishProgressEvents } from './publish.js'

const NAME = 'alice.wia.home'
const files = (text: string): ReturnType<typeof siteFiles> => siteFiles({ 'index.html': `<h1>${text}</h1>`, 'style.css': 'h1 { color: red }' })

describe('publish', () => {
  it('announces the root before it puts the record that points at it', async () => {
    const host = await fakeHost()
    const site = await publish(host.components, { label: 'alice', tld: 'home', files: files('one') })
    expect(host.log).toEqual([`provide ${site.root}`, `put ${NAME} seq 0`])

    host.log.length = 0
    const update = await publish(host.components, { label: 'alice', tld: 'home', files: files('two') })
    expect(update.root).not.toBe(site.root)
    expect(host.log).toEqual([`provide ${update.root}`, `put ${NAME} seq 1`])
    expect(host.dht.record(NAME)?.root.toString()).toBe(update.root)
  })

  it('stores the site and its version, pins its root and wakes the node first', async () => {
    const host = await fakeHost()
    const site = await publish(host.components, { label: 'alice', tld: 'home', files: files('one') })
    expect(site).toMatchObject({ name: NAME, seq: 0, files: 2, hasContent: true, publishedAt: host.clock.now })
    expect(site.versions).toEqual([{ root: site.root, publishedAt: host.clock.now, files: 2, bytes: site.bytes, seq: 0 }])
    expect(await host.store.getSite(NAME)).toEqual(site)
    expect(host.pins.pinned).toEqual(new Set([site.root]))
    expect(host.awakenings()).toBe(1)
    expect(await host.blockstore.has(host.dht.record(NAME)!.root)).toBe(true)
  })

  it('reports its steps in order', async () => {
    const host = await fakeHost()
    const events: Array<PublishProgressEvents['type']> = []
    await publish(host.components, { label: 'alice', tld: 'home', files: files('one') }, { onProgress: event => { events.push(event.type) } })
    // the proof of work reports once per batch of hashes: none at the tests' difficulty
    const steps = events.filter((type, i) => type !== events[i - 1] && type !== 'record:register')
    expect(steps).toEqual(['publish:check', 'publish:import', 'record:sign', 'record:announce', 'record:put'])
  })

  it('an update carries the first record\'s proof of work: only a new name costs one', async () => {
    const host = await fakeHost()
    await publish(host.components, { label: 'alice', tld: 'home', files: files('one') })
    const first = host.dht.record(NAME)
    await publish(host.components, { label: 'alice', tld: 'home', files: files('two') })
    expect(host.dht.record(NAME)?.seq).toBe(1)
    expect(host.dht.record(NAME)?.proof).toEqual(first?.proof)
  })

  it('refuses a name another key holds before importing anything', async () => {
    const other = await fakeHost()
    await publish(other.components, { label: 'alice', tld: 'home', files: files('theirs') })
    const host = await fakeHost({ dht: other.dht })
    other.log.length = 0

    await expect(publish(host.components, { label: 'alice', tld: 'home', files: files('mine') })).rejects.toMatchObject({ name: 'NameTakenError' })
    expect(host.blockstore.puts).toBe(0)
    expect(host.log).toEqual([])
    expect(await host.store.getSite(NAME)).toBeUndefined()
  })

  it('keeps nothing when no relay stores the record, and lets the new root go', async () => {
    const host = await fakeHost()
    const first = await publish(host.components, { label: 'alice', tld: 'home', files: files('one') })
    host.dht.refuse = new Error('the relay is full')

    await expect(publish(host.components, { label: 'alice', tld: 'home', files: files('two') })).rejects.toMatchObject({ name: 'PutRejectedError' })
    expect(await host.store.getSite(NAME)).toEqual(first)
    expect(host.pins.pinned).toEqual(new Set([first.root]))
    expect(host.pins.released).toHaveLength(1)
    expect(host.pins.released[0]).not.toBe(first.root)
  })

  it('stores the new version before it announces it, and the previous site back when the announcement fails', async () => {
    const host = await fakeHost()
    const first = await publish(host.components, { label: 'alice', tld: 'home', files: files('one') })
    let storedWhenPut: string | undefined
    const put = host.dht.put.bind(host.dht)
    host.dht.put = async function * (...args) {
      storedWhenPut = (await host.store.getSite(NAME))?.root
      host.dht.refuse = new Error('the relay is full')
      yield * put(...args)
    }
    await expect(publish(host.components, { label: 'alice', tld: 'home', files: files('two') })).rejects.toMatchObject({ name: 'PutRejectedError' })
    expect(storedWhenPut).not.toBe(first.root)
    expect(await host.store.getSite(NAME)).toEqual(first)
  })

  it('stores no site when the first announcement of a new name fails', async () => {
    const host = await fakeHost()
    host.dht.refuse = new Error('the relay is full')
    await expect(publish(host.components, { label: 'alice', tld: 'home', files: files('one') })).rejects.toMatchObject({ name: 'PutRejectedError' })
    expect(await host.store.getSite(NAME)).toBeUndefined()
    expect(host.pins.pinned).toEqual(new Set())
  })

  it('refuses a folder bigger than the free space before importing it, naming both sizes', async () => {
    const host = await fakeHost({ quota: 1000 })
    const big = siteFiles({ 'index.html': 'x'.repeat(2000) })
    const err = await publish(host.components, { label: 'alice', tld: 'home', files: big }).catch(e => e)
    expect(err).toMatchObject({ name: 'NotEnoughSpaceError', siteName: NAME, neededBytes: 2100, availableBytes: 1000 })
    expect(host.blockstore.puts).toBe(0)
  })

  it('turns IndexedDB running out of space mid-import into NotEnoughSpaceError', async () => {
    const host = await fakeHost()
    const put = host.blockstore.put.bind(host.blockstore)
    host.blockstore.put = async (...args) => {
      if (host.blockstore.puts > 0) {
        throw Object.assign(new Error('QuotaExceededError: The current transaction exceeded its quota limitations.'), { name: 'PutFailedError' })
      }
      return put(...args)
    }
    const err = await publish(host.components, { label: 'alice', tld: 'home', files: files('one') }).catch(e => e)
    // the room there was: the block written before the browser refused more
    expect(err).toMatchObject({ name: 'NotEnoughSpaceError', siteName: NAME })
    expect(['<h1>one</h1>'.length, 'h1 { color: red }'.length]).toContain(err.availableBytes)
    expect(err.cause).toMatchObject({ name: 'PutFailedError' })
    expect(await host.store.getSite(NAME)).toBeUndefined()
  })

  it('does not unpin a kept version when publishing it again fails', async () => {
    const host = await fakeHost()
    const first = await publish(host.components, { label: 'alice', tld: 'home', files: files('one') })
    host.dht.refuse = new Error('the relay is full')

    await expect(publish(host.components, { label: 'alice', tld: 'home', files: files('one') })).rejects.toMatchObject({ name: 'PutRejectedError' })
    expect(host.pins.pinned).toEqual(new Set([first.root]))
    expect(host.pins.released).toEqual([])
  })

  it(`keeps the ${MAX_KEPT_VERSIONS} newest versions pinned and unpins older ones`, async () => {
    const host = await fakeHost()
    const roots: string[] = []
    for (let i = 0; i <= MAX_KEPT_VERSIONS; i++) {
      host.clock.now += 60_000
      roots.push((await publish(host.components, { label: 'alice', tld: 'home', files: files(`v${i}`) })).root)
    }
    const site = await host.store.getSite(NAME)
    expect(site?.versions?.map(version => version.root)).toEqual(roots.slice(1).reverse())
    expect(host.pins.released).toEqual([roots[0]])
    expect(host.pins.pinned).toEqual(new Set(roots.slice(1)))
  })

  it('publishing a kept version again makes it the newest, once', async () => {
    const host = await fakeHost()
    const one = await publish(host.components, { label: 'alice', tld: 'home', files: files('one') })
    const two = await publish(host.components, { label: 'alice', tld: 'home', files: files('two') })
    const again = await publish(host.components, { label: 'alice', tld: 'home', files: files('one') })
    expect(again.root).toBe(one.root)
    expect(again.versions?.map(version => version.root)).toEqual([one.root, two.root])
  })

  it('stops at its signal, having written nothing', async () => {
    const host = await fakeHost()
    const controller = new AbortController()
    controller.abort()
    await expect(publish(host.components, { label: 'alice', tld: 'home', files: files('one') }, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' })
    expect(host.blockstore.puts).toBe(0)
    expect(host.log).toEqual([])
  })

  it('refuses a label that breaks the name rules', async () => {
    const host = await fakeHost()
    await expect(publish(host.components, { label: 'Not A Label', tld: 'home', files: files('one') })).rejects.toMatchObject({ name: 'InvalidNameError' })
  })
})
