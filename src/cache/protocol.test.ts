import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { MAX_CACHE_MESSAGE_BYTES } from './constants.js'
import { decodeCacheAnswer, decodeCacheRequest, encodeCacheAnswer, encodeCacheRequest } from './protocol.js'

const ROOT = CID.parse('bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi')

describe('cache protocol messages', () => {
  it('round-trip requests and answers', () => {
    expect(decodeCacheRequest(encodeCacheRequest({ op: 'keep', name: 'alice.wia.home' }))).toEqual({ op: 'keep', name: 'alice.wia.home' })
    expect(decodeCacheRequest(encodeCacheRequest({ op: 'visit', name: 'bob.wia.shop' }))).toEqual({ op: 'visit', name: 'bob.wia.shop' })
    const kept = decodeCacheAnswer(encodeCacheAnswer({ status: 'kept', root: ROOT, bytes: 1234 }))
    expect(kept.status === 'kept' && kept.root.equals(ROOT) && kept.bytes === 1234).toBe(true)
    expect(decodeCacheAnswer(encodeCacheAnswer({ status: 'counted' }))).toEqual({ status: 'counted' })
    expect(decodeCacheAnswer(encodeCacheAnswer({ status: 'error', error: 'SiteTooLargeError', message: 'too big' })))
      .toEqual({ status: 'error', error: 'SiteTooLargeError', message: 'too big' })
  })

  it.each([
    ['not CBOR', new Uint8Array([0xff, 0x00, 0x13])],
    ['a list', dagCbor.encode(['keep', 'alice.wia.home'])],
    ['an unknown op', dagCbor.encode({ op: 'delete', name: 'alice.wia.home' })],
    ['a missing name', dagCbor.encode({ op: 'keep' })],
    ['a name that is not a string', dagCbor.encode({ op: 'keep', name: 42 })],
    ['an extra field', dagCbor.encode({ op: 'keep', name: 'alice.wia.home', root: ROOT })],
    ['an oversize message', dagCbor.encode({ op: 'keep', name: 'a'.repeat(MAX_CACHE_MESSAGE_BYTES) })]
  ])('reject a request with %s', (_what, bytes) => {
    expect(() => decodeCacheRequest(bytes)).toThrow(expect.objectContaining({ name: 'MalformedCacheMessageError' }))
  })

  it.each([
    ['an unknown status', dagCbor.encode({ status: 'maybe' })],
    ['a kept answer without a CID', dagCbor.encode({ status: 'kept', root: 'bafy', bytes: 1 })],
    ['a negative byte count', dagCbor.encode({ status: 'kept', root: ROOT, bytes: -1 })],
    ['an error without a message', dagCbor.encode({ status: 'error', error: 'X' })]
  ])('reject an answer with %s', (_what, bytes) => {
    expect(() => decodeCacheAnswer(bytes)).toThrow(expect.objectContaining({ name: 'MalformedCacheMessageError' }))
  })
})
