/** What an error page says. */
export interface ErrorPageInit {
  /** HTTP status shown on the page (`404`). */
  status: number
  /** Short title, the page's `<h1>` (`'Site not found'`). */
  title: string
  /** One or two sentences saying what failed. */
  message: string
  /** What the visitor can do about it. */
  hint?: string
  /** The site's name, shown in the document title. */
  name?: string
}

const STYLE = [
  ':root{color-scheme:light dark;font-family:system-ui,sans-serif;line-height:1.5}',
  'body{margin:0;display:grid;min-height:100vh;place-items:center}',
  'main{max-width:36rem;padding:2rem}',
  'h1{font-size:1.5rem;margin:0 0 .5rem}',
  'p{margin:.5rem 0}',
  '.hint{opacity:.8}',
  '.status{opacity:.6;font-size:.875rem}'
].join('')

/**
 * A small self-contained, accessible HTML error page (inline CSS, no external
 * resources). Every interpolated string is HTML-escaped.
 *
 * @returns a complete HTML document
 */
export function errorPage (init: ErrorPageInit): string {
  const title = escapeHtml(init.title)
  const documentTitle = init.name == null ? title : `${title} · ${escapeHtml(init.name)}`
  const hint = init.hint == null ? '' : `<p class="hint">${escapeHtml(init.hint)}</p>`
  return '<!doctype html>' +
    '<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${documentTitle}</title><style>${STYLE}</style></head>` +
    `<body><main><h1>${title}</h1><p>${escapeHtml(init.message)}</p>${hint}` +
    `<p class="status">Error ${init.status} · wia-home</p></main></body></html>`
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}

/** Escape `& < > " '` so text is safe in HTML content and quoted attributes. */
export function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, char => HTML_ESCAPES[char] ?? char)
}
