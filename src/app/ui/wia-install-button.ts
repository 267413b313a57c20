import { LitElement, css, html, nothing } from 'lit'
import '@awesome.me/webawesome/dist/components/button/button.js'
import { baseStyles } from './styles.js'

/** Chromium's `beforeinstallprompt` event (not in TypeScript's DOM library). */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<{ outcome: 'accepted' | 'dismissed' }>
}

/** The install offer the browser made, kept from page load (it may come before the element exists). */
let offer: BeforeInstallPromptEvent | undefined
const listeners = new Set<() => void>()
window.addEventListener('beforeinstallprompt', e => {
  e.preventDefault() // shown as our own button instead of the browser's mini-infobar
  offer = e as BeforeInstallPromptEvent
  listeners.forEach(listener => { listener() })
})
window.addEventListener('appinstalled', () => {
  offer = undefined
  listeners.forEach(listener => { listener() })
})

/** Safari offers no install prompt; people add the app themselves. */
function isSafari (): boolean {
  const ua = navigator.userAgent
  return /Safari\//.test(ua) && !/Chrome|Chromium|CriOS|FxiOS|Edg|Android/.test(ua)
}

/** Whether the app runs installed (in its own window). */
function isInstalled (): boolean {
  return matchMedia('(display-mode: standalone)').matches
}

/**
 * **Install app** when the browser offers to install the app
 * (`beforeinstallprompt`); on Safari, which never offers, a short note on
 * adding it to the Home Screen or the Dock. Nothing once installed.
 */
export class WiaInstallButton extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: contents; }
    .hint { margin: 0; }
  `]

  private readonly onOffer = (): void => { this.requestUpdate() }

  override connectedCallback (): void {
    super.connectedCallback()
    listeners.add(this.onOffer)
  }

  override disconnectedCallback (): void {
    super.disconnectedCallback()
    listeners.delete(this.onOffer)
  }

  override render (): unknown {
    if (isInstalled()) {
      return nothing
    }
    if (offer != null) {
      return html`<wa-button size="small" appearance="outlined" variant="brand" @click=${this.install}>Install app</wa-button>`
    }
    if (isSafari()) {
      return html`<p class="hint">To install: Share, then Add to Home Screen (or File, Add to Dock on a Mac).</p>`
    }
    return nothing
  }

  private async install (): Promise<void> {
    const prompt = offer
    if (prompt == null) {
      return
    }
    offer = undefined // a prompt can be shown once
    await prompt.prompt()
    this.requestUpdate()
  }
}

customElements.define('wia-install-button', WiaInstallButton)

declare global {
  interface HTMLElementTagNameMap {
    'wia-install-button': WiaInstallButton
  }
}
