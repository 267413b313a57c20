import { LitElement, css, html, nothing } from 'lit'
import { MIN_PASSPHRASE_LENGTH } from '../identity/constants.js'
import { estimateStrength } from '../identity/strength.js'
import { errorText } from './messages.js'
import { baseStyles } from './styles.js'
import type { PassphraseStrength } from '../identity/index.js'

/** The hint under the passphrase for each strength. */
const STRENGTH_HINT: Record<PassphraseStrength, string> = {
  'too-short': `Too short: use at least ${MIN_PASSPHRASE_LENGTH} characters.`,
  weak: 'Weak: easy to guess. Add a few words or unusual characters.',
  fair: 'Fair: add a word or two to make it strong.',
  good: 'Good.',
  strong: 'Strong.'
}

/**
 * **Back up your key**, step by step: what the key is for, a passphrase typed
 * twice with a strength hint, and the download of the key file it protects.
 *
 * @fires wia-key-backed-up - after the key file was handed to the browser to save
 */
export class WiaKeyBackup extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    form { display: grid; gap: var(--wa-space-xs); max-width: 32rem; }
  `]

  static override properties = {
    exporter: { attribute: false },
    passphrase: { state: true },
    repeated: { state: true },
    error: { state: true },
    notice: { state: true },
    busy: { state: true }
  }

  /** Produces the passphrase-encrypted key file's text. */
  declare exporter: ((passphrase: string) => Promise<string>) | undefined
  declare private passphrase: string
  declare private repeated: string
  declare private error: string
  declare private notice: string
  declare private busy: boolean

  constructor () {
    super()
    this.exporter = undefined
    this.passphrase = ''
    this.repeated = ''
    this.error = ''
    this.notice = ''
    this.busy = false
  }

  override render (): unknown {
    const strength = estimateStrength(this.passphrase).strength
    return html`
      <form @submit=${this.onSubmit} aria-labelledby="backup-title">
        <h3 id="backup-title">Back up your key</h3>
        <p>The key file holds your key, locked with a passphrase you choose now. Keep the file somewhere safe (another device, a USB stick, your cloud storage) and remember the passphrase: with both, you can restore your names on any device.</p>
        <label for="backup-pass">Backup passphrase</label>
        <input id="backup-pass" type="password" autocomplete="new-password" aria-describedby="backup-strength"
          .value=${this.passphrase} @input=${(e: Event) => { this.passphrase = (e.target as HTMLInputElement).value }}>
        <p id="backup-strength" class="hint" aria-live="polite">${this.passphrase === '' ? 'Several unrelated words make a strong passphrase that is easy to remember.' : STRENGTH_HINT[strength]}</p>
        <label for="backup-repeat">Repeat backup passphrase</label>
        <input id="backup-repeat" type="password" autocomplete="new-password"
          .value=${this.repeated} @input=${(e: Event) => { this.repeated = (e.target as HTMLInputElement).value }}>
        <button type="submit" ?disabled=${this.busy}>Download key file</button>
        ${this.busy ? html`<p>Locking the key with your passphrase…</p>` : nothing}
        ${this.error !== '' ? html`<p role="alert">${this.error}</p>` : nothing}
        ${this.notice !== '' ? html`<p role="status">${this.notice}</p>` : nothing}
      </form>
    `
  }

  private async onSubmit (e: Event): Promise<void> {
    e.preventDefault()
    this.error = ''
    this.notice = ''
    if (this.passphrase !== this.repeated) {
      this.error = 'The two passphrases differ. Type the same passphrase twice.'
      return
    }
    if (this.exporter == null) {
      this.error = 'The app is still starting. Wait a moment and try again.'
      return
    }
    this.busy = true
    try {
      download(await this.exporter(this.passphrase), `wia-home-key-${new Date().toISOString().slice(0, 10)}.json`)
      this.passphrase = ''
      this.repeated = ''
      this.notice = 'Key file saved. Keep it and its passphrase safe: together they own your names.'
      this.dispatchEvent(new CustomEvent('wia-key-backed-up', { bubbles: true, composed: true }))
    } catch (err) {
      this.error = errorText(err, 'key')
    } finally {
      this.busy = false
    }
  }
}

/** Hand `text` to the browser to save as `fileName`. */
function download (text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.click()
  setTimeout(() => { URL.revokeObjectURL(url) }, 60_000)
}

customElements.define('wia-key-backup', WiaKeyBackup)

declare global {
  interface HTMLElementTagNameMap {
    'wia-key-backup': WiaKeyBackup
  }
}
