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
})
