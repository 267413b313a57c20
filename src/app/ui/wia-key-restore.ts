import { LitElement, css, html, nothing } from 'lit'
import { errorText } from './messages.js'
import { baseStyles } from './styles.js'
import type { HostedSite } from '../host/index.js'

/**
 * **Restore on another device**: pick a key file saved with "Back up your
 * key", type its passphrase, and the key and its names become this device's;
 * shows which sites came back.
 *
 * @fires wia-identity-imported - `CustomEvent<HostedSite[]>` after a restore, with every site this device lists now
 */
export class WiaKeyRestore extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    form { display: grid; gap: var(--wa-space-xs); max-width: 32rem; }
  `]

  static override properties = {
    importer: { attribute: false },
    restored: { state: true },
    error: { state: true },
    busy: { state: true }
  }

  /** Restores a key file's text with its passphrase; resolves to the sites this device lists now. */
  declare importer: ((fileText: string, passphrase: string) => Promise<HostedSite[]>) | undefined
  declare private restored: HostedSite[] | null
  declare private error: string
  declare private busy: boolean

  constructor () {
    super()
    this.importer = undefined
    this.restored = null
    this.error = ''
    this.busy = false
  }

  override render (): unknown {
    return html`
      <form @submit=${this.onSubmit} aria-labelledby="restore-title">
        <h3 id="restore-title">Restore on another device</h3>
        <p>On a new device (or after clearing this browser), restore your key from its file to own your names here again. Then publish each site's folder to serve it from this device.</p>
        <label for="restore-file">Key file</label>
        <input id="restore-file" type="file" accept=".json,application/json">
        <label for="restore-pass">Restore passphrase</label>
        <input id="restore-pass" type="password" autocomplete="current-password">
        <button type="submit" ?disabled=${this.busy}>Restore key</button>
        ${this.busy ? html`<p>Unlocking the key file…</p>` : nothing}
        ${this.error !== '' ? html`<p role="alert">${this.error}</p>` : nothing}
        ${this.restored == null ? nothing : this.renderRestored(this.restored)}
      </form>
    `
  }

  private renderRestored (sites: HostedSite[]): unknown {
    return html`<div role="status">
      <p>Key restored. ${sites.length === 0 ? 'It owns no names yet.' : 'These sites came back:'}</p>
      ${sites.length === 0 ? nothing : html`<ul>${sites.map(site => html`<li>${site.name}${site.hasContent === false ? ' (publish its folder to serve it from here)' : ''}</li>`)}</ul>`}
    </div>`
  }

  private async onSubmit (e: Event): Promise<void> {
    e.preventDefault()
    this.error = ''
    this.restored = null
    const file = this.renderRoot.querySelector<HTMLInputElement>('#restore-file')?.files?.[0]
    if (file == null) {
      this.error = 'Choose the key file first (Key file).'
      return
    }
    if (this.importer == null) {
      this.error = 'The app is still starting. Wait a moment and try again.'
      return
    }
    this.busy = true
    try {
      this.restored = await this.importer(await file.text(), this.renderRoot.querySelector<HTMLInputElement>('#restore-pass')?.value ?? '')
      this.dispatchEvent(new CustomEvent('wia-identity-imported', { detail: this.restored, bubbles: true, composed: true }))
    } catch (err) {
      this.error = errorText(err, 'key')
    } finally {
      this.busy = false
    }
  }
}

customElements.define('wia-key-restore', WiaKeyRestore)

declare global {
  interface HTMLElementTagNameMap {
    'wia-key-restore': WiaKeyRestore
  }
}
