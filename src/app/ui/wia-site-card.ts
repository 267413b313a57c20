import { LitElement, css, html, nothing } from 'lit'
import { formatBytes, siteErrorMessage } from './messages.js'
import { baseStyles } from './styles.js'
import './wia-site-qr.js'
import type { HostedSite, KeptVersion, RollbackOptions, RollbackProgressEvents, VersionsOptions } from '../host/index.js'

/** What a site card may do with the node; given by the parent so the card never touches it. */
export interface SiteActions {
  /** The versions of a site kept on this device, newest first (the `versions` command). */
  versions(name: string, options?: VersionsOptions): Promise<KeptVersion[]>
  /** Point a site back at a kept version (the `rollback` command). */
  rollback(name: string, root: string, options?: RollbackOptions): Promise<HostedSite>
}

/** What this device's node does now: serving visitors, asleep until one comes, or not connected. */
export type NodeActivity = 'serving' | 'sleeping' | 'offline'

/** The status badge of a site this device serves, per {@link NodeActivity}. */
const ACTIVITY_BADGE: Record<NodeActivity, string> = {
  serving: 'Serving',
  sleeping: 'Sleeping',
  offline: 'Offline'
}

/** What the progress line says while rolling back. */
const ROLLBACK_STEP_TEXT: Record<RollbackProgressEvents['type'], string> = {
  'rollback:check': 'Checking who holds the name…',
  'record:register': 'Registering the name…',
  'record:sign': 'Signing the name record…',
  'record:announce': 'Announcing the version to the network…',
  'record:put': 'Announcing the version to the network…'
}

/**
 * One hosted site: its address, a badge saying whether this device serves
 * it now (serving / sleeping / offline), **Copy link**, **Share** (where the
 * browser can share), **QR code** (`wia-site-qr`), size, version,
 * publish time and relay copies; **Update** (asks
 * the parent to open the hosting form for it) and the **Versions** kept on
 * this device, each but the live one with **Roll back to version N**.
 *
 * @fires wia-update-site - `CustomEvent<string>` (the site name) when **Update** is clicked
 */
export class WiaSiteCard extends LitElement {
  static override styles = [baseStyles, css`
    :host {
      display: block; padding: var(--wa-space-m);
      background: var(--wa-color-surface-raised);
      border: var(--wa-border-width-s, 1px) solid var(--wa-color-surface-border);
      border-radius: var(--wa-border-radius-l); box-shadow: var(--wa-shadow-s);
    }
    .title { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: var(--wa-space-2xs) var(--wa-space-s); }
    h3 { overflow-wrap: anywhere; }
    a { overflow-wrap: anywhere; }
    p { margin: var(--wa-space-2xs) 0; }
    .actions { display: flex; flex-wrap: wrap; gap: var(--wa-space-xs); margin-top: var(--wa-space-s); }
    ol { list-style: none; padding: 0; margin: var(--wa-space-s) 0 0; display: grid; gap: var(--wa-space-xs); }
    ol li { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: var(--wa-space-3xs) var(--wa-space-s); border-top: var(--wa-border-width-s, 1px) solid var(--wa-color-surface-border); padding-top: var(--wa-space-xs); }
    .live { font-weight: var(--wa-font-weight-semibold, 600); color: var(--wa-color-success-on-quiet); }
    [role=status]:empty { display: none; }
    .badge {
      font-size: var(--wa-font-size-xs); font-weight: var(--wa-font-weight-semibold, 600);
      padding: 0 var(--wa-space-xs); border-radius: var(--wa-border-radius-pill);
      border: var(--wa-border-width-s, 1px) solid currentColor;
    }
    .badge.serving { color: var(--wa-color-success-on-quiet); background: var(--wa-color-success-fill-quiet); }
    .badge.sleeping { color: var(--wa-color-neutral-on-quiet); background: var(--wa-color-neutral-fill-quiet); }
    .badge.offline { color: var(--wa-color-warning-on-quiet); background: var(--wa-color-warning-fill-quiet); }
  `]

  static override properties = {
    site: { attribute: false },
    siteUrl: { attribute: false },
    activity: { attribute: false },
    actions: { attribute: false },
    showVersions: { state: true },
    versions: { state: true },
    progress: { state: true },
    busy: { state: true },
    status: { state: true },
    error: { state: true }
  }

  /** The site this card shows. */
  declare site: HostedSite | undefined
  /** Builds the site URL for a name. */
  declare siteUrl: (name: string) => string
  /** What this device's node does now (see {@link NodeActivity}). */
  declare activity: NodeActivity
  /** Versions and rollback (see {@link SiteActions}). */
  declare actions: SiteActions | undefined

  declare private showVersions: boolean
  declare private versions: KeptVersion[] | null
  declare private progress: RollbackProgressEvents | null
  declare private busy: boolean
  declare private status: string
  declare private error: string

  constructor () {
    super()
    this.site = undefined
    this.siteUrl = name => `http://${name}/`
    this.activity = 'offline'
    this.actions = undefined
    this.showVersions = false
    this.versions = null
    this.progress = null
    this.busy = false
    this.status = ''
    this.error = ''
  }

  override willUpdate (changed: Map<PropertyKey, unknown>): void {
    const before = changed.get('site') as HostedSite | undefined
    if (changed.has('site') && this.showVersions && before?.root !== this.site?.root) {
      void this.loadVersions()
    }
  }

