import { LitElement, css, html } from 'lit'
import { baseStyles } from './styles.js'

/**
 * The first-run screen: what wia-home does, in three steps, and the
 * **Host** button the parent slots in (so the parent keeps the hosting form).
 *
 * @slot - the **Host** button
 */
export class WiaWelcome extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    section {
      display: grid; gap: var(--wa-space-m); justify-items: start;
      background: var(--wa-color-surface-raised);
      border: var(--wa-border-width-s, 1px) solid var(--wa-color-surface-border);
      border-radius: var(--wa-border-radius-l); padding: var(--wa-space-xl) var(--wa-space-l);
    }
    h1 { margin: 0; font-size: var(--wa-font-size-2xl); line-height: 1.2; }
    p { margin: 0; font-size: var(--wa-font-size-l); color: var(--wa-color-text-quiet); max-width: 40rem; }
    ol { margin: 0; padding: 0; list-style: none; display: grid; gap: var(--wa-space-s); counter-reset: step; }
    li { display: flex; gap: var(--wa-space-s); align-items: baseline; counter-increment: step; }
    li::before {
      content: counter(step); flex: none; display: inline-grid; place-items: center;
      width: 1.75rem; height: 1.75rem; border-radius: 50%;
      background: var(--wa-color-brand-fill-quiet); color: var(--wa-color-brand-on-quiet); font-weight: var(--wa-font-weight-bold, 700);
    }
    ::slotted(button) { font-size: var(--wa-font-size-l); padding-inline: var(--wa-space-xl); min-height: 3rem; }
    @media (max-width: 40rem) {
      section { padding: var(--wa-space-l) var(--wa-space-m); }
      h1 { font-size: var(--wa-font-size-xl); }
      p { font-size: var(--wa-font-size-m); }
    }
  `]

  override render (): unknown {
    return html`
      <section aria-labelledby="welcome-title">
        <h1 id="welcome-title">Host a website from this device</h1>
        <p>wia-home puts a folder on the web under a name of your own, like alice.wia.home, straight from this browser: no server, no account.</p>
        <ol>
          <li>Pick or drop the folder with your site.</li>
          <li>Choose a name: it is checked as you type.</li>
          <li>Publish: your site is live, and relays keep a copy while this device is off.</li>
        </ol>
        <slot></slot>
      </section>
    `
  }
}

customElements.define('wia-welcome', WiaWelcome)

declare global {
  interface HTMLElementTagNameMap {
    'wia-welcome': WiaWelcome
  }
}
