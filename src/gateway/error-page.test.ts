import { describe, expect, it } from 'vitest'
import { errorPage, escapeHtml } from './error-page.js'

describe('errorPage', () => {
  it('renders the title, message and hint in a main landmark', () => {
    const html = errorPage({ status: 404, title: 'Not found', message: 'Nothing here.', hint: 'Go home.', name: 'alice.wia.home' })
    expect(html).toMatch(/^<!doctype html><html lang="en">/)
    expect(html).toContain('<title>Not found · alice.wia.home</title>')
    expect(html).toContain('<main><h1>Not found</h1><p>Nothing here.</p><p class="hint">Go home.</p>')
    expect(html).not.toMatch(/(src|href)=/)
  })

  it('escapes every interpolated string', () => {
    const html = errorPage({ status: 500, title: '<b>', message: '"&"', hint: "'", name: '</title>' })
    expect(html).toContain('&lt;b&gt;')
    expect(html).toContain('&quot;&amp;&quot;')
    expect(html).toContain('&#39;')
    expect(html.match(/<\/title>/g)).toHaveLength(1)
  })
})

describe('escapeHtml', () => {
  it('escapes & < > " \'', () => {
    expect(escapeHtml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;')
  })
})
