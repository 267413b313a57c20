import { LitElement, css, html, nothing } from 'lit'
import { repeat } from 'lit/directives/repeat.js'
import type { NodeActivity, SiteActions } from './wia-site-card.js'
import type { HostedSite } from '../host/index.js'

/**
 * The sites this device hosts, a {@link WiaSiteCard} each. The card's code
 * (record decoding, unpublish) is loaded with the first site, so it stays
 * out of the app's first load: sites only exist once the node's code is in.
 */
export class WiaSiteList extends LitElement {
  static override styles = css`
    :host { display: block; }
    ul { list-style: none; padding: 0; margin: 0; display: grid; gap: var(--wa-space-m); grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr)); }
    h2 { font-size: var(--wa-font-size-l); margin: 0 0 var(--wa-space-s); }
  `

  static override properties = {
    sites: { attribute: false },
    siteUrl: { attribute: false },
    activity: { attribute: false },
    actions: { attribute: false }
  }

  declare sites: HostedSite[]
  declare siteUrl: (name: string) => string
  /** What this device's node does now, shown on every card. */
  declare activity: NodeActivity
  /** Versions and rollback, passed to every card. */
  declare actions: SiteActions | undefined

  constructor () {
    super()
    this.sites = []
    this.siteUrl = name => `http://${name}/`
    this.activity = 'offline'
    this.actions = undefined
  }

  override render (): unknown {
    if (this.sites.length === 0) {
      return nothing
    }
    void loadSiteCard()
    return html`
      <section aria-labelledby="sites-title">
        <h2 id="sites-title">Your sites</h2>
        <ul>
          ${repeat(this.sites, site => site.name, site => html`
            <li><wia-site-card .site=${site} .siteUrl=${this.siteUrl} .activity=${this.activity} .actions=${this.actions}></wia-site-card></li>`)}
        </ul>
      </section>
    `
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
