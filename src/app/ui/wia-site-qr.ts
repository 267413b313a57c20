import { LitElement, css, html, nothing } from 'lit'
import { baseStyles } from './styles.js'
import { errorText } from './messages.js'

/** Pixels per side of the QR code image. */
const QR_SIZE_PX = 192

/**
 * **QR code** of a site's address, drawn on demand: the `qrcode` package is
 * imported the first time someone asks, so it costs nothing at first paint.
 * The image is named "QR code of <address>" for screen readers.
 */
export class WiaSiteQr extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: contents; }
    figure { flex-basis: 100%; margin: var(--wa-space-s) 0 0; display: grid; justify-items: start; gap: var(--wa-space-2xs); }
    img { background: white; padding: var(--wa-space-2xs); border-radius: var(--wa-border-radius-m); border: var(--wa-border-width-s, 1px) solid var(--wa-color-surface-border); }
    figcaption { overflow-wrap: anywhere; }
  `]

  static override properties = {
    url: {},
    open: { state: true },
    dataUrl: { state: true },
    error: { state: true }
  }

  /** The address the code stands for. */
  declare url: string

  declare private open: boolean
  declare private dataUrl: string
  declare private error: string

  constructor () {
    super()
    this.url = ''
    this.open = false
    this.dataUrl = ''
    this.error = ''
  }

  override willUpdate (changed: Map<PropertyKey, unknown>): void {
    if (changed.has('url')) {
      this.dataUrl = ''
      if (this.open) {
        void this.draw()
      }
    }
  }

  override render (): unknown {
    return html`
      <button type="button" aria-expanded=${this.open ? 'true' : 'false'} @click=${this.toggle}>QR code</button>
      ${this.open ? this.renderCode() : nothing}
    `
  }

  private renderCode (): unknown {
    if (this.error !== '') {
      return html`<p role="alert">${this.error}</p>`
    }
    if (this.dataUrl === '') {
      return html`<p class="meta">Drawing the QR code…</p>`
    }
    return html`<figure>
      <img src=${this.dataUrl} width=${QR_SIZE_PX} height=${QR_SIZE_PX} alt="QR code of ${this.url}">
      <figcaption class="meta">Scan to open ${this.url}</figcaption>
    </figure>`
  }

  private async toggle (): Promise<void> {
    this.open = !this.open
    if (this.open && this.dataUrl === '') {
      await this.draw()
    }
  }

  private async draw (): Promise<void> {
    this.error = ''
    try {
      const { toDataURL } = await import('qrcode')
      this.dataUrl = await toDataURL(this.url, { width: QR_SIZE_PX, margin: 1 })
    } catch (err) {
      this.error = errorText(err, 'site')
    }
  }
}

customElements.define('wia-site-qr', WiaSiteQr)

declare global {
  interface HTMLElementTagNameMap {
    'wia-site-qr': WiaSiteQr
  }
}
