import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { describe, expect, it, vi } from 'vitest'
import { decodeVerifiedNameRecord, encodeNameRecord } from '../../src/naming/index.js'
import { TEST_RECORD_POW_BITS, makeTestRecord } from '../../test/fixtures/records.js'
import { GatewaysUnavailableError } from './errors.js'
import { resolveNameOverHttp } from './resolve-name.js'
import type { RelayGateways } from './gateways.js'
import type * as Naming from '../../src/naming/index.js'

// the real verification, counted
vi.mock('../../src/naming/index.js', async (original) => {
  const naming = await original<typeof Naming>()
  return { ...naming, decodeVerifiedNameRecord: vi.fn(naming.decodeVerifiedNameRecord) }
})

/** Relays answering, in order, with these record bytes (or HTTP statuses); `accept` decides as the real gateways do. */
function relays (answers: Array<Uint8Array | number>): Pick<RelayGateways, 'record' | 'recordsFromAll'> & { asked: () => number } {
  let asked = 0
  return {
    asked: () => asked,
    async recordsFromAll (name) {
      asked += answers.length
      const got = answers.flatMap((answer, i) => typeof answer === 'number' ? [] : [{ base: `relay ${i}`, bytes: answer }])
      if (got.length === 0) {
        throw new GatewaysUnavailableError(`a record for ${name}`, answers.map(String), answers.filter((answer): answer is number => typeof answer === 'number'))
      }
      return got
    },
    async record (name, accept) {
      const attempts: string[] = []
      const statuses: number[] = []
      for (const answer of answers) {
        asked++
        try {
          if (typeof answer === 'number') throw Object.assign(new Error(`HTTP ${answer}`), { status: answer })
          return await accept(answer)
        } catch (err) {
          attempts.push((err as Error).message)
          if (typeof answer === 'number') statuses.push(answer)
        }
      }
      throw new GatewaysUnavailableError(`a record for ${name}`, attempts, statuses)
    }
  }
}

const options = { minPowBits: TEST_RECORD_POW_BITS }

describe('resolveNameOverHttp', () => {
  it('with an owner pinned, takes the first relay\'s valid record under the pin', async () => {
    const owner = await generateKeyPair('Ed25519')
    const record = await makeTestRecord({ privateKey: owner })
    const source = relays([encodeNameRecord(record), encodeNameRecord(await makeTestRecord({ privateKey: owner, seq: 2 }))])
    const resolved = await resolveNameOverHttp(source, 'alice.wia.home', { ...options, pinnedOwner: publicKeyToProtobuf(owner.publicKey) })
    expect(resolved).toMatchObject({ pinned: 'match', record: { seq: 1 } })
    expect(resolved.record.root.equals(record.root)).toBe(true)
    expect(source.asked()).toBe(1)
  })

  it('on a first visit asks every relay, and a lone relay serving its own key\'s record is outvoted', async () => {
    const owner = await generateKeyPair('Ed25519')
    const real = encodeNameRecord(await makeTestRecord({ privateKey: owner, seq: 2 }))
    const impostor = encodeNameRecord(await makeTestRecord({ seq: 9 }))
    const source = relays([impostor, real, real])
    const resolved = await resolveNameOverHttp(source, 'alice.wia.home', options)
    expect(resolved).toMatchObject({ pinned: 'new', record: { seq: 2, publicKey: publicKeyToProtobuf(owner.publicKey) } })
    expect(source.asked()).toBe(3)
  })

  it('on a first visit verifies each distinct record once, and every relay that sent it still counts', async () => {
    const owner = await generateKeyPair('Ed25519')
    const real = encodeNameRecord(await makeTestRecord({ privateKey: owner, seq: 2 }))
    const impostor = encodeNameRecord(await makeTestRecord({ seq: 9 }))
    // copies, as separate answers are (in Node the encoder may hand out a Buffer, whose slice() is a view)
    const copy = (bytes: Uint8Array): Uint8Array => Uint8Array.from(bytes)
    const forged = copy(real)
    forged[forged.length - 1] = forged[forged.length - 1]! ^ 1
    vi.mocked(decodeVerifiedNameRecord).mockClear()
    const resolved = await resolveNameOverHttp(relays([impostor, real, forged, copy(impostor), copy(real), copy(real), copy(forged)]), 'alice.wia.home', options)
    // three relays for the owner against two for the impostor; the forged copies are refused
    expect(resolved).toMatchObject({ pinned: 'new', record: { seq: 2, publicKey: publicKeyToProtobuf(owner.publicKey) } })
    expect(decodeVerifiedNameRecord).toHaveBeenCalledTimes(3)
  })

  it('refuses a record whose bytes were altered and takes the next relay\'s', async () => {
    const record = await makeTestRecord({ seq: 3 })
    const forged = encodeNameRecord(record).slice()
    forged[forged.length - 1] = forged[forged.length - 1]! ^ 1
    const resolved = await resolveNameOverHttp(relays([forged, encodeNameRecord(record)]), 'alice.wia.home', options)
    expect(resolved.record.seq).toBe(3)
    await expect(resolveNameOverHttp(relays([forged]), 'alice.wia.home', options)).rejects.toMatchObject({ name: 'InvalidSignatureError' })
  })

  it('passes over a record signed by another key than the pinned owner\'s', async () => {
    const owner = await generateKeyPair('Ed25519')
    const impostor = await makeTestRecord({ seq: 9 })
    const real = await makeTestRecord({ privateKey: owner, seq: 2 })
    const resolved = await resolveNameOverHttp(relays([encodeNameRecord(impostor), encodeNameRecord(real)]), 'alice.wia.home', { ...options, pinnedOwner: publicKeyToProtobuf(owner.publicKey) })
    expect(resolved).toMatchObject({ pinned: 'match', record: { seq: 2 } })
  })

  it('says the owner key changed when every relay serves an impostor\'s record', async () => {
    const owner = await generateKeyPair('Ed25519')
    const impostor = await makeTestRecord({ seq: 9 })
    await expect(resolveNameOverHttp(relays([encodeNameRecord(impostor)]), 'alice.wia.home', { ...options, pinnedOwner: publicKeyToProtobuf(owner.publicKey) }))
      .rejects.toMatchObject({ name: 'OwnerKeyChangedError' })
  })

  it('says not registered when relays answer 404, and unreachable when none answers', async () => {
    await expect(resolveNameOverHttp(relays([404, 404]), 'alice.wia.home', options)).rejects.toMatchObject({ name: 'NameNotFoundError' })
    await expect(resolveNameOverHttp(relays([]), 'alice.wia.home', options)).rejects.toMatchObject({ name: 'GatewaysUnavailableError' })
  })
})
