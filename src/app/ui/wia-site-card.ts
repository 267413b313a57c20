import { LitElement, css, html, nothing } from 'lit'
import { isUnpublishedSite, liveVersionNumber } from '../host/index.js'
import { errorText, formatBytes } from './messages.js'
import { RELEASE_CONFIRMED, UNPUBLISH_CONFIRMED, releaseDialog, unpublishDialog } from './site-dialogs.js'
import { baseStyles } from './styles.js'
import { SiteVisitsController } from './site-visits.js'
import { ACTIVITY_BADGE, WORK, copiesText } from './words/site-card.js'
import './wia-site-peers.js'
import './wia-site-qr.js'
import type { HostedSite, KeptVersion, ReleaseNameOptions, ReleaseNameProgressEvents, ReleasedName, RollbackOptions, RollbackProgressEvents, UnpublishOptions, VersionsOptions } from '../host/index.js'
import type { SitePeers } from '../peers.js'
import type { VisitsLoader } from './site-visits.js'
import type { NodeActivity, SiteCardWork } from './words/site-card.js'

export type { NodeActivity } from './words/site-card.js'

/** What a site card may do with the node; given by the parent so the card never touches it. */
export interface SiteActions {
  /** The versions of a site kept on this device, newest first (the `versions` command). */
  versions(name: string, options?: VersionsOptions): Promise<KeptVersion[]>
  /** Point a site back at a kept version (the `rollback` command). */
  rollback(name: string, root: string, options?: RollbackOptions): Promise<HostedSite>
  /** Take a site down, deleting its files from this device when asked (the `unpublish` command). */
  unpublish(name: string, deleteBlocks: boolean, options?: UnpublishOptions): Promise<HostedSite>
  /** Give the name up: this device stops hosting and renewing it (the `releaseName` command). */
  releaseName(name: string, options?: ReleaseNameOptions): Promise<ReleasedName>
  /** The site's visits of the last 30 days, from its relays (`fetchVisits`); absent: the card shows none. */
  visits?: VisitsLoader
  /** The peers, neither this device nor a relay, that keep a copy of a root (`countPeers`); absent: the card shows none. */
  peers?(root: string, options?: { signal?: AbortSignal }): Promise<SitePeers>
}

