import { describe, expect, it } from 'vitest'
import { bootstrapPage } from './bootstrap-page.js'

/** The requests the page's script makes ahead of the worker, as the script holds them. */
function requestsOf (html: string): unknown {
  const match = /for \(const \{ url, accept \} of (\[.*\])\) \{/.exec(html)
  expect(match).not.toBeNull()
  return JSON.parse(match![1]!)
}

describe('bootstrapPage', () => {
  it('asks for the worker\'s first answers: configuration, record and, with a root, the page\'s CAR', () => {
    expect(requestsOf(bootstrapPage('alice.wia.home', '/demo.html', 'bafyroot'))).toEqual([
      { url: '/_wia/config.json' },
      { url: '/_wia/name/alice.wia.home', accept: 'application/vnd.wia.name-record' },
      { url: '/_wia/ipfs/bafyroot/demo.html?dag-scope=entity&entity-bytes=0:2097151', accept: 'application/vnd.ipld.car' }
    ])
    expect(requestsOf(bootstrapPage('alice.wia.home'))).toHaveLength(2)
  })

  it('keeps a path that holds markup inside its script', () => {
    const html = bootstrapPage('alice.wia.home', '/</script><script>alert(1)</script>', 'bafyroot')
    expect(html.match(/<\/script>/g)).toHaveLength(1)
    expect(requestsOf(html)).toContainEqual(expect.objectContaining({ url: '/_wia/ipfs/bafyroot/</script><script>alert(1)</script>?dag-scope=entity&entity-bytes=0:2097151' }))
  })
})
