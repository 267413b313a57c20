import { LitElement, css, html, nothing } from 'lit'
// the name rules alone (no record crypto) keep the shell's first load small
import { TLDS, parseName, validateLabel } from '../../naming/name.js'
import { FolderComparisonController } from './folder-comparison.js'
import { siteFilesFromDrop, siteFilesFromFileList } from './folder.js'
import { errorText, formatBytes } from './messages.js'
import { NameCheckController } from './name-check.js'
import { baseStyles } from './styles.js'
import { STEP_TEXT } from './words/host-form.js'
import './wia-site-diff.js'
import type { SiteDiffer } from './folder-comparison.js'
import type { NameChecker } from './name-check.js'
import type { SiteFile } from '../../content/index.js'
import type { Tld } from '../../naming/name.js'
import type { HostedSite, PublishInit, PublishOptions, PublishProgressEvents } from '../host/index.js'

/** Publishes a site; given by the parent so this element never touches the node. */
export type Publisher = (init: PublishInit, options: PublishOptions) => Promise<HostedSite>

/**
 * The hosting form: **Site name** (checked as it is typed: invalid by the
 * name rules at once, then free / yours / taken by a debounced lookup through
 * {@link NameChecker}, `NameCheckController`), **Domain**, **Site folder** (input or drag-and-drop)
 * and **Publish**, with a progress bar and **Cancel** while publishing, a
 * `status` when the site is live and an `alert` when something failed.
 * When it updates a hosted site ({@link siteName}) and a folder is picked, it
 * compares the folder with the live version through {@link SiteDiffer}
 * (`FolderComparisonController`) and shows what changes (`wia-site-diff`) before anything is published.
 *
 * @fires wia-published - `CustomEvent<HostedSite>` after a successful publish
 */
