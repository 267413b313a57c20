import { describe, expect, it } from 'vitest'
import { contentTypeFor } from './content-type.js'

describe('contentTypeFor', () => {
  it('gives text types a UTF-8 charset', () => {
    expect(contentTypeFor('index.html')).toBe('text/html; charset=utf-8')
    expect(contentTypeFor('css/site.css')).toBe('text/css; charset=utf-8')
    expect(contentTypeFor('js/app.mjs')).toBe('text/javascript; charset=utf-8')
    expect(contentTypeFor('data.json')).toBe('application/json; charset=utf-8')
    expect(contentTypeFor('img/logo.svg')).toBe('image/svg+xml; charset=utf-8')
    expect(contentTypeFor('site.webmanifest')).toBe('application/manifest+json; charset=utf-8')
  })

  it('gives binary types no charset', () => {
    expect(contentTypeFor('img/x.png')).toBe('image/png')
    expect(contentTypeFor('a.jpeg')).toBe('image/jpeg')
    expect(contentTypeFor('fonts/f.woff2')).toBe('font/woff2')
    expect(contentTypeFor('app.wasm')).toBe('application/wasm')
    expect(contentTypeFor('clip.webm')).toBe('video/webm')
  })

  it('ignores the case of the extension', () => {
    expect(contentTypeFor('PHOTO.JPG')).toBe('image/jpeg')
    expect(contentTypeFor('Index.HTM')).toBe('text/html; charset=utf-8')
  })

  it('falls back to application/octet-stream', () => {
    expect(contentTypeFor('archive.xyz')).toBe('application/octet-stream')
    expect(contentTypeFor('LICENSE')).toBe('application/octet-stream')
    expect(contentTypeFor('.htaccess')).toBe('application/octet-stream')
    expect(contentTypeFor('dir.css/file')).toBe('application/octet-stream')
  })
})
