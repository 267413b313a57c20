import { LitElement, css, html } from 'lit'
import { errorText } from './messages.js'
import { baseStyles } from './styles.js'
import type { SitePeers } from '../peers.js'

/** Counts the peers that keep a copy of a root (`SiteActions.peers`). */
export type CountPeers = (root: string, options?: { signal?: AbortSignal }) => Promise<SitePeers>

/**
 * A site card's line on the peers that keep a copy of its live version
 * ("2 peers keep a copy"): other devices that announce its root, neither
 * this one nor a relay, as the relays tell (`src/app/peers.ts`). Asked when
 * the root is set or changes, and again on **Check again**; never on a timer.
 */
export class WiaSitePeers extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    p { margin: var(--wa-space-2xs) 0; display: flex; flex-wrap: wrap; align-items: baseline; gap: var(--wa-space-2xs) var(--wa-space-xs); }
    button { font-size: var(--wa-font-size-xs); min-height: 2rem; padding: 0 var(--wa-space-xs); }
  `]

  static override properties = {
    root: { attribute: false },
    count: { attribute: false },
    peers: { state: true },
    error: { state: true }
  }

  /** The live version's root CID (string form). */
  declare root: string
  /** Asks the relays; the line shows nothing until it is set. */
  declare count: CountPeers | undefined

  declare private peers: SitePeers | null
  declare private error: string
  /** Aborts the count under way when another starts or the element leaves the page. */
  private asking?: AbortController

  constructor () {
    super()
    this.root = ''
    this.count = undefined
    this.peers = null
    this.error = ''
  }

  override willUpdate (changed: Map<PropertyKey, unknown>): void {
    if ((changed.has('root') || changed.has('count')) && this.peers?.root !== this.root) {
      void this.ask()
    }
  }

  override disconnectedCallback (): void {
    super.disconnectedCallback()
    this.asking?.abort()
  }

  override render (): unknown {
    return html`<p class="meta"><span>${this.line()}</span>
      <button type="button" aria-label="Check again who keeps a copy" @click=${this.ask}>Check again</button></p>`
  }

  private line (): string {
    if (this.error !== '') {
      return this.error
    }
    if (this.peers == null) {
      return 'Asking who keeps a copy…'
    }
    const { peers } = this.peers
    if (peers === 0) {
      return 'No other peer keeps a copy'
    }
    return `${peers} ${peers === 1 ? 'peer keeps' : 'peers keep'} a copy`
  }

  /** Ask the relays (again) for the peers that keep a copy of {@link root}. */
  private readonly ask = async (): Promise<void> => {
    const { root, count } = this
    if (root === '' || count == null) {
      return
    }
    this.asking?.abort()
    const asking = new AbortController()
    this.asking = asking
    this.peers = null
    this.error = ''
    try {
      const peers = await count(root, { signal: asking.signal })
      if (this.root === root) {
        this.peers = peers
      }
    } catch (err) {
      if (!asking.signal.aborted) {
        this.error = errorText(err, 'peers')
      }
    }
  }
}

customElements.define('wia-site-peers', WiaSitePeers)

declare global {
  interface HTMLElementTagNameMap {
    'wia-site-peers': WiaSitePeers
  }
}
