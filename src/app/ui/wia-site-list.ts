import { LitElement, css, html, nothing } from 'lit'
import { formatBytes } from './messages.js'
import type { HostedSite } from '../host/index.js'

/** The sites this device hosts, each with its link, size and version. */
export class WiaSiteList extends LitElement {
  static override styles = css`
    :host { display: block; }
    ul { padding-left: 1.2rem; }
    .meta { color: #555; font-size: 0.9em; }
    .copies { display: block; }
  `

  static override properties = {
    sites: { attribute: false },
    siteUrl: { attribute: false }
  }

  declare sites: HostedSite[]
  declare siteUrl: (name: string) => string

  constructor () {
    super()
    this.sites = []
    this.siteUrl = name => `http://${name}/`
  }

  override render (): unknown {
    if (this.sites.length === 0) {
      return nothing
    }
    return html`
      <section aria-labelledby="sites-title">
        <h2 id="sites-title">Your sites</h2>
        <ul>
          ${this.sites.map(site => html`
            <li>
              <a href=${this.siteUrl(site.name)} target="_blank" rel="noopener">${site.name}</a>
              ${site.hasContent === false
                ? html`<span class="meta">owned by your key; publish its folder again to serve it from this device</span>`
                : html`<span class="meta">${site.files} files, ${formatBytes(site.bytes)}, version ${site.seq + 1}, published ${new Date(site.publishedAt).toLocaleString()}</span>
                  <span class="meta copies">${copiesText(site.relayCopies)}</span>`}
            </li>`)}
        </ul>
      </section>
    `
  }
}

/** Whether the site stays up while this device is off. */
function copiesText (copies: number | undefined): string {
  if (copies == null) {
    return 'Copying to relays…'
  }
  if (copies === 0) {
    return 'No relay keeps a copy: the site is up while this app is open'
  }
  return `Kept by ${copies} ${copies === 1 ? 'relay' : 'relays'} while this device is off`
}

customElements.define('wia-site-list', WiaSiteList)

declare global {
  interface HTMLElementTagNameMap {
    'wia-site-list': WiaSiteList
  }
}
