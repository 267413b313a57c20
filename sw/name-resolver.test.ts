import { describe, expect, it } from 'vitest'
import { equals } from 'uint8arrays/equals'
import { NameNotFoundError, encodeNameRecord, isUnpublished } from '../src/naming/index.js'
import { TEST_RECORD_POW_BITS, makeTestRecord, makeUnpublishedTestRecords } from '../test/fixtures/records.js'
import { NAME_TTL_MS, NEGATIVE_TTL_MS, NameResolver } from './name-resolver.js'
import type { CachedRecord, NameStore } from './name-store.js'
import type { NameRecord, ResolvedName } from '../src/naming/index.js'

const NAME = 'alice.wia.home'
const BITS = TEST_RECORD_POW_BITS

class MemoryNameStore implements NameStore {
  pins = new Map<string, Uint8Array>()
  records = new Map<string, CachedRecord>()
  async getPin (name: string): Promise<Uint8Array | undefined> { return this.pins.get(name) }
  async setPin (name: string, owner: Uint8Array): Promise<void> { this.pins.set(name, owner) }
  async getRecord (name: string): Promise<CachedRecord | undefined> { return this.records.get(name) }
  async putRecord (name: string, record: CachedRecord): Promise<void> { this.records.set(name, record) }
}

async function makeRecord (seq: number, now: number): Promise<NameRecord> {
  return makeTestRecord({ name: NAME, seq, now })
}

function setup (lookup: (pinned?: Uint8Array) => Promise<ResolvedName>): { resolver: NameResolver, store: MemoryNameStore, clock: { now: number }, calls: () => number } {
  const store = new MemoryNameStore()
  const clock = { now: Date.now() }
  let calls = 0
  const resolver = new NameResolver({
    store,
    lookup: async (_name, { pinnedOwner }) => { calls++; return lookup(pinnedOwner) },
    minPowBits: async () => BITS,
    now: () => clock.now
  })
  return { resolver, store, clock, calls: () => calls }
}

