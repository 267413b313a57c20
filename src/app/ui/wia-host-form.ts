import { LitElement, css, html, nothing } from 'lit'
import { TLDS, parseName, validateLabel } from '../../naming/index.js'
import { siteFilesFromDrop, siteFilesFromFileList } from './folder.js'
import { errorText, formatBytes } from './messages.js'
import type { SiteFile } from '../../content/index.js'
import type { Tld } from '../../naming/index.js'
import type { HostedSite, PublishInit, PublishOptions, PublishProgressEvents } from '../host/index.js'

/** Publishes a site; given by the parent so this element never touches the node. */
export type Publisher = (init: PublishInit, options: PublishOptions) => Promise<HostedSite>

/** What the progress bar says in the steps that report no amount. */
const STEP_TEXT: Record<Exclude<PublishProgressEvents['type'], 'publish:import' | 'record:register'>, string> = {
  'publish:check': 'Checking whether the name is free…',
  'record:sign': 'Signing the name record…',
  'record:announce': 'Announcing your site to the network…',
  'record:put': 'Announcing your site to the network…'
}

/**
 * The hosting form: **Site name**, **Domain**, **Site folder** (input or
 * drag-and-drop) and **Publish**, with a progress bar while publishing, a
 * `status` when the site is live and an `alert` when something failed.
 *
 * @fires wia-published - `CustomEvent<HostedSite>` after a successful publish
 */
export class WiaHostForm extends LitElement {
  static override styles = css`
    :host { display: block; }
    form { display: grid; gap: 0.75rem; max-width: 32rem; }
    .name { display: flex; align-items: center; gap: 0.25rem; }
    .drop { border: 2px dashed #8a8a8a; border-radius: 0.5rem; padding: 1rem; }
    .drop.over { border-color: #1a6cd4; background: #eef5ff; }
    progress { width: 100%; }
    [role=alert] { color: #a40000; }
    [role=status] { color: #155d27; }
    .hint { color: #555; font-size: 0.9em; }
  `

  static override properties = {
    publisher: { attribute: false },
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
    dragOver: { state: true }
  }

  /** Publishes the site (see {@link Publisher}). */
  declare publisher: Publisher | undefined
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
  declare private dragOver: boolean

  constructor () {
    super()
    this.publisher = undefined
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
            aria-describedby="name-hint ${this.nameError !== '' ? 'name-error' : ''}"
            aria-invalid=${this.nameError !== '' ? 'true' : 'false'}
            .value=${this.label} @input=${this.onNameInput}>
          <span aria-hidden="true">.wia.</span>
          <select id="tld" aria-label="Domain" .value=${this.tld} @change=${this.onTldChange}>
            ${TLDS.map(tld => html`<option value=${tld} ?selected=${tld === this.tld}>${tld}</option>`)}
          </select>
        </div>
        <span id="name-hint" class="hint">${this.updatingHint() ?? 'Lowercase letters, digits and hyphens, 1–63 characters.'}</span>
        ${this.nameError !== '' ? html`<span id="name-error" role="alert">${this.nameError}</span>` : nothing}

        <div class="drop ${this.dragOver ? 'over' : ''}"
          @dragover=${this.onDragOver} @dragleave=${() => { this.dragOver = false }} @drop=${this.onDrop}>
          <label for="folder">Site folder</label>
          <input id="folder" type="file" webkitdirectory multiple @change=${this.onFolderChange}>
          <p class="hint">…or drop a folder here.</p>
          ${this.files.length > 0 ? html`<p>${this.files.length} files, ${formatBytes(totalBytes)}</p>` : nothing}
        </div>

        <button type="submit" ?disabled=${this.busy}>Publish</button>
        ${this.renderProgress()}
        ${this.error !== '' ? html`<p role="alert">${this.error}</p>` : nothing}
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
  }

  private onTldChange (e: Event): void {
    this.tld = (e.target as HTMLSelectElement).value as Tld
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
    try {
      this.published = await this.publisher({ label: this.label, tld: this.tld, files: this.files }, {
        onProgress: event => { this.progress = event }
      })
      this.dispatchEvent(new CustomEvent('wia-published', { detail: this.published, bubbles: true, composed: true }))
    } catch (err) {
      this.error = errorText(err, 'publish')
    } finally {
      this.busy = false
      this.progress = null
    }
  }
}

customElements.define('wia-host-form', WiaHostForm)

declare global {
  interface HTMLElementTagNameMap {
    'wia-host-form': WiaHostForm
  }
}
