import { describe, expect, it } from 'vitest'
import { carEtag, entityRange, parseDagScope, parseEntityBytes } from './car.js'
import { negotiateRouting, negotiateTrustless, parseAccept, requireTrustless } from './negotiate.js'
import { matchesEtag } from './respond.js'
import { parseContentPath } from './trustless.js'

const q = (query = ''): URLSearchParams => new URLSearchParams(query)
const CAR_N = { format: 'car', version: 1, order: 'dfs', dups: 'n' }

describe('parseAccept', () => {
  it('orders ranges by weight, keeps header order for equal weights, reads parameters', () => {
    const ranges = parseAccept('text/html;q=0.5, application/vnd.ipld.car; version=1; order=dfs, application/vnd.ipld.raw, bogus, */*;q=0')
    expect(ranges.map(range => range.type)).toEqual(['application/vnd.ipld.car', 'application/vnd.ipld.raw', 'text/html', '*/*'])
    expect(ranges[0]?.params).toEqual({ version: '1', order: 'dfs' })
    expect(ranges[3]?.q).toBe(0)
  })
})

describe('negotiateTrustless', () => {
  it('reads Accept', () => {
    expect(negotiateTrustless(q(), 'application/vnd.ipld.raw')).toEqual({ format: 'raw' })
    expect(negotiateTrustless(q(), 'application/vnd.ipld.car')).toEqual(CAR_N)
    expect(negotiateTrustless(q(), 'application/vnd.ipld.car; order=unk; dups=y')).toEqual({ ...CAR_N, dups: 'y' })
    expect(negotiateTrustless(q(), 'application/vnd.ipld.car;version=2, application/vnd.ipld.raw;q=0.1')).toEqual({ format: 'raw' })
    expect(negotiateTrustless(q(), 'application/vnd.ipld.raw;q=0.5, application/vnd.ipld.car')).toEqual(CAR_N)
    expect(negotiateTrustless(q(), 'application/vnd.ipld.raw;q=0')).toBe('other')
  })

  it('lets format and car-* query parameters win over Accept', () => {
    expect(negotiateTrustless(q('format=raw'), 'application/vnd.ipld.car')).toEqual({ format: 'raw' })
    expect(negotiateTrustless(q('format=car'), 'text/html')).toEqual(CAR_N)
    expect(negotiateTrustless(q('format=car&car-dups=y'), 'application/vnd.ipld.car; dups=n')).toEqual({ ...CAR_N, dups: 'y' })
    expect(negotiateTrustless(q('format=car'), 'application/vnd.ipld.car; version=2')).toEqual(CAR_N)
    expect(() => negotiateTrustless(q('car-version=2'), 'application/vnd.ipld.car')).toThrow(expect.objectContaining({ name: 'InvalidParameterError', parameter: 'car-version' }))
  })

  it('tells a request without a format (400) from one for other formats (406)', () => {
    expect(negotiateTrustless(q(), undefined)).toBe('missing')
    expect(negotiateTrustless(q(), '*/*')).toBe('other')
    expect(negotiateTrustless(q('format=dag-json'), undefined)).toBe('other')
    expect(() => requireTrustless('missing', undefined, q())).toThrow(expect.objectContaining({ name: 'InvalidParameterError' }))
    expect(() => requireTrustless('other', 'text/html', q())).toThrow(expect.objectContaining({ name: 'NotAcceptableError', accept: 'text/html' }))
  })
})

describe('negotiateRouting', () => {
  it('streams only when NDJSON is asked for', () => {
    expect(negotiateRouting(undefined)).toBe('application/json')
    expect(negotiateRouting('*/*')).toBe('application/json')
    expect(negotiateRouting('application/x-ndjson')).toBe('application/x-ndjson')
    expect(negotiateRouting('application/json, application/x-ndjson;q=0.5')).toBe('application/json')
  })
})

