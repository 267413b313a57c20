import { LitElement, css, html, nothing } from 'lit'
import { errorText, formatBytes } from './messages.js'
import { baseStyles } from './styles.js'
import type { CachedSite } from '../../cache/index.js'

/** What the panel needs from the node. */
export interface KeepActions {
  keep(name: string): Promise<CachedSite>
  list(): Promise<CachedSite[]>
  drop(name: string): Promise<void>
}

/**
 * "Keep this site online": this tab keeps a whole copy of someone else's
 * site, announces it and serves it to visitors while the app is open. Lists
 * the sites it keeps with their sizes, each with a **Drop** button.
 */
export class WiaKeepPanel extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    section { max-width: 40rem; }
    form { display: flex; gap: var(--wa-space-xs); flex-wrap: wrap; align-items: center; }
    form input { flex: 1 1 12rem; }
    ul { padding-left: var(--wa-space-l); margin: 0; display: grid; gap: var(--wa-space-2xs); }
  `]

  static override properties = {
    actions: { attribute: false },
    sites: { state: true },
    busy: { state: true },
    error: { state: true },
    notice: { state: true }
  }

  declare actions: KeepActions | undefined
  declare private sites: CachedSite[]
  declare private busy: boolean
  declare private error: string
  declare private notice: string

  constructor () {
    super()
    this.actions = undefined
    this.sites = []
    this.busy = false
    this.error = ''
    this.notice = ''
  }

  override updated (changed: Map<string, unknown>): void {
    if (changed.has('actions') && this.actions != null) {
      void this.refresh()
    }
  }

  override render (): unknown {
    return html`
      <section aria-labelledby="keep-title">
        <h2 id="keep-title">Sites you keep online</h2>
        <p>Keep a copy of a site you like: while this app is open, visitors can get it from you, even when its owner is offline.</p>
        <form @submit=${this.onKeep}>
          <label for="keep-name">Site to keep online</label>
          <input id="keep-name" type="text" placeholder="alice.wia.home" autocomplete="off" spellcheck="false" ?disabled=${this.busy}>
          <button type="submit" ?disabled=${this.busy}>Keep this site online</button>
        </form>
        ${this.busy ? html`<progress aria-label="Fetching the site"></progress>` : nothing}
        ${this.error !== '' ? html`<p role="alert">${this.error}</p>` : nothing}
        ${this.notice !== '' ? html`<p role="status">${this.notice}</p>` : nothing}
        ${this.sites.length === 0
          ? nothing
          : html`<ul aria-label="Sites kept online">
              ${this.sites.map(site => html`<li>
                ${site.name} <span class="meta">${formatBytes(site.bytes)}</span>
                <button type="button" aria-label=${`Drop ${site.name}`} @click=${async () => { await this.onDrop(site.name) }}>Drop</button>
              </li>`)}
            </ul>`}
      </section>
    `
  }

  private async refresh (): Promise<void> {
    this.sites = await this.actions?.list() ?? []
  }

  private async onKeep (event: Event): Promise<void> {
    event.preventDefault()
    const input = this.renderRoot.querySelector<HTMLInputElement>('#keep-name')
    const name = input?.value.trim().toLowerCase() ?? ''
    await this.run(async actions => {
      const site = await actions.keep(name)
      this.notice = `${site.name} is kept online by this device (${formatBytes(site.bytes)}) while the app is open.`
      if (input != null) input.value = ''
    })
  }

  private async onDrop (name: string): Promise<void> {
    await this.run(async actions => {
      await actions.drop(name)
      this.notice = `${name} is no longer kept on this device.`
    })
  }

  private async run (fn: (actions: KeepActions) => Promise<void>): Promise<void> {
    if (this.actions == null) {
      this.error = 'The app is still starting; try again in a moment.'
      return
    }
    this.busy = true
    this.error = ''
    this.notice = ''
    try {
      await fn(this.actions)
    } catch (err) {
      this.error = errorText(err, 'keep')
    } finally {
      this.busy = false
      await this.refresh()
    }
  }
}

customElements.define('wia-keep-panel', WiaKeepPanel)

declare global {
  interface HTMLElementTagNameMap {
    'wia-keep-panel': WiaKeepPanel
  }
}
