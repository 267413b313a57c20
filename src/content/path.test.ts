import { describe, expect, it } from 'vitest'
import { normalizeFilePath, normalizeSitePath } from './path.js'

describe('normalizeSitePath', () => {
  it('splits a pathname into segments', () => {
    expect(normalizeSitePath('/')).toEqual([])
    expect(normalizeSitePath('')).toEqual([])
    expect(normalizeSitePath('/a/b/')).toEqual(['a', 'b'])
    expect(normalizeSitePath('/css/site.css')).toEqual(['css', 'site.css'])
  })

  it('drops empty and "." segments', () => {
    expect(normalizeSitePath('//a/./b//')).toEqual(['a', 'b'])
    expect(normalizeSitePath('/%2E/a')).toEqual(['a'])
  })

  it('decodes each segment', () => {
    expect(normalizeSitePath('/my%20docs/caf%C3%A9.html')).toEqual(['my docs', 'café.html'])
    expect(normalizeSitePath('/a%25b')).toEqual(['a%b'])
  })

  it.each([
    ['/../x'],
    ['/a/../b'],
    ['/%2e%2E/x'],
    ['/a%00b'],
    ['/a%2Fb'],
    ['/%E0%A4%A'],
    ['/%zz']
  ])('rejects %s', pathname => {
    expect(() => normalizeSitePath(pathname)).toThrow(expect.objectContaining({ name: 'InvalidPathError' }))
  })
})

describe('normalizeFilePath', () => {
  it('removes empty and "." segments without decoding', () => {
    expect(normalizeFilePath('./css//site.css')).toBe('css/site.css')
    expect(normalizeFilePath('/a%20b.txt')).toBe('a%20b.txt')
  })

  it.each([[''], ['./'], ['../x'], ['a/../b'], ['a\0b']])('rejects %j', path => {
    expect(() => normalizeFilePath(path)).toThrow(expect.objectContaining({ name: 'InvalidPathError' }))
  })
})
