import { generateKeyPair } from '@libp2p/crypto/keys'
import { describe, expect, it } from 'vitest'
import { makeTestRecord } from '../../test/fixtures/records.js'
import { UNPUBLISHED_ROOT, createNameRecord, decodeNameRecord, encodeNameRecord, isUnpublished, siteRoot, verifyNameRecord } from './index.js'

describe('unpublished names', () => {
  it('use the well-known empty identity CID as root', () => {
    expect(UNPUBLISHED_ROOT.toString()).toBe('bafkqaaa')
    expect(UNPUBLISHED_ROOT.multihash.digest.byteLength).toBe(0)
  })

  it('are normal format-1 records: signed, encoded, decoded and verified as any other', async () => {
    const published = await makeTestRecord({ seq: 3 })
    expect(isUnpublished(published)).toBe(false)
    expect(siteRoot(published)).toBe(published.root)

    const privateKey = await generateKeyPair('Ed25519')
    const mine = await makeTestRecord({ seq: 3, privateKey, now: 1_000 })
    const tombstone = await createNameRecord({ name: mine.name, root: UNPUBLISHED_ROOT, seq: 4, proof: mine.proof, privateKey, now: 1_000 })
    const decoded = decodeNameRecord(encodeNameRecord(tombstone))
    await verifyNameRecord(decoded, { name: mine.name, now: 2_000, minPowBits: 0 })
    expect(isUnpublished(decoded)).toBe(true)
    expect(() => siteRoot(decoded)).toThrow(expect.objectContaining({ name: 'SiteUnpublishedError', siteName: mine.name }))
  })
})
