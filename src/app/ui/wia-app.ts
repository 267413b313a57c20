import { LitElement, css, html, nothing } from 'lit'
import { siteOrigin } from '../../naming/index.js'
import { loadClientConfig } from '../../node/index.js'
import { checkCustomDomain } from '../custom-domain.js'
import { fetchVisits, relayBases } from '../visits.js'
import { ACTIVITY_CHANGED_EVENT, DEFAULT_HOST_IDLE_MS, SITES_CHANGED_EVENT, createHost } from '../host/index.js'
import { SettingsStore, applySettings } from '../settings/index.js'
import { errorText } from './messages.js'
import './wia-host-form.js'
import './wia-keep-panel.js'
import './wia-key-panel.js'
import './wia-site-list.js'
import './wia-domain-panel.js'
import './wia-transfer-panel.js'
import './wia-backup-prompt.js'
import './wia-settings-panel.js'
import type { Host, HostedSite, PublishInit, PublishOptions } from '../host/index.js'
import type { ClientConfig } from '../../node/index.js'
import type { Settings } from '../settings/index.js'
import type { StorageState } from './wia-key-panel.js'
import type { KeepActions } from './wia-keep-panel.js'
import type { SiteActions } from './wia-site-card.js'

/**
 * The app shell: starts the hosting node, shows the **Host** button that opens
 * the hosting form, and the list of sites this device hosts.
 */
export class WiaApp extends LitElement {
  static override styles = css`
    :host { display: block; font: 16px/1.5 system-ui, sans-serif; max-width: 48rem; margin: 0 auto; padding: 1rem; color: #1d1d1f; }
    header { display: flex; align-items: baseline; justify-content: space-between; gap: 1rem; flex-wrap: wrap; }
    h1 { margin: 0; font-size: 1.6rem; }
    .node { color: #555; font-size: 0.9em; }
    [role=alert] { color: #a40000; }
    button { font: inherit; }
  `

  static override properties = {
    config: { state: true },
    node: { state: true },
    sites: { state: true },
    hosting: { state: true },
    updating: { state: true },
    startError: { state: true },
    storage: { state: true },
    settingsStore: { state: true },
    settings: { state: true },
    backupLater: { state: true }
  }

  declare private config: ClientConfig | null
  declare private node: Host | null
  declare private sites: HostedSite[]
  declare private hosting: boolean
  /** The name of the site the hosting form updates; empty for a new site. */
  declare private updating: string
  declare private startError: string
  declare private storage: StorageState
  declare private settingsStore: SettingsStore | undefined
  /** The stored settings: whether the key was backed up (relays and the sleep time were applied at start). */
  declare private settings: Settings | undefined
  /** The backup prompt was dismissed in this session. */
  declare private backupLater: boolean

  constructor () {
    super()
    this.config = null
    this.node = null
    this.sites = []
    this.hosting = false
    this.updating = ''
    this.startError = ''
    this.storage = 'unknown'
    this.settingsStore = undefined
    this.settings = undefined
    this.backupLater = false
  }

  /** Settles when the hosting node is up (rejects with the reason it is not). */
  private readonly started: Promise<Host> = this.start()

  override connectedCallback (): void {
    super.connectedCallback()
    this.started.catch(err => { this.startError = errorText(err, 'start') })
  }

  override render (): unknown {
    return html`
      <header>
        <h1>wia-home</h1>
        <span class="node" aria-live="polite">${this.nodeStatus()}</span>
      </header>
      <p>Host a website from this device: pick a folder, choose a name, and it is live.</p>
      ${this.startError !== '' ? html`<p role="alert">${this.startError}</p>` : nothing}
      ${this.needsBackup() ? html`<wia-backup-prompt @wia-backup-now=${this.openBackup} @wia-backup-later=${() => { this.backupLater = true }}></wia-backup-prompt>` : nothing}
      <button type="button" aria-expanded=${this.hosting ? 'true' : 'false'} @click=${this.toggleHostForm}>Host</button>
      ${this.hosting
        ? html`<wia-host-form .publisher=${this.publish} .siteUrl=${this.siteUrl} .siteName=${this.updating}
            @wia-published=${this.refreshSites}></wia-host-form>`
        : nothing}
      <wia-site-list .sites=${this.sites} .siteUrl=${this.siteUrl} .actions=${this.siteActions}
        @wia-update-site=${this.openUpdateForm}></wia-site-list>
      <wia-domain-panel .sites=${this.sites.filter(site => site.hasContent !== false).map(site => site.name)}
        .checker=${this.config?.customDomainTarget == null ? undefined : checkCustomDomain}></wia-domain-panel>
      <wia-key-panel .exporter=${this.exportKey} .importer=${this.importKey} .storage=${this.storage}
        @wia-key-backed-up=${this.recordBackup} @wia-identity-imported=${this.onRestored}></wia-key-panel>
      <wia-keep-panel .actions=${this.keepActions}></wia-keep-panel>
      <wia-transfer-panel .keyId=${this.node?.ownerKeyId() ?? ''} .transferer=${this.transferName} .acceptor=${this.acceptTransfer}></wia-transfer-panel>
      <wia-settings-panel .store=${this.settingsStore} .originRelays=${this.config?.relays ?? []}
        .connectedPeers=${this.node == null ? undefined : this.connectedPeers}
        .defaultSleepMinutes=${(this.config?.hostIdleMs ?? DEFAULT_HOST_IDLE_MS) / 60_000}
        @wia-sleep-changed=${this.applySleep}></wia-settings-panel>
    `
  }