describe('CAR parameters', () => {
  it('parses dag-scope', () => {
    expect(parseDagScope(null)).toBe('all')
    expect(parseDagScope('entity')).toBe('entity')
    expect(() => parseDagScope('files')).toThrow(expect.objectContaining({ name: 'InvalidParameterError', parameter: 'dag-scope' }))
  })

  it('parses entity-bytes and turns it into an offset and length', () => {
    expect(parseEntityBytes(null)).toBeUndefined()
    expect(parseEntityBytes('0:*')).toEqual({ from: 0, to: '*' })
    expect(parseEntityBytes('-1024:*')).toEqual({ from: -1024, to: '*' })
    expect(parseEntityBytes('499:-1000')).toEqual({ from: 499, to: -1000 })
    for (const bad of ['', '1', 'a:b', '5:2', '1:2:3']) {
      expect(() => parseEntityBytes(bad), bad).toThrow(expect.objectContaining({ name: 'InvalidParameterError' }))
    }
    expect(entityRange({ from: 0, to: '*' }, 100)).toEqual({ offset: 0, length: 100 })
    expect(entityRange({ from: -10, to: '*' }, 100)).toEqual({ offset: 90, length: 10 })
    expect(entityRange({ from: -1000, to: '*' }, 100)).toEqual({ offset: 0, length: 100 })
    expect(entityRange({ from: 10, to: -11 }, 100)).toEqual({ offset: 10, length: 80 })
    expect(entityRange({ from: 50, to: 500 }, 100)).toEqual({ offset: 50, length: 50 })
    expect(entityRange({ from: 60, to: -50 }, 100)).toBe('empty')
    expect(entityRange({ from: 0, to: '*' }, 0)).toBe('empty')
    expect(() => entityRange({ from: 100, to: '*' }, 100)).toThrow(expect.objectContaining({ name: 'InvalidParameterError' }))
    expect(() => entityRange({ from: 0, to: -200 }, 100)).toThrow(expect.objectContaining({ name: 'InvalidParameterError' }))
  })

  it('gives a weak ETag that changes with path and every parameter', () => {
    const cid = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'
    const path = parseContentPath(`${cid}/a`)
    const car = { format: 'car', version: 1, order: 'dfs', dups: 'n' } as const
    const tag = carEtag(path, 'all', null, car)
    expect(tag).toMatch(new RegExp(`^W/"${cid}\\.car\\.[\\w-]{16}"$`))
    expect(carEtag(path, 'all', null, car)).toBe(tag)
    const others = [
      carEtag(parseContentPath(`${cid}/b`), 'all', null, car),
      carEtag(path, 'entity', null, car),
      carEtag(path, 'entity', '0:10', car),
      carEtag(path, 'all', null, { ...car, dups: 'y' })
    ]
    expect(new Set([tag, ...others]).size).toBe(5)
  })
})

describe('parseContentPath', () => {
  it('parses the CID in any basic multibase and decodes path segments', () => {
    const path = parseContentPath('bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/a%20b//c/')
    expect(path.segments).toEqual(['a b', 'c'])
    expect(path.ipfsPath).toBe('/ipfs/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/a%20b//c')
    expect(parseContentPath('QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR').cid.version).toBe(0)
    expect(parseContentPath('k2k4r8jl0yz8qjgqbmc2cdu5hkqek5rj6flgnlkyywynci20j0iuyfuj').cid.version).toBe(1)
    expect(() => parseContentPath('nope')).toThrow(expect.objectContaining({ name: 'InvalidCidError', cid: 'nope' }))
    expect(() => parseContentPath('bafkqaaa/a%2Fb')).toThrow(expect.objectContaining({ name: 'InvalidParameterError', parameter: 'path' }))
    expect(() => parseContentPath('bafkqaaa/%E0%A4%A')).toThrow(expect.objectContaining({ name: 'InvalidParameterError' }))
    expect(() => parseContentPath(`bafkqaaa${'/a'.repeat(65)}`)).toThrow(expect.objectContaining({ name: 'InvalidParameterError' }))
  })
})

describe('matchesEtag', () => {
  it('compares weakly and understands lists and *', () => {
    expect(matchesEtag('"a.raw"', '"a.raw"')).toBe(true)
    expect(matchesEtag('W/"a.car.x"', 'W/"a.car.x"')).toBe(true)
    expect(matchesEtag('"b", "a.raw"', '"a.raw"')).toBe(true)
    expect(matchesEtag('*', '"a.raw"')).toBe(true)
    expect(matchesEtag('"b"', '"a.raw"')).toBe(false)
    expect(matchesEtag(undefined, '"a.raw"')).toBe(false)
  })
})
