import { LitElement, css, html, nothing } from 'lit'
// single modules, not the barrel: applying settings loads the node's config code
import { MAX_SLEEP_MINUTES, MIN_SLEEP_MINUTES } from '../settings/constants.js'
import { checkRelay } from '../settings/reachability.js'
import { errorText, formatBytes } from './messages.js'
import { baseStyles } from './styles.js'
import type { Settings, SettingsStore } from '../settings/index.js'
import type { PropertyValues } from 'lit'

/** What a relay check found: `undefined` while it runs. */
type Reachability = boolean | undefined

/** The browser's storage figures (`navigator.storage`). */
interface StorageFigures {
  usage?: number
  quota?: number
  persisted?: boolean
}

/**
 * **Settings**: the relays in use (the app server's, and ones the user adds
 * or removes) with whether each is reachable, the storage used against the
 * browser's quota and whether it is persistent, and the minutes without
 * visitors before the hosting node sleeps. Changes are stored at once; relay
 * changes apply when the app next starts.
 *
 * @fires wia-sleep-changed - `CustomEvent<number>`: the new sleep time (minutes), for the running node
 */
export class WiaSettingsPanel extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    section { max-width: 40rem; }
    ul { padding-left: var(--wa-space-l); margin: 0; }
    li { margin: var(--wa-space-3xs) 0; }
    code { word-break: break-all; }
    .up { color: var(--wa-color-success-on-quiet); }
    .down { color: var(--wa-color-danger-on-quiet); }
  `]

  static override properties = {
    store: { attribute: false },
    originRelays: { attribute: false },
    connectedPeers: { attribute: false },
    defaultSleepMinutes: { attribute: false },
    settings: { state: true },
    reachable: { state: true },
    storage: { state: true },
    error: { state: true },
    notice: { state: true }
  }

  /** Where the settings are kept; the panel waits for it. */
  declare store: SettingsStore | undefined
  /** The relays the app's server lists (`/_wia/config.json`): always used, not removable here. */
  declare originRelays: string[]
  /** The PeerIds the hosting node is connected to now; absent until it runs. */
  declare connectedPeers: (() => string[]) | undefined
  /** The sleep time when the user set none (the server's, or the app's default). */
  declare defaultSleepMinutes: number
  declare private settings: Settings | undefined
  declare private reachable: Record<string, Reachability>
  declare private storage: StorageFigures
  declare private error: string
  declare private notice: string

  constructor () {
    super()
    this.store = undefined
    this.originRelays = []
    this.connectedPeers = undefined
    this.defaultSleepMinutes = 5
    this.settings = undefined
    this.reachable = {}
    this.storage = {}
    this.error = ''
    this.notice = ''
  }

  override connectedCallback (): void {
    super.connectedCallback()
    void this.readStorage()
  }

  protected override updated (changed: PropertyValues<this>): void {
    if (changed.has('store') && this.store != null) {
      void this.store.get().then(settings => { this.settings = settings; void this.checkRelays() })
    }
    if (changed.has('connectedPeers') || changed.has('originRelays')) {
      void this.checkRelays()
    }
  }

  override render (): unknown {
    const added = this.settings?.relays ?? []
    return html`
      <section aria-labelledby="settings-title">
        <h2 id="settings-title">This device</h2>
        <fieldset>
          <legend>Relays</legend>
          <p>Relays let visitors reach this device and keep copies of your sites while it is off.</p>
          <ul aria-label="Relays in use">
            ${this.originRelays.map(relay => this.renderRelay(relay, false))}
            ${added.map(relay => this.renderRelay(relay, true))}
          </ul>
          <button type="button" @click=${this.checkRelays}>Check again</button>
          <form @submit=${this.onAddRelay}>
            <label for="relay-address">Relay address</label>
            <input id="relay-address" type="text" autocomplete="off" spellcheck="false" placeholder="https://relay.example.com or /dns4/…/p2p/12D3KooW…">
            <button type="submit">Add relay</button>
          </form>
        </fieldset>
        <fieldset>
          <legend>Storage</legend>
          <p>${this.storage.usage == null || this.storage.quota == null
            ? 'Storage used: unknown.'
            : `Storage used: ${formatBytes(this.storage.usage)} of ${formatBytes(this.storage.quota)} this browser allows.`}</p>
          <p>${this.storage.persisted === true
            ? 'Persistent storage: on. The browser will not clear your sites and key on its own.'
            : this.storage.persisted === false
              ? 'Persistent storage: off. The browser may clear your sites and key when space runs low.'
              : 'Persistent storage: unknown.'}</p>
        </fieldset>
        <fieldset>
          <legend>Sleep</legend>
          <form novalidate @submit=${this.onSaveSleep}>
            <label for="sleep-minutes">Sleep after (minutes without visitors)</label>
            <input id="sleep-minutes" type="number" min=${MIN_SLEEP_MINUTES} max=${MAX_SLEEP_MINUTES} step="1"
              .value=${String(this.settings?.sleepMinutes ?? this.defaultSleepMinutes)}>
            <button type="submit">Save sleep time</button>
          </form>
        </fieldset>
        ${this.error !== '' ? html`<p role="alert">${this.error}</p>` : nothing}
        ${this.notice !== '' ? html`<p role="status">${this.notice}</p>` : nothing}
      </section>
    `
  }

  private renderRelay (relay: string, removable: boolean): unknown {
    const state = this.reachable[relay]
    return html`<li>
      <code>${relay}</code>
      ${state == null ? html`<span>Checking…</span>` : state ? html`<span class="up">Reachable</span>` : html`<span class="down">Not reachable</span>`}
      ${removable
        ? html`<button type="button" aria-label=${`Remove relay ${relay}`} @click=${async () => { await this.change(async store => store.removeRelay(relay), 'Relay removed. The app stops using it the next time it starts.') }}>Remove</button>`
        : html`<span>(this app's server)</span>`}
    </li>`
  }

  private readonly checkRelays = async (): Promise<void> => {
    const connectedPeers = this.connectedPeers
    const relays = [...this.originRelays, ...this.settings?.relays ?? []]
    this.reachable = {}
    if (connectedPeers == null) {
      return
    }
    const results = await Promise.all(relays.map(async relay => [relay, await checkRelay(relay, { connectedPeers }).catch(() => false)] as const))
    this.reachable = Object.fromEntries(results)
  }

  private async readStorage (): Promise<void> {
    const storage = navigator.storage
    if (storage?.estimate == null) {
      return
    }
    const [{ usage, quota }, persisted] = await Promise.all([storage.estimate(), storage.persisted()])
    this.storage = { usage, quota, persisted }
  }

  private readonly onAddRelay = async (e: Event): Promise<void> => {
    e.preventDefault()
    const input = this.renderRoot.querySelector<HTMLInputElement>('#relay-address')!
    if (await this.change(async store => store.addRelay(input.value), 'Relay added. The app uses it from the next time it starts.')) {
      input.value = ''
    }
  }

  private readonly onSaveSleep = async (e: Event): Promise<void> => {
    e.preventDefault()
    const minutes = this.renderRoot.querySelector<HTMLInputElement>('#sleep-minutes')!.valueAsNumber
    if (await this.change(async store => store.setSleepMinutes(minutes), `Saved: the node sleeps after ${minutes} minutes without visitors.`)) {
      this.dispatchEvent(new CustomEvent('wia-sleep-changed', { detail: minutes, bubbles: true, composed: true }))
    }
  }

  /** Apply a change to the stored settings and say so; returns whether it worked. */
  private async change (fn: (store: SettingsStore) => Promise<Settings>, done: string): Promise<boolean> {
    this.error = ''
    this.notice = ''
    try {
      if (this.store == null) {
        throw new Error('the app is still starting')
      }
      this.settings = await fn(this.store)
      this.notice = done
      void this.checkRelays()
      return true
    } catch (err) {
      this.error = errorText(err, 'settings')
      return false
    }
  }
}

customElements.define('wia-settings-panel', WiaSettingsPanel)

declare global {
  interface HTMLElementTagNameMap {
    'wia-settings-panel': WiaSettingsPanel
  }
}
