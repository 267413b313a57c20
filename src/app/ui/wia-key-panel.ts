import { LitElement, css, html } from 'lit'
import './wia-key-backup.js'
import './wia-key-restore.js'
import { baseStyles } from './styles.js'
import type { HostedSite } from '../host/index.js'

/** Storage persistence as the browser reports it. */
export type StorageState = 'persistent' | 'best-effort' | 'unknown'

/**
 * **Your key**: what the owner key is for, whether the browser may clear it,
 * and the two guided steps: back it up to a passphrase-protected file
 * (`wia-key-backup`) and restore it on another device (`wia-key-restore`).
 *
 * @fires wia-key-backed-up - (from `wia-key-backup`) after the key file was saved
 * @fires wia-identity-imported - (from `wia-key-restore`) `CustomEvent<HostedSite[]>` after a restore
 */
export class WiaKeyPanel extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    section { display: grid; gap: var(--wa-space-m); max-width: 40rem; }
  `]

  static override properties = {
    exporter: { attribute: false },
    importer: { attribute: false },
    storage: { attribute: false }
  }

  /** Produces the encrypted key file's text. */
  declare exporter: ((passphrase: string) => Promise<string>) | undefined
  /** Restores a key file's text. */
  declare importer: ((fileText: string, passphrase: string) => Promise<HostedSite[]>) | undefined
  declare storage: StorageState

  constructor () {
    super()
    this.exporter = undefined
    this.importer = undefined
    this.storage = 'unknown'
  }

  override render (): unknown {
    return html`
      <section aria-labelledby="key-title">
        <h2 id="key-title">The key on this device</h2>
        <p>Your sites' names belong to a key: a secret this app made in this browser. It signs every version you publish, so visitors know it comes from you and no one else can publish under your names.</p>
        <p class="warn">The key lives only in this browser. If the browser's data is cleared or this device is lost, so is the key, and with it your names. Back it up to a file.</p>
        <p>${this.storage === 'persistent'
          ? 'Storage: persistent. The browser will not clear your sites and key on its own.'
          : this.storage === 'best-effort'
            ? 'Storage: not persistent. The browser may clear your sites and key when space runs low; back up your key.'
            : 'Storage: unknown.'}</p>
        <wia-key-backup .exporter=${this.exporter}></wia-key-backup>
        <wia-key-restore .importer=${this.importer}></wia-key-restore>
      </section>
    `
  }
}

customElements.define('wia-key-panel', WiaKeyPanel)

declare global {
  interface HTMLElementTagNameMap {
    'wia-key-panel': WiaKeyPanel
  }
}