describe('NameResolver', () => {
  it('answers a repeat lookup within the TTL without asking the DHT again', async () => {
    const record = await makeRecord(1, Date.now())
    const { resolver, clock, calls } = setup(async () => ({ record, pinned: 'new' }))
    const signal = new AbortController().signal
    expect((await resolver.resolve(NAME, signal)).seq).toBe(1)
    clock.now += NAME_TTL_MS - 1
    await resolver.resolve(NAME, signal)
    expect(calls()).toBe(1)
    clock.now += 2
    await resolver.resolve(NAME, signal)
    expect(calls()).toBe(2)
  })

  it('shares one DHT query between concurrent lookups', async () => {
    const record = await makeRecord(1, Date.now())
    const { resolver, calls } = setup(async () => ({ record, pinned: 'new' }))
    const signal = new AbortController().signal
    await Promise.all([resolver.resolve(NAME, signal), resolver.resolve(NAME, signal), resolver.resolve(NAME, signal)])
    expect(calls()).toBe(1)
  })

  it('reuses a stored record after a restart (a new resolver on the same store) within the TTL', async () => {
    const record = await makeRecord(3, Date.now())
    const first = setup(async () => ({ record, pinned: 'new' }))
    await first.resolver.resolve(NAME, new AbortController().signal)
    let asked = false
    const restarted = new NameResolver({
      store: first.store,
      lookup: async () => { asked = true; throw new Error('should not ask the DHT') },
      minPowBits: async () => BITS,
      now: () => first.clock.now + 1_000
    })
    expect((await restarted.resolve(NAME, new AbortController().signal)).seq).toBe(3)
    expect(asked).toBe(false)
  })

  it('pins the owner key of the first record and passes the pin to later lookups', async () => {
    const record = await makeRecord(1, Date.now())
    const pins: Array<Uint8Array | undefined> = []
    const { resolver, store, clock } = setup(async pinned => { pins.push(pinned); return { record, pinned: pinned == null ? 'new' : 'match' } })
    await resolver.resolve(NAME, new AbortController().signal)
    expect(store.pins.get(NAME)).toEqual(record.publicKey)
    clock.now += NAME_TTL_MS + 1
    await resolver.resolve(NAME, new AbortController().signal)
    expect(pins).toEqual([undefined, record.publicKey])
  })

  it('remembers "not registered" only briefly and does not cache other failures', async () => {
    let failure: Error = new NameNotFoundError(`No site is registered under ${NAME}`)
    const { resolver, clock, calls } = setup(async () => { throw failure })
    const signal = new AbortController().signal
    await expect(resolver.resolve(NAME, signal)).rejects.toMatchObject({ name: 'NameNotFoundError' })
    await expect(resolver.resolve(NAME, signal)).rejects.toMatchObject({ name: 'NameNotFoundError' })
    expect(calls()).toBe(1)
    clock.now += NEGATIVE_TTL_MS + 1
    failure = new Error('relay unreachable')
    await expect(resolver.resolve(NAME, signal)).rejects.toThrow('relay unreachable')
    await expect(resolver.resolve(NAME, signal)).rejects.toThrow('relay unreachable')
    expect(calls()).toBe(3)
  })

  it('uses the stored record past the TTL when no relay can be reached, but not past its own expiry', async () => {
    const now = Date.now()
    const record = await makeRecord(1, now)
    let online = true
    const { resolver, clock } = setup(async () => {
      if (!online) throw Object.assign(new Error('none of the relays could be reached'), { name: 'NoRelayReachableError' })
      return { record, pinned: 'new' }
    })
    expect((await resolver.resolve(NAME, new AbortController().signal)).seq).toBe(1)
    online = false
    clock.now += NAME_TTL_MS + 1
    expect((await resolver.resolve(NAME, new AbortController().signal)).seq).toBe(1)
    clock.now = record.expires + 1
    await expect(resolver.resolve(NAME, new AbortController().signal)).rejects.toMatchObject({ name: 'RecordExpiredError' })
  })

  it('does not fall back to the stored record when the name itself failed (e.g. owner key changed)', async () => {
    const record = await makeRecord(1, Date.now())
    const state: { failure?: Error } = {}
    const { resolver, clock } = setup(async () => {
      if (state.failure != null) throw state.failure
      return { record, pinned: 'new' }
    })
    await resolver.resolve(NAME, new AbortController().signal)
    state.failure = Object.assign(new Error('owner changed'), { name: 'OwnerKeyChangedError' })
    clock.now += NAME_TTL_MS + 1
    await expect(resolver.resolve(NAME, new AbortController().signal)).rejects.toMatchObject({ name: 'OwnerKeyChangedError' })
  })

  it('ignores a stored record a page rewrote: under another key than the pin, or fetched "in the future"', async () => {
    const record = await makeRecord(1, Date.now())
    const forged = await makeRecord(2, Date.now())
    const { resolver, store, clock, calls } = setup(async () => ({ record, pinned: 'match' }))
    store.pins.set(NAME, record.publicKey)
    store.records.set(NAME, { bytes: encodeNameRecord(forged), fetchedAt: clock.now })
    expect((await resolver.resolve(NAME, new AbortController().signal)).seq).toBe(1)
    expect(calls()).toBe(1)

    const later = setup(async () => ({ record, pinned: 'match' }))
    later.store.pins.set(NAME, record.publicKey)
    later.store.records.set(NAME, { bytes: encodeNameRecord(record), fetchedAt: later.clock.now + 365 * 86_400_000 })
    await later.resolver.resolve(NAME, new AbortController().signal)
    expect(later.calls()).toBe(1)
  })

  it('shows the key warning, not the other content, when a page rewrote the pin and the record together', async () => {
    const owners = await makeRecord(1, Date.now())
    const pages = await makeRecord(2, Date.now())
    const { resolver, store, clock } = setup(async pinned => {
      if (pinned != null && !equals(pinned, owners.publicKey)) throw Object.assign(new Error('owner changed'), { name: 'OwnerKeyChangedError' })
      return { record: owners, pinned: 'match' }
    })
    store.pins.set(NAME, pages.publicKey)
    store.records.set(NAME, { bytes: encodeNameRecord(pages), fetchedAt: clock.now - NAME_TTL_MS - 1 })
    await expect(resolver.resolve(NAME, new AbortController().signal)).rejects.toMatchObject({ name: 'OwnerKeyChangedError' })
  })

  it('an unpublished record replaces the stored one: offline too, the older version is never resolved again', async () => {
    const { live, gone } = await makeUnpublishedTestRecords({ name: NAME })
    let current = live
    let reachable = true
    const { resolver, store, clock } = setup(async pinned => {
      if (!reachable) throw Object.assign(new Error('no relay'), { name: 'NoRelayReachableError' })
      return { record: current, pinned: pinned == null ? 'new' : 'match' }
    })
    const signal = new AbortController().signal
    expect(isUnpublished(await resolver.resolve(NAME, signal))).toBe(false)
    current = gone
    clock.now += NAME_TTL_MS + 1
    expect(isUnpublished(await resolver.resolve(NAME, signal))).toBe(true)
    // the owner pin stays; the network goes away: the stored record is the unpublished one
    expect(store.pins.get(NAME)).toEqual(live.publicKey)
    reachable = false
    clock.now += NAME_TTL_MS + 1
    expect(isUnpublished(await resolver.resolve(NAME, signal))).toBe(true)
  })
})
