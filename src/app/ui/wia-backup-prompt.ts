import { LitElement, css, html } from 'lit'
import { baseStyles } from './styles.js'

/**
 * The prompt shown once this device owns a name whose key was never backed
 * up: **Back up your key**, or **Not now** (it comes back the next time the
 * app starts, until a backup is made).
 *
 * @fires wia-backup-now - the person chose to back up now
 * @fires wia-backup-later - the person dismissed the prompt
 */
export class WiaBackupPrompt extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    aside {
      display: grid; gap: var(--wa-space-xs);
      color: var(--wa-color-warning-on-quiet); background: var(--wa-color-warning-fill-quiet);
      border: var(--wa-border-width-s, 1px) solid var(--wa-color-warning-border-quiet);
      border-radius: var(--wa-border-radius-l); padding: var(--wa-space-s) var(--wa-space-m);
    }
    p { margin: 0; }
    .actions { display: flex; flex-wrap: wrap; gap: var(--wa-space-xs); }
  `]

  override render (): unknown {
    return html`
      <aside aria-labelledby="prompt-title">
        <h2 id="prompt-title">Back up your key</h2>
        <p>Your site is live. Its name belongs to the key kept in this browser only: save the key to a file now, so you can restore your names if this browser's data is lost.</p>
        <div class="actions">
          <button type="button" @click=${() => { this.fire('wia-backup-now') }}>Back up now</button>
          <button type="button" @click=${() => { this.fire('wia-backup-later') }}>Not now</button>
        </div>
      </aside>
    `
  }

  private fire (type: string): void {
    this.dispatchEvent(new Event(type, { bubbles: true, composed: true }))
  }
}

customElements.define('wia-backup-prompt', WiaBackupPrompt)

declare global {
  interface HTMLElementTagNameMap {
    'wia-backup-prompt': WiaBackupPrompt
  }
}
