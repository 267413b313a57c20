import { MemoryDatastore } from 'datastore-core'
import { describe, expect, it } from 'vitest'
import { EXPIRY_GRACE_MS, RECORD_VALIDITY_MS, encodeNameRecord, nameRecordKey, verifyNameRecord } from '../src/naming/index.js'
import { TEST_RECORD_POW_BITS, makeTestRecord } from '../test/fixtures/records.js'
import { NameRegistry } from './registry.js'
import type { NameRecord } from '../src/naming/index.js'

// docs/naming.md §6 "Clocks": every expiry decision uses the deciding party's own clock, with no tolerance
const HOUR = 60 * 60_000
const SKEW = 6 * HOUR
const NAME = 'alice.wia.home'

/** A relay whose clock reads `real + offset`; `at` moves real time. */
function relayWithClock (offset: number): { registry: NameRegistry, at: (real: number) => void, put: (record: NameRecord) => Promise<void> } {
  let real = Date.now()
  const registry = new NameRegistry({ datastore: new MemoryDatastore(), minPowBits: TEST_RECORD_POW_BITS, now: () => real + offset })
  return {
    registry,
    at: (time) => { real = time },
    put: async (record) => { await registry.validate(nameRecordKey(record.name), encodeNameRecord(record)) }
  }
}

/** What a visitor whose clock reads `real + offset` makes of a record. */
async function visitorAccepts (record: NameRecord, real: number, offset = 0): Promise<boolean> {
  return verifyNameRecord(record, { name: record.name, now: real + offset, minPowBits: TEST_RECORD_POW_BITS }).then(() => true, () => false)
}

describe('clock skew (hours)', () => {
  const t0 = Date.now()

  it('a relay whose clock is ahead refuses a record only within its lead of the expiry; hosts renew 15 days before', async () => {
    const record = await makeTestRecord({ name: NAME, now: t0 })
    const relay = relayWithClock(SKEW)
    relay.at(t0 + RECORD_VALIDITY_MS / 2)
    await expect(relay.put(record)).resolves.toBeUndefined()
    relay.at(record.expires - SKEW / 2)
    await expect(relay.put(record)).rejects.toMatchObject({ name: 'RecordExpiredError' })
    expect(await visitorAccepts(record, record.expires - SKEW / 2)).toBe(true)
  })

  it('a relay whose clock is behind takes and serves an expired record, and a visitor with the right time refuses it', async () => {
    const record = await makeTestRecord({ name: NAME, now: t0 })
    const relay = relayWithClock(-SKEW)
    relay.at(record.expires + SKEW / 2)
    await expect(relay.put(record)).resolves.toBeUndefined()
    expect(await visitorAccepts(record, record.expires + SKEW / 2)).toBe(false)
    // a visitor whose clock is behind as well believes it: each party trusts its own clock
    expect(await visitorAccepts(record, record.expires + SKEW / 2, -SKEW)).toBe(true)
  })

  it('a record signed by a host whose clock is ahead lives that much longer', async () => {
    const record = await makeTestRecord({ name: NAME, now: t0 + SKEW })
    expect(record.expires).toBe(t0 + SKEW + RECORD_VALIDITY_MS)
    const relay = relayWithClock(0)
    relay.at(t0)
    await expect(relay.put(record)).resolves.toBeUndefined()
    expect(await visitorAccepts(record, t0 + RECORD_VALIDITY_MS + SKEW / 2)).toBe(true)
  })

  it('a relay whose clock is ahead frees an expired name that much early, never before the grace period by its own clock', async () => {
    const alices = await makeTestRecord({ name: NAME, now: t0 })
    const relay = relayWithClock(SKEW)
    relay.at(t0)
    await relay.put(alices)
    const freedAt = alices.expires + EXPIRY_GRACE_MS
    relay.at(freedAt - SKEW - HOUR)
    const early = await makeTestRecord({ name: NAME, now: freedAt - SKEW - HOUR })
    await expect(relay.put(early)).rejects.toMatchObject({ name: 'NameTakenError' })
    relay.at(freedAt - SKEW + HOUR)
    const bobs = await makeTestRecord({ name: NAME, now: freedAt - SKEW + HOUR })
    await expect(relay.put(bobs)).resolves.toBeUndefined()
    expect((await relay.registry.get(NAME))?.owner).toEqual(bobs.publicKey)
  })
})
