import { MemoryDatastore } from 'datastore-core'
import { equals } from 'uint8arrays'
import { describe, expect, it } from 'vitest'
import { TEST_RECORD_POW_BITS, makeUnpublishedTestRecords } from '../test/fixtures/records.js'
import { encodeNameRecord, isUnpublished, nameRecordKey } from '../src/naming/index.js'
import { NameRegistry, RECORD_STORED_EVENT } from './registry.js'
import type { NameRecord } from '../src/naming/index.js'

describe('NameRegistry', () => {
  it('stores an owner\'s unpublished record like any update and tells its listeners, once per record', async () => {
    const registry = new NameRegistry({ datastore: new MemoryDatastore(), minPowBits: TEST_RECORD_POW_BITS })
    const stored: NameRecord[] = []
    registry.addEventListener(RECORD_STORED_EVENT, event => { stored.push((event as CustomEvent<NameRecord>).detail) })
    const { live, gone } = await makeUnpublishedTestRecords()
    const key = nameRecordKey(live.name)

    await registry.validate(key, encodeNameRecord(live))
    await registry.validate(key, encodeNameRecord(gone))
    await registry.validate(key, encodeNameRecord(gone))
    expect(stored.map(record => [record.seq, isUnpublished(record)])).toEqual([[1, false], [2, true]])
    expect(equals((await registry.get(live.name))?.bytes ?? new Uint8Array(), encodeNameRecord(gone))).toBe(true)
    // the older record is refused: the name cannot be pointed back by a replay
    await expect(registry.validate(key, encodeNameRecord(live))).rejects.toMatchObject({ name: 'StaleRecordError' })
  })

  it('answers the current record of a name from memory, never an older one after an update, and none once it expired', async () => {
    let now = Date.now()
    const datastore = new MemoryDatastore()
    const registry = new NameRegistry({ datastore, minPowBits: TEST_RECORD_POW_BITS, now: () => now })
    const { live, gone } = await makeUnpublishedTestRecords()
    const key = nameRecordKey(live.name)
    expect(await registry.current(live.name)).toBeUndefined()

    await registry.validate(key, encodeNameRecord(live))
    const first = await registry.current(live.name)
    expect(first?.record.root.toString()).toBe(live.root.toString())
    expect(equals(first?.bytes ?? new Uint8Array(), encodeNameRecord(live))).toBe(true)
    // read again from memory, not the datastore
    let reads = 0
    const get = datastore.get.bind(datastore)
    datastore.get = async (...args) => { reads++; return get(...args) }
    expect((await registry.current(live.name))?.record.seq).toBe(live.seq)
    expect(reads).toBe(0)

    await registry.validate(key, encodeNameRecord(gone))
    expect((await registry.current(live.name))?.record.seq).toBe(gone.seq)
    // a registry started on the same datastore (a restart) reads the same
    expect((await new NameRegistry({ datastore, minPowBits: TEST_RECORD_POW_BITS }).current(live.name))?.record.seq).toBe(gone.seq)

    now = gone.expires + 1
    expect(await registry.current(live.name)).toBeUndefined()
    expect((await registry.get(live.name))?.seq).toBe(gone.seq)
  })

  it('keeps a record put from a view into a larger message on bytes of its own, and a change to that message changes nothing', async () => {
    const registry = new NameRegistry({ datastore: new MemoryDatastore(), minPowBits: TEST_RECORD_POW_BITS })
    const { live } = await makeUnpublishedTestRecords()
    const bytes = encodeNameRecord(live)
    // a PUT_VALUE read in Node: the record a subarray of a Buffer that holds more of the connection's traffic
    const message = Buffer.alloc(64 * 1024, 7)
    message.set(bytes, 100)
    await registry.validate(nameRecordKey(live.name), message.subarray(100, 100 + bytes.byteLength))
    message.fill(0)
    const current = await registry.current(live.name)
    expect(equals(current?.bytes ?? new Uint8Array(), bytes)).toBe(true)
    expect(current?.bytes.buffer.byteLength).toBe(bytes.byteLength)
    expect(equals(current?.record.publicKey ?? new Uint8Array(), live.publicKey)).toBe(true)
    expect((await registry.get(live.name))?.owner.buffer.byteLength).toBeLessThan(message.byteLength)
  })
})
