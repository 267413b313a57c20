import { describe, expect, it } from 'vitest'
import { InvalidPathError, PathNotFoundError } from '../content/index.js'
import { NameNotFoundError, OwnerKeyChangedError, SiteUnpublishedError } from '../naming/index.js'
import { ContentUnavailableError, MethodNotAllowedError } from './errors.js'
import { toResponse } from './answer.js'
import { errorResponse, fileAnswer, redirectAnswer } from './respond.js'

const NAME = 'alice.wia.home'

/** An error with only a name, as `src/naming` throws them. */
function named (name: string): Error {
  const err = new Error('failed')
  err.name = name
  return err
}

describe('errorResponse', () => {
  it.each([
    [new NameNotFoundError(`No site is registered under ${NAME}`), 404],
    [new PathNotFoundError(), 404],
    [new InvalidPathError(), 400],
    [new MethodNotAllowedError('PUT'), 405],
    [named('InvalidSignatureError'), 502],
    [named('RecordExpiredError'), 502],
    [named('MalformedRecordError'), 502],
    [named('InsufficientProofOfWorkError'), 502],
    [new OwnerKeyChangedError(NAME), 409],
    [new SiteUnpublishedError(NAME), 410],
    [new ContentUnavailableError(NAME), 504],
    [named('InsufficientProvidersError'), 504],
    [named('LoadBlockFailedError'), 504],
    [new DOMException('aborted', 'AbortError'), 504],
    [new DOMException('timed out', 'TimeoutError'), 504],
    [new Error('boom'), 500],
    ['not even an error', 500]
  ])('maps %s to %i', async (err, status) => {
    const response = errorResponse(err, { name: NAME, path: '/x' })
    expect(response.status).toBe(status)
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(await response.text()).toMatch(/^<!doctype html>/)
  })

  it('says no site is registered under the name', async () => {
    const text = await errorResponse(new NameNotFoundError(`No site is registered under ${NAME}`), { name: NAME }).text()
    expect(text).toContain('No site is registered under alice.wia.home')
  })

  it('says the content could not be fetched and to try later', async () => {
    const text = await errorResponse(new ContentUnavailableError(NAME), { name: NAME }).text()
    expect(text).toContain('alice.wia.home could not be fetched')
    expect(text).toContain('offline')
    expect(text).toContain('Try again later')
  })

  it('says where the time ran out', async () => {
    const resolving = await errorResponse(new ContentUnavailableError(NAME, { phase: 'resolving' }), { name: NAME }).text()
    expect(resolving).toContain('alice.wia.home could not be fetched: looking up its name took too long')
    const fetching = await errorResponse(new ContentUnavailableError(NAME, { phase: 'fetching' }), { name: NAME }).text()
    expect(fetching).toContain('alice.wia.home could not be fetched: its host or a peer holding a copy did not send the files in time')
    // Helia found no provider it could reach: the same page as a fetch that ran out of time
    expect(await errorResponse(named('LoadBlockFailedError'), { name: NAME }).text()).toBe(fetching)
  })

  it('warns that the owner changed and shows no content', async () => {
    const text = await errorResponse(new OwnerKeyChangedError(NAME), { name: NAME }).text()
    expect(text).toContain('The owner of alice.wia.home has changed since your last visit')
    expect(text).toContain('may come from an impostor')
  })

  it('says the owner unpublished the site and whom to ask', async () => {
    const text = await errorResponse(new SiteUnpublishedError(NAME), { name: NAME }).text()
    expect(text).toContain('This site was unpublished')
    expect(text).toContain('The owner of alice.wia.home took this site down')
    expect(text).toContain('ask the owner')
  })

  it('says the record is invalid', async () => {
    const text = await errorResponse(named('NameMismatchError'), { name: NAME }).text()
    expect(text).toContain('The record for alice.wia.home is invalid')
  })

  it('names the missing path, escaped', async () => {
    const text = await errorResponse(new PathNotFoundError(), { name: NAME, path: '/<script>.html' }).text()
    expect(text).toContain('/&lt;script&gt;.html')
    expect(text).not.toContain('<script>')
  })

  it('sends Allow with 405', () => {
    expect(errorResponse(new MethodNotAllowedError('POST'), { name: NAME }).headers.get('Allow')).toBe('GET, HEAD')
  })
})

describe('fileAnswer', () => {
  it('streams an async iterable lazily and sets the headers', async () => {
    let pulled = 0
    async function * body (): AsyncGenerator<Uint8Array> {
      for (const part of ['a', 'b', 'c']) {
        pulled++
        yield new TextEncoder().encode(part)
      }
    }
    const response = toResponse(fileAnswer({ path: 'x.json', body: body(), size: 3n, cid: 'bafyfile', status: 203 }))
    expect(pulled).toBe(0)
    expect(response.status).toBe(203)
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8')
    expect(response.headers.get('Content-Length')).toBe('3')
    expect(response.headers.get('ETag')).toBe('"bafyfile"')
    expect(await response.text()).toBe('abc')
  })

  it('ends the iterator when the stream is cancelled', async () => {
    let finished = false
    async function * body (): AsyncGenerator<Uint8Array> {
      try {
        while (true) {
          yield new Uint8Array(8)
        }
      } finally {
        finished = true
      }
    }
    const reader = toResponse(fileAnswer({ path: 'x.bin', body: body() })).body?.getReader()
    await reader?.read()
    await reader?.cancel()
    expect(finished).toBe(true)
  })

  it('sends no body for HEAD and cancels a given stream', async () => {
    let cancelled = false
    const stream = new ReadableStream<Uint8Array>({ cancel () { cancelled = true } })
    const response = toResponse(fileAnswer({ path: 'a.css', body: stream, size: 10, method: 'HEAD' }))
    expect(response.body).toBeNull()
    expect(response.headers.get('Content-Length')).toBe('10')
    await Promise.resolve()
    expect(cancelled).toBe(true)
  })
})

describe('redirectAnswer', () => {
  it('is a 301 with Location', () => {
    const response = toResponse(redirectAnswer('/docs/'))
    expect(response.status).toBe(301)
    expect(response.headers.get('Location')).toBe('/docs/')
  })
})