export class WiaHostForm extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    form { display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--wa-space-s); max-width: 36rem; }
    .name { display: flex; align-items: center; gap: var(--wa-space-2xs); }
    .name input { flex: 1 1 8rem; min-width: 0; }
    .drop {
      display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--wa-space-xs);
      border: var(--wa-border-width-m, 2px) dashed var(--wa-color-neutral-border-normal);
      border-radius: var(--wa-border-radius-l); padding: var(--wa-space-m);
    }
    .drop.over { border-color: var(--wa-color-brand-border-loud); background: var(--wa-color-brand-fill-quiet); }
    .drop p { margin: 0; }
    .check { font-size: var(--wa-font-size-s); min-height: 1.5em; }
    .check.free, .check.yours { color: var(--wa-color-success-on-quiet); }
    .check.taken, .check.invalid { color: var(--wa-color-danger-on-quiet); }
    .check.checking, .check.unknown { color: var(--wa-color-text-quiet); }
    .buttons { display: flex; flex-wrap: wrap; gap: var(--wa-space-xs); }
    p { margin: 0; }
  `]

  static override properties = {
    publisher: { attribute: false },
    checker: { attribute: false },
    differ: { attribute: false },
    siteUrl: { attribute: false },
    siteName: { attribute: false },
    label: { state: true },
    tld: { state: true },
    files: { state: true },
    nameError: { state: true },
    busy: { state: true },
    progress: { state: true },
    published: { state: true },
    error: { state: true },
    notice: { state: true },
    dragOver: { state: true }
  }

  /** Publishes the site (see {@link Publisher}). */
  declare publisher: Publisher | undefined
  /** Looks the typed name up as the person types (see {@link NameChecker}); no lookup without it. */
  declare checker: NameChecker | undefined
  /** Compares the picked folder with the live version of the site being updated (see {@link SiteDiffer}); no comparison without it. */
  declare differ: SiteDiffer | undefined
  /** Builds the site URL for a published name. */
  declare siteUrl: (name: string) => string
  /** A hosted site's full name to update (fills **Site name** and **Domain**); empty for a new site. */
  declare siteName: string

  declare private label: string
  declare private tld: Tld
  declare private files: SiteFile[]
  declare private nameError: string
  declare private busy: boolean
  declare private progress: PublishProgressEvents | null
  declare private published: HostedSite | null
  declare private error: string
  /** What happened that is no failure (a cancelled publish). */
  declare private notice: string
  declare private dragOver: boolean

  private readonly nameCheck = new NameCheckController(this)
  private readonly folderComparison = new FolderComparisonController(this)
  /** Aborts the publish under way (**Cancel**). */
  private publishing: AbortController | undefined

  constructor () {
    super()
    this.publisher = undefined
    this.checker = undefined
    this.differ = undefined
    this.siteUrl = name => `http://${name}/`
    this.siteName = ''
    this.label = ''
    this.tld = 'home'
    this.files = []
    this.nameError = ''
    this.busy = false
    this.progress = null
    this.published = null
    this.error = ''
    this.notice = ''
    this.dragOver = false
  }

  override willUpdate (changed: Map<PropertyKey, unknown>): void {
    if (changed.has('siteName') && this.siteName !== '') {
      const { label, tld } = parseName(this.siteName)
      this.label = label
      this.tld = tld
      this.files = [] // the new version's folder is still to be picked
      this.nameError = ''
      this.error = ''
      this.published = null
      this.nameCheck.schedule(this.label, this.tld, this.checker)
    }
    if (changed.has('files') || changed.has('label') || changed.has('tld') || changed.has('siteName')) {
      this.compare()
    }
  }

  override updated (changed: Map<PropertyKey, unknown>): void {
    const folder = this.renderRoot.querySelector<HTMLInputElement>('#folder')
    if (changed.has('siteName') && this.siteName !== '' && folder != null) {
      folder.value = ''
    }
  }

  override render (): unknown {
    const totalBytes = this.files.reduce((n, f) => n + f.size, 0)
    return html`
      <form @submit=${this.onSubmit} novalidate>
        <label for="name">Site name</label>
        <div class="name">
          <input id="name" name="name" type="text" autocomplete="off" spellcheck="false" required
            aria-describedby="name-hint name-check ${this.nameError !== '' ? 'name-error' : ''}"
            aria-invalid=${this.nameError !== '' ? 'true' : 'false'}
            .value=${this.label} @input=${this.onNameInput}>
          <span aria-hidden="true">.wia.</span>
          <select id="tld" aria-label="Domain" .value=${this.tld} @change=${this.onTldChange}>
            ${TLDS.map(tld => html`<option value=${tld} ?selected=${tld === this.tld}>${tld}</option>`)}
          </select>
        </div>
        <span id="name-hint" class="hint">${this.updatingHint() ?? 'Lowercase letters, digits and hyphens, 1–63 characters.'}</span>
        <span id="name-check" class="check ${this.nameCheck.state}" aria-live="polite">${this.nameCheck.text}</span>
        ${this.nameError !== '' ? html`<span id="name-error" role="alert">${this.nameError}</span>` : nothing}

        <div class="drop ${this.dragOver ? 'over' : ''}"
          @dragover=${this.onDragOver} @dragleave=${() => { this.dragOver = false }} @drop=${this.onDrop}>
          <label for="folder">Site folder</label>
          <input id="folder" type="file" webkitdirectory multiple @change=${this.onFolderChange}>
          <p class="hint">…or drop a folder here.</p>
          ${this.files.length > 0 ? html`<p>${this.files.length} files, ${formatBytes(totalBytes)}</p>` : nothing}
        </div>
        ${this.renderComparison()}

        <div class="buttons">
          <button type="submit" class="primary" ?disabled=${this.busy}>Publish</button>
          ${this.busy ? html`<button type="button" @click=${this.cancelPublish}>Cancel</button>` : nothing}
        </div>
        ${this.renderProgress()}
        ${this.error !== '' ? html`<p role="alert">${this.error}</p>` : nothing}
        ${this.notice !== '' ? html`<p class="hint" aria-live="polite">${this.notice}</p>` : nothing}
        ${this.published != null ? this.renderLive(this.published) : nothing}
      </form>
    `
  }

  /** While the form updates a hosted site under its own name: what to do next. */
  private updatingHint (): string | undefined {
    const target = this.siteName === '' ? undefined : parseName(this.siteName)
    if (target?.label !== this.label || target.tld !== this.tld) {
      return undefined
    }
    return `Updating ${this.siteName}: pick the folder of its new version, then Publish. Visitors see it within a minute; earlier versions stay under Versions.`
  }

  /** The comparison with the live version: under way, its outcome, or why there is none. */
  private renderComparison (): unknown {
    const c = this.folderComparison.comparison
    switch (c.state) {
      case 'comparing':
        return html`<p class="hint" aria-live="polite">Comparing with the live version: ${c.files} of ${c.totalFiles} files read…</p>`
      case 'failed':
        return html`<p class="hint warn">${c.error}</p>`
      case 'done':
        return html`<wia-site-diff .diff=${c.diff}></wia-site-diff>`
      default:
        return nothing
    }
  }

  /**
   * Compare the picked folder with the live version when the form updates
   * the hosted site under its own name, aborting the comparison of an
   * earlier pick; otherwise show none.
   */
  private compare (): void {
    const differ = this.differ
    if (differ == null || this.files.length === 0 || this.updatingHint() == null) {
      this.folderComparison.clear()
      return
    }
    this.folderComparison.start(differ, this.siteName, this.files)
  }

  private renderProgress (): unknown {
    const p = this.progress
    if (!this.busy || p == null) {
      return nothing
    }
    if (p.type === 'publish:import') {
      const { files, totalFiles, bytes, totalBytes } = p.detail
      return html`
        <progress aria-label="Publishing progress" max=${Math.max(totalBytes, 1)} value=${bytes}></progress>
        <p>Storing files: ${files} of ${totalFiles} files, ${formatBytes(bytes)} of ${formatBytes(totalBytes)}</p>`
    }
    if (p.type === 'record:register') {
      const { hashes, expected } = p.detail
      return html`
        <progress aria-label="Publishing progress" max=${expected} value=${Math.min(hashes, expected)}></progress>
        <p>Registering the name: proof of work (${Math.round(100 * Math.min(hashes / expected, 1))} % of the expected work). Only a new name costs this.</p>`
    }
    return html`
      <progress aria-label="Publishing progress"></progress>
      <p>${STEP_TEXT[p.type]}</p>`
  }

  private renderLive (site: HostedSite): unknown {
    const url = this.siteUrl(site.name)
    return html`<p role="status">Your site is live at <a href=${url} target="_blank" rel="noopener">${url}</a></p>`
  }

  private onNameInput (e: Event): void {
    this.label = (e.target as HTMLInputElement).value
    this.nameError = ''
    this.nameCheck.schedule(this.label, this.tld, this.checker)
  }

  private onTldChange (e: Event): void {
    this.tld = (e.target as HTMLSelectElement).value as Tld
    this.nameCheck.schedule(this.label, this.tld, this.checker)
  }

  private cancelPublish (): void {
    this.publishing?.abort()
  }

  private onFolderChange (e: Event): void {
    const input = e.target as HTMLInputElement
    this.files = siteFilesFromFileList(input.files ?? [])
    this.error = ''
  }

  private onDragOver (e: DragEvent): void {
    e.preventDefault()
    this.dragOver = true
  }

  private async onDrop (e: DragEvent): Promise<void> {
    e.preventDefault()
    this.dragOver = false
    if (e.dataTransfer == null) {
      return
    }
    try {
      this.files = await siteFilesFromDrop(e.dataTransfer.items)
      this.error = ''
    } catch (err) {
      this.error = errorText(err, 'publish')
    }
  }

  private async onSubmit (e: Event): Promise<void> {
    e.preventDefault()
    this.error = ''
    this.notice = ''
    this.published = null
    try {
      validateLabel(this.label)
    } catch (err) {
      this.nameError = errorText(err, 'publish')
      return
    }
    if (this.files.length === 0) {
      this.error = 'Pick the folder with your site first (Site folder), or drop it on the page.'
      return
    }
    if (this.publisher == null) {
      this.error = 'The app is still starting. Wait a moment and publish again.'
      return
    }
    this.busy = true
    this.nameCheck.cancel() // publishing looks the name up itself
    if (this.folderComparison.comparison.state === 'comparing') {
      // publishing reads the folder itself; the comparison would slow it down
      this.folderComparison.clear()
    }
    const publishing = this.publishing = new AbortController()
    try {
      this.published = await this.publisher({ label: this.label, tld: this.tld, files: this.files }, {
        signal: publishing.signal,
        onProgress: event => { this.progress = event }
      })
      this.nameCheck.set('yours')
      this.folderComparison.clear() // it compared with the version before
      this.dispatchEvent(new CustomEvent('wia-published', { detail: this.published, bubbles: true, composed: true }))
    } catch (err) {
      if (publishing.signal.aborted) {
        this.notice = 'Publishing cancelled. Publish again when you are ready.'
      } else {
        this.error = errorText(err, 'publish')
      }
    } finally {
      this.busy = false
      this.progress = null
      this.publishing = undefined
    }
  }
}

customElements.define('wia-host-form', WiaHostForm)

declare global {
  interface HTMLElementTagNameMap {
    'wia-host-form': WiaHostForm
  }
}