/**
 * One hosted site: its address, a badge saying whether this device serves
 * it now (serving / sleeping / offline), **Copy link**, **Share** (where the
 * browser can share), **QR code** (`wia-site-qr`), size, version, publish
 * time, relay copies, the peers that keep a copy (`wia-site-peers`) and
 * visits in the last 30 days; **Update** (asks the
 * parent to open the hosting form for it), the **Versions** kept on this
 * device, each but the live one with **Roll back to version N**; **Visits**:
 * the chart of visits per day; **Unpublish**, after a confirmation dialog
 * saying what happens (visitors see "unpublished", the name stays the
 * owner's, copies others saved cannot be recalled) with **Also delete this
 * site's files from this device**. An unpublished site shows so, with
 * **Update** to publish it again and **Release name**, after a confirmation
 * (`site-dialogs.ts`): this device stops renewing the name, which becomes
 * anyone's once its record and the grace period are over.
 *
 * The card pulls in the node's record code: {@link WiaSiteList} loads it
 * once there are sites, after the node's own code.
 *
 * @fires wia-update-site - `CustomEvent<string>` (the site name) when **Update** is clicked
 * @fires wia-site-released - `CustomEvent<ReleasedName>` once the name is released (the card's site is gone then)
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
    .unpublished { font-weight: var(--wa-font-weight-semibold, 600); color: var(--wa-color-warning-on-quiet); }
    dialog {
      max-width: min(32rem, calc(100vw - 2 * var(--wa-space-m))); border-radius: var(--wa-border-radius-l);
      border: var(--wa-border-width-s, 1px) solid var(--wa-color-surface-border);
      background: var(--wa-color-surface-raised); color: inherit;
    }
    dialog h4 { margin: 0 0 var(--wa-space-xs); font-size: var(--wa-font-size-l); }
    dialog label { display: flex; gap: var(--wa-space-xs); align-items: baseline; margin: var(--wa-space-s) 0; }
  `]

  static override properties = {
    site: { attribute: false },
    siteUrl: { attribute: false },
    activity: { attribute: false },
    actions: { attribute: false },
    showVersions: { state: true },
    versions: { state: true },
    progress: { state: true },
    working: { state: true },
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
  declare private progress: RollbackProgressEvents | ReleaseNameProgressEvents | null
  /** What is under way while `busy`: its progress bar's label and first words. */
  declare private working: SiteCardWork
  declare private busy: boolean
  declare private status: string
  declare private error: string

  private readonly visits = new SiteVisitsController(this)

  constructor () {
    super()
    this.site = undefined
    this.siteUrl = name => `http://${name}/`
    this.activity = 'offline'
    this.actions = undefined
    this.showVersions = false
    this.versions = null
    this.progress = null
    this.working = 'Rolling back'
    this.busy = false
    this.status = ''
    this.error = ''
  }

  override willUpdate (changed: Map<PropertyKey, unknown>): void {
    const before = changed.get('site') as HostedSite | undefined
    if (changed.has('site') && this.showVersions && before?.root !== this.site?.root) {
      void this.loadVersions()
    }
    if (changed.has('site') && before?.name !== this.site?.name && this.site != null && this.actions?.visits != null) {
      void this.visits.load(this.site.name, this.actions.visits)
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
          ${site.hasContent === false || isUnpublishedSite(site) ? nothing : html`<span class="badge ${this.activity}">${ACTIVITY_BADGE[this.activity]}</span>`}
        </div>
        <p><a href=${url} target="_blank" rel="noopener">${url}</a></p>
        ${isUnpublishedSite(site)
          ? html`<p class="meta"><span class="unpublished">Unpublished</span> on ${new Date(site.publishedAt).toLocaleString()}: visitors see that the site was unpublished.
              The name stays yours; use Update to publish a folder under it again.</p>`
          : site.hasContent === false
          ? html`<p class="meta">owned by your key; publish its folder again to serve it from this device</p>`
          : html`<p class="meta">${site.files} files, ${formatBytes(site.bytes)}, version ${liveVersionNumber(site)}, published ${new Date(site.publishedAt).toLocaleString()}</p>
            <p class="meta">${copiesText(site.relayCopies)}</p>
            ${this.actions?.peers == null ? nothing : html`<wia-site-peers .root=${site.root} .count=${this.actions.peers}></wia-site-peers>`}`}
        ${this.actions?.visits == null ? nothing : html`<p class="meta">${this.visits.line}</p>`}
        <div class="actions">
          <button type="button" @click=${this.copyLink}>Copy link</button>
          ${typeof navigator.share === 'function' ? html`<button type="button" @click=${this.share}>Share</button>` : nothing}
          <button type="button" @click=${this.askUpdate}>Update</button>
          ${!keepsVersions(site)
            ? nothing
            : html`<button type="button" aria-expanded=${this.showVersions ? 'true' : 'false'} aria-controls="versions"
                @click=${this.toggleVersions}>Versions</button>`}
          ${this.actions?.visits == null
            ? nothing
            : html`<button type="button" aria-expanded=${this.visits.shown ? 'true' : 'false'} aria-controls="visits"
                @click=${this.toggleVisits}>Visits</button>`}
          ${isUnpublishedSite(site)
            ? html`<button type="button" ?disabled=${this.busy} @click=${this.askRelease}>Release name</button>`
            : html`<button type="button" ?disabled=${this.busy} @click=${this.askUnpublish}>Unpublish</button>`}
          <wia-site-qr .url=${url}></wia-site-qr>
        </div>
        ${isUnpublishedSite(site) ? releaseDialog(site, this.onReleaseDialogClose) : unpublishDialog(site, this.onUnpublishDialogClose)}
        ${this.renderProgress()}
        <p role="status">${this.status}</p>
        ${this.error !== '' ? html`<p role="alert">${this.error}</p>` : nothing}
        ${this.showVersions ? this.renderVersions() : nothing}
        ${this.visits.shown ? html`<wia-visits-chart id="visits" .visits=${this.visits.visits}></wia-visits-chart>` : nothing}
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
    const { steps, label } = WORK[this.working]
    const step = this.progress == null ? `${this.working}…` : steps[this.progress.type]
    return html`<progress aria-label=${label}></progress><p>${step}</p>`
  }

  private async loadVersions (): Promise<void> {
    if (this.site == null || this.actions == null) {
      return
    }
    try {
      this.versions = await this.actions.versions(this.site.name)
    } catch (err) {
      this.error = errorText(err, 'site')
    }
  }

  /** **Visits**: show the chart, with the relays' figures asked again. */
  private async toggleVisits (): Promise<void> {
    if (this.site != null && this.actions?.visits != null) {
      await this.visits.toggle(this.site.name, this.actions.visits)
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
    await this.whileBusy('Rolling back', async (actions, name, onProgress) => {
      await actions.rollback(name, root, { onProgress })
      await this.loadVersions()
      return `Rolled back to ${which}: it is live again. Visitors see it within a minute.`
    })
  }

  /**
   * Run one of the card's commands with its progress bar shown; what it
   * returns becomes the status line, what it throws the alert.
   */
  private async whileBusy (working: SiteCardWork, run: (actions: SiteActions, name: string, onProgress: (event: RollbackProgressEvents | ReleaseNameProgressEvents) => void) => Promise<string>): Promise<void> {
    if (this.site == null || this.actions == null) {
      return
    }
    this.busy = true
    this.working = working
    this.status = ''
    this.error = ''
    try {
      this.status = await run(this.actions, this.site.name, event => { this.progress = event })
    } catch (err) {
      this.error = errorText(err, 'site')
    } finally {
      this.busy = false
      this.progress = null
    }
  }

  private askUnpublish (): void {
    this.openDialog('#unpublish-dialog')
  }

  private askRelease (): void {
    this.openDialog('#release-dialog')
  }

  /** Show one of the card's confirmations, its form reset. */
  private openDialog (selector: string): void {
    this.status = ''
    this.error = ''
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>(selector)
    dialog?.querySelector<HTMLFormElement>('form')?.reset()
    dialog?.showModal()
  }

  private readonly onUnpublishDialogClose = (event: Event): void => {
    const dialog = event.currentTarget as HTMLDialogElement
    if (dialog.returnValue === UNPUBLISH_CONFIRMED) {
      const deleteFiles = dialog.querySelector<HTMLInputElement>('input[name="delete-files"]')?.checked ?? false
      void this.unpublish(deleteFiles)
    }
    dialog.returnValue = ''
  }

  /** Take the site down (the `unpublish` command), its files deleted from this device when `deleteFiles`. */
  private async unpublish (deleteFiles: boolean): Promise<void> {
    await this.whileBusy('Unpublishing', async (actions, name, onProgress) => {
      await actions.unpublish(name, deleteFiles, { onProgress })
      this.showVersions = false
      return `${name} is unpublished. Visitors see that within a minute.${deleteFiles ? ' Its files are deleted from this device.' : ''}`
    })
  }

  private readonly onReleaseDialogClose = (event: Event): void => {
    const dialog = event.currentTarget as HTMLDialogElement
    if (dialog.returnValue === RELEASE_CONFIRMED) {
      void this.release()
    }
    dialog.returnValue = ''
  }

  /**
   * Give the name up (the `releaseName` command). The site leaves the list,
   * and this card with it: the list says what became of the name.
   */
  private async release (): Promise<void> {
    await this.whileBusy('Releasing', async (actions, name, onProgress) => {
      const released = await actions.releaseName(name, { onProgress })
      this.dispatchEvent(new CustomEvent('wia-site-released', { detail: released, bubbles: true, composed: true }))
      // no status of its own: the list says what became of the name, once (two live regions said it twice)
      return ''
    })
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
      this.error = errorText(err, 'site')
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
        this.error = errorText(err, 'site')
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

/** Whether this device keeps a version of the site (sites from before versions were kept: when it holds its blocks). */
function keepsVersions (site: HostedSite): boolean {
  return site.versions == null ? site.hasContent !== false : site.versions.length > 0
}

customElements.define('wia-site-card', WiaSiteCard)

declare global {
  interface HTMLElementTagNameMap {
    'wia-site-card': WiaSiteCard
  }
}