  /** Keep-online actions; used before the node is up, they wait for it (or fail with its start error). */
  private readonly keepActions: KeepActions = {
    keep: async name => (await this.started).keepOnline(name),
    list: async () => (await this.started).kept.list(),
    drop: async name => { await (await this.started).kept.drop(name) }
  }

  /** Versions, rollback and unpublish for the site cards; used before the node is up, they wait for it. */
  private readonly siteActions: SiteActions = {
    versions: async (name, options) => (await this.started).versions({ name }, options),
    rollback: async (name, root, options) => (await this.started).rollback({ name, root }, options),
    unpublish: async (name, deleteBlocks, options) => (await this.started).unpublish({ name, deleteBlocks }, options),
    visits: async (name, options) => {
      const node = await this.started
      return fetchVisits(name, { bases: relayBases(location.origin, this.config ?? {}), hosts: [node.nodeId()], ...options })
    }
  }

  private readonly toggleHostForm = (): void => {
    this.hosting = !this.hosting
    this.updating = ''
  }

  /** A card's **Update**: the hosting form, filled in with that site's name, ready for its new folder. */
  private readonly openUpdateForm = async (e: CustomEvent<string>): Promise<void> => {
    this.hosting = true
    this.updating = e.detail
    await this.updateComplete
    const form = this.renderRoot.querySelector('wia-host-form')
    form?.scrollIntoView({ block: 'start' })
    await form?.updateComplete
    form?.renderRoot.querySelector<HTMLInputElement>('#folder')?.focus()
  }

  /** Whether to prompt for a key backup: this device owns a name, and its key was never saved to a file. */
  private needsBackup (): boolean {
    return !this.backupLater && this.node != null && this.settings != null && this.sites.length > 0 &&
      this.settings.keyBackup?.keyId !== this.node.ownerKeyId()
  }

  /** The prompt's **Back up now**: to the backup step, its passphrase field focused. */
  private readonly openBackup = async (): Promise<void> => {
    const backup = this.renderRoot.querySelector('wia-key-panel')?.renderRoot.querySelector('wia-key-backup')
    backup?.scrollIntoView({ block: 'start' })
    backup?.renderRoot.querySelector<HTMLInputElement>('#backup-pass')?.focus()
  }

  /** Remember that this device's key was saved to a file (or came from one), so the prompt stops. */
  private readonly recordBackup = async (): Promise<void> => {
    const node = await this.started
    this.settings = await this.settingsStore?.recordKeyBackup(node.ownerKeyId())
  }

  private readonly onRestored = async (): Promise<void> => {
    await this.recordBackup()
    await this.refreshSites()
  }

  private readonly connectedPeers = (): string[] => this.node?.connectedPeers() ?? []

  private readonly applySleep = async (e: CustomEvent<number>): Promise<void> => {
    (await this.started).setIdleMs(e.detail * 60_000)
  }

  private nodeStatus (): string {
    if (this.startError !== '') {
      return 'Offline'
    }
    if (this.node == null) {
      return 'Connecting…'
    }
    if (!this.node.reachable) {
      return 'Connecting to a relay: visitors cannot reach this device until one answers'
    }
    return this.node.activity === 'serving' ? 'Online, serving' : 'Online, sleeping until a visitor arrives'
  }

  private readonly siteUrl = (name: string): string => {
    const suffix = this.config?.gatewaySuffix ?? 'localhost'
    return `${siteOrigin(name, { protocol: location.protocol, suffix, port: location.port })}/`
  }

  /** Publishing before the node is up waits for it (or fails with its start error). */
  private readonly publish = async (init: PublishInit, options: PublishOptions): Promise<HostedSite> => {
    const node = await this.started
    return node.publish(init, options)
  }

  private readonly exportKey = async (passphrase: string): Promise<string> => (await this.started).exportIdentity({ passphrase })

  private readonly importKey = async (fileText: string, passphrase: string): Promise<HostedSite[]> => (await this.started).importIdentity({ fileText, passphrase })

  private readonly transferName = async (name: string, to: string): Promise<string> => (await this.started).transferName({ name, to })

  private readonly acceptTransfer = async (token: string): Promise<string> => (await this.started).acceptTransfer(token)

  /** Ask for persistent storage (DESIGN.md §5: browsers evict unvisited sites' data) and show the answer. */
  private async askPersistentStorage (): Promise<void> {
    if (navigator.storage?.persist == null) {
      return
    }
    this.storage = (await navigator.storage.persisted()) || (await navigator.storage.persist()) ? 'persistent' : 'best-effort'
  }

  private readonly refreshSites = async (): Promise<void> => {
    this.sites = await this.node?.sites() ?? []
  }

  private async start (): Promise<Host> {
    this.config = await loadClientConfig(location.origin)
    void this.askPersistentStorage()
    this.settingsStore = await SettingsStore.open()
    this.settings = await this.settingsStore.get()
    this.node = await createHost({ config: await applySettings(this.config, this.settings) })
    this.node.addEventListener(SITES_CHANGED_EVENT, () => { void this.refreshSites() })
    this.node.addEventListener(ACTIVITY_CHANGED_EVENT, () => { this.requestUpdate() })
    await this.refreshSites()
    return this.node
  }
}

customElements.define('wia-app', WiaApp)

declare global {
  interface HTMLElementTagNameMap {
    'wia-app': WiaApp
  }
}
