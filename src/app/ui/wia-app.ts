import { LitElement, css, html, nothing } from 'lit'
// the name rules alone (no record crypto) keep the shell's first load small
import { siteOrigin } from '../../naming/name.js'
import { checkCustomDomain } from '../custom-domain.js'
import { SettingsStore } from '../settings/store.js'
import { fetchVisits, relayBases } from '../visits.js'
import { errorText } from './messages.js'
import { RouteController } from './router.js'
import { nodeActivity, nodeStatusText } from './node-status.js'
import { readStartState } from './start-state.js'
import { baseStyles } from './styles.js'
import './wia-host-form.js'
import './wia-install-button.js'
import './wia-keep-panel.js'
import './wia-key-panel.js'
import './wia-nav.js'
import './wia-site-list.js'
import './wia-transfer-panel.js'
import './wia-welcome.js'
import './wia-domain-panel.js'
import './wia-backup-prompt.js'
import './wia-settings-panel.js'
import type { CheckNameInit, CheckNameOptions, DiffSiteInit, DiffSiteOptions, Host, HostedSite, NameAvailability, PublishInit, PublishOptions, SiteDiff } from '../host/index.js'
import type { ClientConfig } from '../../node/index.js'
import type { Settings } from '../settings/index.js'
import type { StorageState } from './wia-key-panel.js'
import type { KeepActions } from './wia-keep-panel.js'
import type { SiteActions } from './wia-site-card.js'

/** The app's name, in the header and the document title. */
const APP_NAME = 'wia-home'

/**
 * The app shell: starts the hosting node (its code loaded after the first
 * paint), shows the header with the node's state and **Install app**, the
 * navigation between screens ({@link RouteController}: `#/`, `#/key`,
 * `#/transfer`, `#/keep`, `#/settings`) and the current screen. The home
 * screen, **My sites**, has the **Host** button that opens the hosting form
 * and the sites this device hosts; before the first site it explains what
 * the app does.
 */