  override render (): unknown {
    const site = this.site
    if (site == null) {
      return nothing
    }
    const url = this.siteUrl(site.name)
    const titleId = `site-${site.name}`
    return html`
      <article aria-labelledby=${titleId}>
        <div class="title">
          <h3 id=${titleId}>${site.name}</h3>
          ${site.hasContent === false ? nothing : html`<span class="badge ${this.activity}">${ACTIVITY_BADGE[this.activity]}</span>`}
        </div>
        <p><a href=${url} target="_blank" rel="noopener">${url}</a></p>
        ${site.hasContent === false
          ? html`<p class="meta">owned by your key; publish its folder again to serve it from this device</p>`
          : html`<p class="meta">${site.files} files, ${formatBytes(site.bytes)}, version ${liveNumber(site)}, published ${new Date(site.publishedAt).toLocaleString()}</p>
            <p class="meta">${copiesText(site.relayCopies)}</p>`}
        <div class="actions">
          <button type="button" @click=${this.copyLink}>Copy link</button>
          ${typeof navigator.share === 'function' ? html`<button type="button" @click=${this.share}>Share</button>` : nothing}
          <button type="button" @click=${this.askUpdate}>Update</button>
          ${site.hasContent === false
            ? nothing
            : html`<button type="button" aria-expanded=${this.showVersions ? 'true' : 'false'} aria-controls="versions"
                @click=${this.toggleVersions}>Versions</button>`}
          <wia-site-qr .url=${url}></wia-site-qr>
        </div>
        ${this.renderProgress()}
        <p role="status">${this.status}</p>
        ${this.error !== '' ? html`<p role="alert">${this.error}</p>` : nothing}
        ${this.showVersions ? this.renderVersions() : nothing}
      </article>
    `
  }

  private renderVersions (): unknown {
    const versions = this.versions
    if (versions == null) {
      return html`<p id="versions" class="meta">Loading versions…</p>`
    }
    if (versions.length === 0) {
      return html`<p id="versions" class="meta">This device keeps no version of this site.</p>`
    }
    return html`
      <ol id="versions" aria-label="Versions of ${this.site?.name ?? ''}">
        ${versions.map(version => {
          const published = new Date(version.publishedAt).toLocaleString()
          const title = version.seq == null ? 'Earlier version' : `Version ${version.seq + 1}`
          const which = version.seq == null ? `the version published ${published}` : `version ${version.seq + 1}`
          return html`<li>
            <span>${title} · ${version.files} files · ${formatBytes(version.bytes)} · published ${published}</span>
            ${version.current
              ? html`<span class="live">Live now</span>`
              : html`<button type="button" ?disabled=${this.busy} aria-label="Roll back to ${which}"
                  @click=${() => { void this.rollBack(version.root, which) }}>Roll back</button>`}
          </li>`
        })}
      </ol>`
  }

  private renderProgress (): unknown {
    if (!this.busy) {
      return nothing
    }
    const step = this.progress == null ? 'Rolling back…' : ROLLBACK_STEP_TEXT[this.progress.type]
    return html`<progress aria-label="Rollback progress"></progress><p>${step}</p>`
  }

  private async loadVersions (): Promise<void> {
    if (this.site == null || this.actions == null) {
      return
    }
    try {
      this.versions = await this.actions.versions(this.site.name)
    } catch (err) {
      this.error = siteErrorMessage(err)
    }
  }

  private async toggleVersions (): Promise<void> {
    this.showVersions = !this.showVersions
    this.status = ''
    if (this.showVersions) {
      this.versions = null
      await this.loadVersions()
    }
  }

  /** Point the site at its kept version `root`, called `which` ("version 2") in the confirmation. */
  private async rollBack (root: string, which: string): Promise<void> {
    if (this.site == null || this.actions == null) {
      return
    }
    this.busy = true
    this.status = ''
    this.error = ''
    try {
      await this.actions.rollback(this.site.name, root, { onProgress: event => { this.progress = event } })
      this.status = `Rolled back to ${which}: it is live again. Visitors see it within a minute.`
      await this.loadVersions()
    } catch (err) {
      this.error = siteErrorMessage(err)
    } finally {
      this.busy = false
      this.progress = null
    }
  }

  private async copyLink (): Promise<void> {
    if (this.site == null) {
      return
    }
    this.status = ''
    this.error = ''
    try {
      await navigator.clipboard.writeText(this.siteUrl(this.site.name))
      this.status = 'Link copied'
    } catch (err) {
      this.error = siteErrorMessage(err)
    }
  }

  private async share (): Promise<void> {
    if (this.site == null) {
      return
    }
    this.error = ''
    try {
      await navigator.share({ title: this.site.name, url: this.siteUrl(this.site.name) })
    } catch (err) {
      if ((err as Error).name !== 'AbortError') { // the person closed the share sheet
        this.error = siteErrorMessage(err)
      }
    }
  }

  private askUpdate (): void {
    if (this.site != null) {
      this.status = ''
      this.dispatchEvent(new CustomEvent('wia-update-site', { detail: this.site.name, bubbles: true, composed: true }))
    }
  }
}

/**
 * The number people know the live version by: that of the record that first
 * published it (a rollback to version 1 makes the site version 1 again).
 */
function liveNumber (site: HostedSite): number {
  const live = site.versions?.find(version => version.root === site.root)
  return (live?.seq ?? site.seq) + 1
}

/** Whether the site stays up while this device is off. */
function copiesText (copies: number | undefined): string {
  if (copies == null) {
    return 'Copying to relays…'
  }
  if (copies === 0) {
    return 'No relay keeps a copy: the site is up while this app is open'
  }
  return `Kept by ${copies} ${copies === 1 ? 'relay' : 'relays'} while this device is off`
}

customElements.define('wia-site-card', WiaSiteCard)

declare global {
  interface HTMLElementTagNameMap {
    'wia-site-card': WiaSiteCard
  }
}
