import { LitElement, css, html, nothing } from 'lit'
import { identityErrorMessage } from './messages.js'
import { baseStyles } from './styles.js'
import type { HostedSite } from '../host/index.js'

/** Storage persistence as the browser reports it. */
export type StorageState = 'persistent' | 'best-effort' | 'unknown'

/**
 * The owner's key: **Export key** (download a passphrase-encrypted file) and
 * **Import key** (make an exported key this device's), with the storage state
 * and the warning that losing the key means losing the names.
 *
 * @fires wia-identity-imported - `CustomEvent<HostedSite[]>` after an import
 */
export class WiaKeyPanel extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    section { max-width: 40rem; }
  `]

  static override properties = {
    exporter: { attribute: false },
    importer: { attribute: false },
    storage: { attribute: false },
    error: { state: true },
    notice: { state: true },
    busy: { state: true }
  }

  /** Produces the encrypted identity file's text. */
  declare exporter: ((passphrase: string) => Promise<string>) | undefined
  /** Imports an identity file's text. */
  declare importer: ((fileText: string, passphrase: string) => Promise<HostedSite[]>) | undefined
  declare storage: StorageState
  declare private error: string
  declare private notice: string
  declare private busy: boolean

  constructor () {
    super()
    this.exporter = undefined
    this.importer = undefined
    this.storage = 'unknown'
    this.error = ''
    this.notice = ''
    this.busy = false
  }

  override render (): unknown {
    return html`
      <section aria-labelledby="key-title">
        <h2 id="key-title">The key on this device</h2>
        <p class="warn">Your names belong to the key kept in this browser. Losing the key means losing the names: export it and keep the file and its passphrase safe.</p>
        <p>${this.storage === 'persistent'
          ? 'Storage: persistent. The browser will not clear your sites and key on its own.'
          : this.storage === 'best-effort'
            ? 'Storage: not persistent. The browser may clear your sites and key when space runs low; export your key.'
            : 'Storage: unknown.'}</p>
        <fieldset>
          <legend>Export</legend>
          <label for="export-pass">Export passphrase</label>
          <input id="export-pass" type="password" autocomplete="new-password" minlength="8">
          <button type="button" ?disabled=${this.busy} @click=${this.onExport}>Export key</button>
        </fieldset>
        <fieldset>
          <legend>Import</legend>
          <label for="import-file">Key file</label>
          <input id="import-file" type="file" accept=".json,application/json">
          <label for="import-pass">Import passphrase</label>
          <input id="import-pass" type="password" autocomplete="current-password">
          <button type="button" ?disabled=${this.busy} @click=${this.onImport}>Import key</button>
        </fieldset>
        ${this.error !== '' ? html`<p role="alert">${this.error}</p>` : nothing}
        ${this.notice !== '' ? html`<p role="status">${this.notice}</p>` : nothing}
      </section>
    `
  }

  private input (id: string): HTMLInputElement {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)!
  }

  private async onExport (): Promise<void> {
    await this.run(async () => {
      if (this.exporter == null) {
        throw new Error('The app is still starting')
      }
      const text = await this.exporter(this.input('export-pass').value)
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
      const a = document.createElement('a')
      a.href = url
      a.download = `wia-home-key-${new Date().toISOString().slice(0, 10)}.json`
      a.click()
      setTimeout(() => { URL.revokeObjectURL(url) }, 60_000)
      this.notice = 'Key exported. Keep the file and its passphrase safe: together they own your names.'
    })
  }

  private async onImport (): Promise<void> {
    await this.run(async () => {
      const file = this.input('import-file').files?.[0]
      if (file == null) {
        throw new Error('Choose the key file first (Key file)')
      }
      if (this.importer == null) {
        throw new Error('The app is still starting')
      }
      const sites = await this.importer(await file.text(), this.input('import-pass').value)
      this.notice = `Key imported. This device now owns ${sites.length === 0 ? 'no names yet' : sites.map(s => s.name).join(', ')}. Publish a folder under a name to serve it from here.`
      this.dispatchEvent(new CustomEvent('wia-identity-imported', { detail: sites, bubbles: true, composed: true }))
    })
  }

  private async run (fn: () => Promise<void>): Promise<void> {
    this.error = ''
    this.notice = ''
    this.busy = true
    try {
      await fn()
    } catch (err) {
      this.error = identityErrorMessage(err)
    } finally {
      this.busy = false
    }
  }
}

customElements.define('wia-key-panel', WiaKeyPanel)

declare global {
  interface HTMLElementTagNameMap {
    'wia-key-panel': WiaKeyPanel
  }
}
