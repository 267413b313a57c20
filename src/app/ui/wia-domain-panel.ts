import { LitElement, css, html, nothing } from 'lit'
import { domainStatusMessage, errorText } from './messages.js'
import { baseStyles } from './styles.js'
import type { DomainCheck } from '../custom-domain.js'

/** Checks a custom domain for a site; `checkCustomDomain` in the app. */
export type DomainChecker = (host: string, site: string) => Promise<DomainCheck>

/**
 * **Custom domain**: the owner types a domain they own for one of their
 * sites and gets the exact DNS records to create, and whether they check out
 * (**Check domain**, again after editing DNS). Shown only when the relay
 * serves custom domains.
 */
export class WiaDomainPanel extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    table { border-collapse: collapse; font-size: var(--wa-font-size-s); }
    th, td { text-align: left; padding: var(--wa-space-3xs) var(--wa-space-s) var(--wa-space-3xs) 0; vertical-align: top; }
    code { word-break: break-all; }
  `]

  static override properties = {
    sites: { attribute: false },
    checker: { attribute: false },
    site: { state: true },
    host: { state: true },
    result: { state: true },
    error: { state: true },
    busy: { state: true }
  }

  declare sites: string[]
  declare checker: DomainChecker | undefined
  declare private site: string
  declare private host: string
  declare private result: DomainCheck | undefined
  declare private error: string
  declare private busy: boolean

  constructor () {
    super()
    this.sites = []
    this.site = ''
    this.host = ''
    this.error = ''
    this.busy = false
  }

  override render (): unknown {
    if (this.checker == null || this.sites.length === 0) {
      return nothing
    }
    const site = this.site !== '' && this.sites.includes(this.site) ? this.site : this.sites[0] ?? ''
    return html`
      <section aria-labelledby="domain-title">
        <h2 id="domain-title">Custom domain</h2>
        <p>Already have a domain? Point it to your site; both addresses work.</p>
        <form @submit=${(e: Event) => { e.preventDefault(); void this.check(site) }}>
          ${this.sites.length > 1
            ? html`<label for="domain-site">Site</label>
              <select id="domain-site" .value=${site} @change=${(e: Event) => { this.site = (e.target as HTMLSelectElement).value }}>
                ${this.sites.map(name => html`<option value=${name}>${name}</option>`)}
              </select>`
            : nothing}
          <label for="domain-host">Custom domain</label>
          <input id="domain-host" type="text" inputmode="url" autocomplete="off" placeholder="www.example.com" required
            .value=${this.host} @input=${(e: Event) => { this.host = (e.target as HTMLInputElement).value }}>
          <button type="submit" ?disabled=${this.busy}>Check domain</button>
        </form>
        ${this.error !== '' ? html`<p role="alert">${this.error}</p>` : nothing}
        ${this.result == null ? nothing : this.renderResult(this.result)}
      </section>
    `
  }

  private renderResult (result: DomainCheck): unknown {
    return html`
      <p role="status">${domainStatusMessage(result)}</p>
      <table aria-label="DNS records for ${result.host}">
        <thead><tr><th>Type</th><th>Name</th><th>Value</th></tr></thead>
        <tbody>${result.records.map(record => html`
          <tr><td>${record.type}</td><td><code>${record.name}</code></td><td><code>${record.value}</code></td></tr>`)}
        </tbody>
      </table>
    `
  }

  private async check (site: string): Promise<void> {
    if (this.checker == null) {
      return
    }
    this.busy = true
    this.error = ''
    try {
      this.result = await this.checker(this.host, site)
    } catch (err) {
      this.result = undefined
      this.error = errorText(err, 'domain')
    } finally {
      this.busy = false
    }
  }
}

customElements.define('wia-domain-panel', WiaDomainPanel)

declare global {
  interface HTMLElementTagNameMap {
    'wia-domain-panel': WiaDomainPanel
  }
}
