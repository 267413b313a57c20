import { describe, expect, it } from 'vitest'
import { carRequest, firstVisitRequests, nameRecordRequest, pagePath } from './visit-requests.js'

describe('visit requests', () => {
  it('asks for a name record by its encoded name, as a name record', () => {
    expect(nameRecordRequest('https://a.test/_wia/', 'alice.wia.home')).toEqual({ url: 'https://a.test/_wia/name/alice.wia.home', accept: 'application/vnd.wia.name-record' })
    expect(nameRecordRequest('/_wia/', 'a b')).toEqual({ url: '/_wia/name/a%20b', accept: 'application/vnd.wia.name-record' })
  })

  it('asks for a CAR with the Trustless Gateway parameters', () => {
    expect(carRequest('/_wia/', 'bafyroot', '/a.mp4', { entityBytes: '0:99' })).toEqual({ url: '/_wia/ipfs/bafyroot/a.mp4?dag-scope=entity&entity-bytes=0:99', accept: 'application/vnd.ipld.car' })
    expect(carRequest('/_wia/', 'bafyroot', '', { dagScope: 'all' }).url).toBe('/_wia/ipfs/bafyroot?dag-scope=all')
  })

  it('serves a directory URL from its index.html', () => {
    expect(pagePath('/')).toBe('/index.html')
    expect(pagePath('/docs/')).toBe('/docs/index.html')
    expect(pagePath('/demo.html')).toBe('/demo.html')
  })

  it('lists a cold visit\'s first requests in the order the worker makes them, the CAR only with a root', () => {
    expect(firstVisitRequests('/_wia/', '/_wia/config.json', 'alice.wia.home', '/docs/', 'bafyroot')).toEqual([
      { url: '/_wia/config.json' },
      { url: '/_wia/name/alice.wia.home', accept: 'application/vnd.wia.name-record' },
      { url: '/_wia/ipfs/bafyroot/docs/index.html?dag-scope=entity&entity-bytes=0:2097151', accept: 'application/vnd.ipld.car' }
    ])
    expect(firstVisitRequests('/_wia/', '/_wia/config.json', 'alice.wia.home', '/')).toHaveLength(2)
  })
})
