import { LitElement, css, html, nothing } from 'lit'
import { repeat } from 'lit/directives/repeat.js'
import type { NodeActivity, SiteActions } from './wia-site-card.js'
import type { HostedSite, ReleasedName } from '../host/index.js'

/**
 * The sites this device hosts, a {@link WiaSiteCard} each. The card's code
 * (record decoding, unpublish) is loaded with the first site, so it stays
 * out of the app's first load: sites only exist once the node's code is in.
 * When a card's name is released the card goes with its site, and the list
 * says when the name becomes free.
 */
export class WiaSiteList extends LitElement {
  static override styles = css`
    :host { display: block; }
    ul { list-style: none; padding: 0; margin: 0; display: grid; gap: var(--wa-space-m); grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr)); }
    h2 { font-size: var(--wa-font-size-l); margin: 0 0 var(--wa-space-s); }
    [role=status] { margin: 0 0 var(--wa-space-s); }
    [role=status]:empty { display: none; }
  `

  static override properties = {
    sites: { attribute: false },
    siteUrl: { attribute: false },
    activity: { attribute: false },
    actions: { attribute: false },
    released: { state: true }
  }

  declare sites: HostedSite[]
  declare siteUrl: (name: string) => string
  /** What this device's node does now, shown on every card. */
  declare activity: NodeActivity
  /** Versions and rollback, passed to every card. */
  declare actions: SiteActions | undefined
  /** What the last release said: the name and when it becomes free. */
  declare private released: string

  constructor () {
    super()
    this.sites = []
    this.siteUrl = name => `http://${name}/`
    this.activity = 'offline'
    this.actions = undefined
    this.released = ''
  }

  override render (): unknown {
    if (this.sites.length === 0) {
      return this.released === '' ? nothing : html`<p role="status">${this.released}</p>`
    }
    void loadSiteCard()
    return html`
      <section aria-labelledby="sites-title" @wia-site-released=${this.onReleased}>
        <h2 id="sites-title">Your sites</h2>
        <p role="status">${this.released}</p>
        <ul>
          ${repeat(this.sites, site => site.name, site => html`
            <li><wia-site-card .site=${site} .siteUrl=${this.siteUrl} .activity=${this.activity} .actions=${this.actions}></wia-site-card></li>`)}
        </ul>
      </section>
    `
  }

  private readonly onReleased = (event: CustomEvent<ReleasedName>): void => {
    const { name, freeAt } = event.detail
    this.released = `${name} is released: this device no longer renews it. Anyone may register it from ${new Date(freeAt).toLocaleDateString()}.`
  }
}

let siteCard: Promise<unknown> | undefined

/** Define `<wia-site-card>` (once): cards rendered before it upgrade when it is. */
async function loadSiteCard (): Promise<unknown> {
  siteCard ??= import('./wia-site-card.js')
  return siteCard
}

customElements.define('wia-site-list', WiaSiteList)

declare global {
  interface HTMLElementTagNameMap {
    'wia-site-list': WiaSiteList
  }
}
