import { generateKeyPair } from '@libp2p/crypto/keys'
import { MessageType, Record as DHTRecord } from '@libp2p/kad-dht'
import { MemoryDatastore } from 'datastore-core'
import { equals } from 'uint8arrays'
import { describe, expect, it } from 'vitest'
import { NameRegistry } from '../../relay/registry.js'
import { encodeNameRecord, nameRecordKey } from '../../src/naming/index.js'
import { TEST_RECORD_POW_BITS, makeTestRecord } from '../../test/fixtures/records.js'
import { HOSTILE_KINDS, OVERSIZE_BYTES, hostilePuts } from './hostile-records.js'
import { decodeKadMessage } from './kad-wire.js'
import type { LegitName } from './hostile-records.js'

/** The PUT_VALUE's record envelope, or `undefined` when kad-dht could not read one out of the message. */
function envelopeOf (message: Uint8Array): DHTRecord | undefined {
  try {
    const decoded = decodeKadMessage(message)
    return decoded.type === MessageType.PUT_VALUE && decoded.record != null ? DHTRecord.deserialize(decoded.record) : undefined
  } catch {
    return undefined
  }
}

describe('hostile records', () => {
  it('every one the DHT attack sends is refused by a relay\'s registry that holds the owners\' records', async () => {
    const registry = new NameRegistry({ datastore: new MemoryDatastore(), minPowBits: TEST_RECORD_POW_BITS })
    const legit: LegitName[] = []
    for (const name of ['alice.wia.home', 'bob.wia.home']) {
      const privateKey = await generateKeyPair('Ed25519')
      const previous = encodeNameRecord(await makeTestRecord({ name, seq: 0, privateKey }))
      const current = encodeNameRecord(await makeTestRecord({ name, seq: 1, privateKey }))
      await registry.validate(nameRecordKey(name), previous)
      await registry.validate(nameRecordKey(name), current)
      legit.push({ name, current, previous })
    }
    for (const kind of HOSTILE_KINDS) {
      const messages = await hostilePuts(kind, legit, legit.length * OVERSIZE_BYTES.length, TEST_RECORD_POW_BITS)
      expect(messages, kind).toHaveLength(legit.length * OVERSIZE_BYTES.length)
      let validated = 0
      for (const [i, message] of messages.entries()) {
        const envelope = envelopeOf(message)
        if (envelope != null) {
          validated++
          await expect(registry.validate(envelope.key, envelope.value), `${kind} #${i}`).rejects.toThrow()
        }
      }
      // only the fuzz of the envelope and of the whole message stops before the validator
      expect(validated, kind).toBeGreaterThanOrEqual(messages.length / 2)
    }
    for (const { name, current } of legit) {
      expect(equals((await registry.get(name))?.bytes ?? new Uint8Array(), current), name).toBe(true)
    }
  })
})