export class WiaApp extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; min-height: 100vh; background: var(--wa-color-surface-lowered); }
    .top {
      background: var(--wa-color-surface-raised);
      border-bottom: var(--wa-border-width-s, 1px) solid var(--wa-color-surface-border);
    }
    .bar, main { max-width: 64rem; margin: 0 auto; padding: var(--wa-space-s) var(--wa-space-m); box-sizing: border-box; }
    .bar { display: flex; flex-wrap: wrap; align-items: center; gap: var(--wa-space-xs) var(--wa-space-m); }
    .brand { display: flex; align-items: center; gap: var(--wa-space-xs); color: inherit; text-decoration: none; font-weight: var(--wa-font-weight-bold, 700); font-size: var(--wa-font-size-l); }
    .brand img { width: 2rem; height: 2rem; }
    .node { color: var(--wa-color-text-quiet); font-size: var(--wa-font-size-s); flex: 1 1 12rem; }
    main { display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--wa-space-l); padding-block: var(--wa-space-l) var(--wa-space-3xl); }
    wia-nav { max-width: 64rem; margin: 0 auto; padding: 0 var(--wa-space-m) var(--wa-space-2xs); box-sizing: border-box; }
    .screen-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: var(--wa-space-s); }
    h1 { margin: 0; font-size: var(--wa-font-size-2xl); }
    .panel {
      background: var(--wa-color-surface-raised);
      border: var(--wa-border-width-s, 1px) solid var(--wa-color-surface-border);
      border-radius: var(--wa-border-radius-l); padding: var(--wa-space-m);
    }
    [role=alert], .intro { margin: 0; }
    .intro { margin-top: calc(-1 * var(--wa-space-s)); color: var(--wa-color-text-quiet); }
    @media (max-width: 40rem) {
      .bar, main { padding-inline: var(--wa-space-s); }
      main { padding-bottom: calc(5rem + env(safe-area-inset-bottom)); }
      h1 { font-size: var(--wa-font-size-xl); }
    }
  `]

  static override properties = {
    config: { state: true },
    node: { state: true },
    sites: { state: true },
    loaded: { state: true },
    hosting: { state: true },
    updating: { state: true },
    startError: { state: true },
    storage: { state: true },
    settingsStore: { state: true },
    settings: { state: true },
    backupLater: { state: true },
    idleMs: { state: true }
  }

  declare private config: ClientConfig | null
  declare private node: Host | null
  declare private sites: HostedSite[]
  /** Whether the list of hosted sites was read once (until then the first-run screen waits). */
  declare private loaded: boolean
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
  /** Time without visitors before the node sleeps unless the settings say otherwise (ms): the relay's, else the host's default. */
  declare private idleMs: number | undefined

  private readonly router = new RouteController(this, APP_NAME)

  constructor () {
    super()
    this.config = null
    this.node = null
    this.sites = []
    this.loaded = false
    this.hosting = false
    this.updating = ''
    this.startError = ''
    this.storage = 'unknown'
    this.settingsStore = undefined
    this.settings = undefined
    this.backupLater = false
    this.idleMs = undefined
  }

  /** The settings store, opened once by whichever asks first (declared before {@link started}, whose start uses it). */
  private settingsOpened: Promise<SettingsStore> | undefined = undefined

  /** Settles when the hosting node is up (rejects with the reason it is not). */
  private readonly started: Promise<Host> = this.start()

  override connectedCallback (): void {
    super.connectedCallback()
    this.started.catch(err => {
      this.startError = errorText(err, 'start')
      this.loaded = true
    })
  }

  override render (): unknown {
    return html`
      <header class="top">
        <div class="bar">
          <a class="brand" href="#/"><img src="/icons/icon.svg" alt="" width="32" height="32">${APP_NAME}</a>
          <span class="node" aria-live="polite">${nodeStatusText(this.node, this.startError)}</span>
          <wia-install-button></wia-install-button>
        </div>
        <wia-nav .current=${this.router.route}></wia-nav>
      </header>
      <main>
        ${this.startError !== '' ? html`<p role="alert">${this.startError}</p>` : nothing}
        ${this.needsBackup() && this.router.route.screen !== 'key'
          ? html`<wia-backup-prompt @wia-backup-now=${this.openBackup} @wia-backup-later=${() => { this.backupLater = true }}></wia-backup-prompt>`
          : nothing}
        ${this.renderScreen()}
      </main>
    `
  }

  private renderScreen (): unknown {
    const { screen, title } = this.router.route
    switch (screen) {
      case 'key':
        return screenOf(title, 'The key on this device owns your names. Keep a copy of it somewhere safe, or bring a key from another device.',
          html`<wia-key-panel .exporter=${this.exportKey} .importer=${this.importKey} .storage=${this.storage}
            @wia-key-backed-up=${this.recordBackup} @wia-identity-imported=${this.onRestored}></wia-key-panel>`)
      case 'transfer':
        return screenOf(title, 'Give one of your names to someone else, or accept a name someone gives you.',
          html`<wia-transfer-panel .keyId=${this.node?.ownerKeyId() ?? ''} .transferer=${this.transferName}
            .acceptor=${this.acceptTransfer}></wia-transfer-panel>`)
      case 'keep':
        return screenOf(title, 'Help someone else\'s site stay up: this device serves a copy while the app is open.',
          html`<wia-keep-panel .actions=${this.keepActions}></wia-keep-panel>`)
      case 'settings':
        return screenOf(title, 'The relays this device uses, the storage it has, and when it sleeps.',
          this.idleMs == null
            ? html`<p class="hint">Loading your settings…</p>`
            : html`<wia-settings-panel .store=${this.settingsStore} .originRelays=${this.config?.relays ?? []}
              .connectedPeers=${this.node == null ? undefined : this.connectedPeers}
              .defaultSleepMinutes=${this.idleMs / 60_000}
              @wia-sleep-changed=${this.applySleep}></wia-settings-panel>`)
      default:
        return this.renderSites()
    }
  }

  /**
   * **My sites**: the first-run explanation until a site exists, else the
   * list, **Host** on both; only a hint until the sites are known, so
   * **Host** never moves once shown (a click aimed at it missed it so).
   */
  private renderSites (): unknown {
    if (!this.loaded) {
      return html`<p class="hint">Loading your sites…</p>`
    }
    const hostButton = html`<button type="button" class="primary" aria-expanded=${this.hosting ? 'true' : 'false'}
      @click=${this.toggleHostForm}>Host</button>`
    const form = this.hosting
      ? html`<div class="panel"><wia-host-form .publisher=${this.publish} .checker=${this.checkName} .differ=${this.diffSite} .siteUrl=${this.siteUrl}
          .siteName=${this.updating} @wia-published=${this.refreshSites}></wia-host-form></div>`
      : nothing
    // one template for both, so the hosting form stays (with its outcome) when the first site appears
    const firstRun = this.sites.length === 0
    const served = this.sites.filter(site => site.hasContent !== false).map(site => site.name)
    return html`
      ${firstRun
        ? html`<wia-welcome>${hostButton}</wia-welcome>`
        : html`<div class="screen-head"><h1>My sites</h1>${hostButton}</div>`}
      ${form}
      <wia-site-list .sites=${this.sites} .siteUrl=${this.siteUrl} .actions=${this.siteActions}
        .activity=${nodeActivity(this.node, this.startError)} @wia-update-site=${this.openUpdateForm}></wia-site-list>
      ${served.length === 0 || this.config?.customDomainTarget == null
        ? nothing
        : html`<div class="panel"><wia-domain-panel .sites=${served} .checker=${checkCustomDomain}></wia-domain-panel></div>`}
    `
  }

  /** Keep-online actions; used before the node is up, they wait for it (or fail with its start error). */
  private readonly keepActions: KeepActions = {
    keep: async name => (await this.started).keepOnline(name),
    list: async () => (await this.started).kept.list(),
    drop: async name => { await (await this.started).kept.drop(name) }
  }

  /** Versions, rollback, unpublish, release, visits and peers keeping a copy for the site cards; used before the node is up, they wait for it. */
  private readonly siteActions: SiteActions = {
    versions: async (name, options) => (await this.started).versions({ name }, options),
    rollback: async (name, root, options) => (await this.started).rollback({ name, root }, options),
    unpublish: async (name, deleteBlocks, options) => (await this.started).unpublish({ name, deleteBlocks }, options),
    releaseName: async (name, options) => (await this.started).releaseName({ name }, options),
    visits: async (name, options) => {
      const node = await this.started
      return fetchVisits(name, { bases: relayBases(location.origin, this.config ?? {}), hosts: [node.nodeId()], ...options })
    },
    peers: async (root, options) => {
      const [node, { countPeers }] = await Promise.all([this.started, import('../peers.js')])
      return countPeers(root, { bases: relayBases(location.origin, this.config ?? {}), exclude: [node.nodeId(), ...node.relayIds()], ...options })
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

  /**
   * Whether to prompt for a key backup: this device owns a name, and its key
   * was never saved to a file. A key never saved is known before the node
   * starts, so the prompt shows with **My sites** and moves nothing later.
   */
  private needsBackup (): boolean {
    if (this.backupLater || this.settings == null || this.sites.length === 0) {
      return false
    }
    const saved = this.settings.keyBackup
    return saved == null || (this.node != null && saved.keyId !== this.node.ownerKeyId())
  }

  /** The prompt's **Back up now**: the **Your key** screen, its backup passphrase field focused. */
  private readonly openBackup = async (): Promise<void> => {
    location.hash = '#/key'
    await new Promise(resolve => setTimeout(resolve))
    await this.updateComplete
    const panel = this.renderRoot.querySelector('wia-key-panel')
    await panel?.updateComplete
    const backup = panel?.renderRoot.querySelector('wia-key-backup')
    await backup?.updateComplete
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

  private readonly siteUrl = (name: string): string => {
    const suffix = this.config?.gatewaySuffix ?? 'localhost'
    return `${siteOrigin(name, { protocol: location.protocol, suffix, port: location.port })}/`
  }

  /** Publishing before the node is up waits for it (or fails with its start error). */
  private readonly publish = async (init: PublishInit, options: PublishOptions): Promise<HostedSite> => {
    const node = await this.started
    return node.publish(init, options)
  }

  private readonly checkName = async (init: CheckNameInit, options: CheckNameOptions): Promise<NameAvailability> => (await this.started).checkName(init, options)

  private readonly diffSite = async (init: DiffSiteInit, options: DiffSiteOptions): Promise<SiteDiff> => (await this.started).diffSite(init, options)

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
    this.loaded = true
  }

  /** The sites and settings read before the node starts (`readStartState`); the node's own list replaces the sites. */
  private async listSitesEarly (): Promise<void> {
    try {
      const early = await readStartState(async () => this.openSettings())
      if (!this.loaded) {
        this.settingsStore = early.settingsStore
        this.settings ??= early.settings
        this.sites = early.sites
        this.loaded = true
      }
    } catch (err) {
      // the node's start reads the same, or says why it cannot
      console.warn('reading the hosted sites before the node started failed', err)
    }
  }

  private async openSettings (): Promise<SettingsStore> { return (this.settingsOpened ??= SettingsStore.open()) }

  /**
   * Load the node's code (a chunk of its own, fetched after the shell's first
   * paint) and the relay's config, and start the node.
   */
  private async start (): Promise<Host> {
    void this.listSitesEarly()
    const [{ loadClientConfig }, { createHost, ACTIVITY_CHANGED_EVENT, DEFAULT_HOST_IDLE_MS, SITES_CHANGED_EVENT }, { applySettings }] = await Promise.all([
      import('../../node/client-config.js'),
      import('../host/index.js'),
      import('../settings/apply.js')
    ])
    this.config = await loadClientConfig(location.origin)
    this.idleMs = this.config.hostIdleMs ?? DEFAULT_HOST_IDLE_MS
    void this.askPersistentStorage()
    this.settingsStore = await this.openSettings()
    this.settings = await this.settingsStore.get()
    this.node = await createHost({ config: await applySettings(this.config, this.settings) })
    this.node.addEventListener(SITES_CHANGED_EVENT, () => { void this.refreshSites() })
    this.node.addEventListener(ACTIVITY_CHANGED_EVENT, () => { this.requestUpdate() })
    await this.refreshSites()
    return this.node
  }
}

/** A screen other than **My sites**: its title, what it is for, and its panel. */
function screenOf (title: string, intro: string, panel: unknown): unknown {
  return html`
    <div class="screen-head"><h1>${title}</h1></div>
    <p class="intro">${intro}</p>
    <div class="panel">${panel}</div>
  `
}

customElements.define('wia-app', WiaApp)

declare global {
  interface HTMLElementTagNameMap {
    'wia-app': WiaApp
  }
}
