import { LitElement, css, html, svg } from 'lit'
import { ROUTES } from './router.js'
import { baseStyles } from './styles.js'
import type { Screen, ScreenRoute } from './router.js'
import type { SVGTemplateResult } from 'lit'

/** A small line icon per screen (24×24 paths, drawn with `currentColor`). */
const ICONS: Record<Screen, SVGTemplateResult> = {
  sites: svg`<path d="M3 10.5 12 3l9 7.5V21h-6v-6H9v6H3z"/>`,
  key: svg`<circle cx="8" cy="15" r="4"/><path d="m11 12 9-9m-3 3 3 3m-6 0 2 2"/>`,
  transfer: svg`<path d="M4 8h14m-4-4 4 4-4 4M20 16H6m4-4-4 4 4 4"/>`,
  keep: svg`<path d="M12 21s-8-4.5-8-11a5 5 0 0 1 8-4 5 5 0 0 1 8 4c0 6.5-8 11-8 11z"/>`,
  settings: svg`<circle cx="12" cy="12" r="3"/><path d="M12 2v3m0 14v3M2 12h3m14 0h3M5 5l2 2m10 10 2 2M5 19l2-2M17 7l2-2"/>`
}

/**
 * The app's navigation: a link per screen ({@link ROUTES}), the current one
 * marked `aria-current="page"`. A bar under the header on wide screens, a
 * bottom bar with icons on phones (under 40 rem).
 */
export class WiaNav extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    nav ul { list-style: none; margin: 0; padding: 0; display: flex; gap: var(--wa-space-2xs); }
    a {
      display: flex; align-items: center; gap: var(--wa-space-2xs);
      padding: var(--wa-space-xs) var(--wa-space-s);
      border-radius: var(--wa-border-radius-m);
      color: var(--wa-color-text-normal); text-decoration: none; font-weight: var(--wa-font-weight-action, 500);
    }
    a:hover { background: var(--wa-color-neutral-fill-quiet); }
    a[aria-current=page] { color: var(--wa-color-brand-on-quiet); background: var(--wa-color-brand-fill-quiet); }
    svg { width: 1.25rem; height: 1.25rem; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; stroke-linejoin: round; flex: none; }
    @media (max-width: 40rem) {
      nav {
        position: fixed; inset: auto 0 0 0; z-index: 10;
        background: var(--wa-color-surface-raised);
        border-top: var(--wa-border-width-s, 1px) solid var(--wa-color-surface-border);
        padding: var(--wa-space-3xs) var(--wa-space-3xs) calc(var(--wa-space-3xs) + env(safe-area-inset-bottom));
      }
      nav ul { justify-content: space-around; gap: 0; }
      li { flex: 1 1 0; min-width: 0; }
      a { flex-direction: column; gap: 0; padding: var(--wa-space-2xs) 0; font-size: var(--wa-font-size-xs); text-align: center; line-height: 1.2; min-height: 3rem; justify-content: center; }
    }
  `]

  static override properties = {
    current: { attribute: false }
  }

  /** The screen shown now. */
  declare current: ScreenRoute

  constructor () {
    super()
    this.current = ROUTES[0]!
  }

  override render (): unknown {
    return html`
      <nav aria-label="Screens">
        <ul>
          ${ROUTES.map(route => html`<li>
            <a href=${route.hash} aria-current=${route === this.current ? 'page' : 'false'}>
              <svg viewBox="0 0 24 24" aria-hidden="true">${ICONS[route.screen]}</svg>${route.title}
            </a>
          </li>`)}
        </ul>
      </nav>
    `
  }
}

customElements.define('wia-nav', WiaNav)

declare global {
  interface HTMLElementTagNameMap {
    'wia-nav': WiaNav
  }
}
