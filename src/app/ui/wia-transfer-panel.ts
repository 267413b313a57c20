import { LitElement, css, html, nothing } from 'lit'
import { errorText } from './messages.js'
import { baseStyles } from './styles.js'

/**
 * Moving a name between keys: this device's **key ID** (what a sender needs),
 * **Transfer name** (sign a transfer token for another key) and **Accept
 * transfer** (keep a token received; the next publish under that name takes
 * it over, with no proof of work).
 */
export class WiaTransferPanel extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    section { max-width: 40rem; }
    output, textarea { word-break: break-all; }
  `]

  static override properties = {
    keyId: { attribute: false },
    transferer: { attribute: false },
    acceptor: { attribute: false },
    token: { state: true },
    error: { state: true },
    notice: { state: true }
  }

  /** This device's owner key ID (`12D3KooW…`), once the node runs. */
  declare keyId: string
  declare transferer: ((name: string, toKeyId: string) => Promise<string>) | undefined
  declare acceptor: ((token: string) => Promise<string>) | undefined
  declare private token: string
  declare private error: string
  declare private notice: string

  constructor () {
    super()
    this.keyId = ''
    this.transferer = undefined
    this.acceptor = undefined
    this.token = ''
    this.error = ''
    this.notice = ''
  }

  override render (): unknown {
    return html`
      <section aria-labelledby="transfer-title">
        <h2 id="transfer-title">Transfers</h2>
        <p>Your key ID: <output aria-label="Your key ID">${this.keyId === '' ? '…' : this.keyId}</output></p>
        <fieldset>
          <legend>Give a name to another key</legend>
          <label for="transfer-name">Name to transfer</label>
          <input id="transfer-name" type="text" placeholder="alice.wia.home" autocomplete="off" spellcheck="false">
          <label for="transfer-to">New owner key ID</label>
          <input id="transfer-to" type="text" autocomplete="off" spellcheck="false">
          <button type="button" @click=${this.onTransfer}>Transfer name</button>
          ${this.token !== ''
            ? html`<label for="transfer-token">Transfer token (send it to the new owner)</label>
                <textarea id="transfer-token" readonly rows="4">${this.token}</textarea>`
            : nothing}
        </fieldset>
        <fieldset>
          <legend>Take over a name</legend>
          <label for="received-token">Received transfer token</label>
          <textarea id="received-token" rows="4"></textarea>
          <button type="button" @click=${this.onAccept}>Accept transfer</button>
        </fieldset>
        ${this.error !== '' ? html`<p role="alert">${this.error}</p>` : nothing}
        ${this.notice !== '' ? html`<p role="status">${this.notice}</p>` : nothing}
      </section>
    `
  }

  private value (id: string): string {
    return this.renderRoot.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${id}`)?.value.trim() ?? ''
  }

  private async onTransfer (): Promise<void> {
    await this.run(async () => {
      if (this.transferer == null) {
        throw new Error('The app is still starting')
      }
      const name = this.value('transfer-name')
      this.token = await this.transferer(name, this.value('transfer-to'))
      this.notice = `Transfer of ${name} signed. It moves once the new owner accepts the token and publishes under ${name}.`
    })
  }

  private async onAccept (): Promise<void> {
    await this.run(async () => {
      if (this.acceptor == null) {
        throw new Error('The app is still starting')
      }
      const name = await this.acceptor(this.value('received-token'))
      this.notice = `Transfer of ${name} accepted. Publish a folder under ${name} to take it over.`
    })
  }

  private async run (fn: () => Promise<void>): Promise<void> {
    this.error = ''
    this.notice = ''
    try {
      await fn()
    } catch (err) {
      this.error = errorText(err, 'transfer')
    }
  }
}

customElements.define('wia-transfer-panel', WiaTransferPanel)

declare global {
  interface HTMLElementTagNameMap {
    'wia-transfer-panel': WiaTransferPanel
  }
}
