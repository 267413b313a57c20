import { describe, expect, it } from 'vitest'
import { makeUnpublishedTestRecords } from '../../test/fixtures/records.js'
import { UNPUBLISHED_ROOT, decodeNameRecord, encodeNameRecord, isUnpublished, siteRoot, verifyNameRecord } from './index.js'

describe('unpublished names', () => {
  it('use the well-known empty identity CID as root', () => {
    expect(UNPUBLISHED_ROOT.toString()).toBe('bafkqaaa')
    expect(UNPUBLISHED_ROOT.multihash.digest.byteLength).toBe(0)
  })

  it('are normal format-1 records: signed, encoded, decoded and verified as any other', async () => {
    const { live, gone } = await makeUnpublishedTestRecords({ seq: 3, now: 1_000 })
    expect(isUnpublished(live)).toBe(false)
    expect(siteRoot(live)).toBe(live.root)

    const decoded = decodeNameRecord(encodeNameRecord(gone))
    await verifyNameRecord(decoded, { name: live.name, now: 2_000, minPowBits: 0 })
    expect(decoded).toMatchObject({ seq: 4, publicKey: live.publicKey, proof: live.proof })
    expect(isUnpublished(decoded)).toBe(true)
    expect(() => siteRoot(decoded)).toThrow(expect.objectContaining({ name: 'SiteUnpublishedError', siteName: live.name }))
  })
})
