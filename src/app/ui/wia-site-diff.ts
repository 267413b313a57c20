import { LitElement, css, html, nothing } from 'lit'
import { formatBytes } from './format.js'
import { baseStyles } from './styles.js'
import type { FileChange, FileChangeKind, SiteDiff } from '../host/index.js'

/** Lists of at most this many files start open; longer ones start collapsed. */
const OPEN_LIST_FILES = 10

/** The kinds of change listed file by file, in this order, with their words. */
const LISTED: Array<{ kind: Exclude<FileChangeKind, 'unchanged'>, title: string }> = [
  { kind: 'added', title: 'Added' },
  { kind: 'changed', title: 'Changed' },
  { kind: 'removed', title: 'Removed' }
]

/** `1 file` / `3 files`. */
function filesText (count: number): string {
  return `${count} ${count === 1 ? 'file' : 'files'}`
}

/** A size (`12 kB`, `(1 kB → 2 kB)`) kept on one line. */
function size (text: string): unknown {
  return html`<span class="size">${text}</span>`
}

/**
 * What publishing a folder changes in a hosted site (a `diffSite` result),
 * before it is published: a region named **Changes from version N** (or
 * **What changes**, when this device stores no live version) with the totals,
 * then a list each of the added, changed and removed files with their sizes
 * (open when short, collapsed in a `<details>` when long), and the unchanged
 * ones collapsed. Says so when nothing changes.
 */
export class WiaSiteDiff extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    section {
      border: var(--wa-border-width-s, 1px) solid var(--wa-color-surface-border);
      border-radius: var(--wa-border-radius-l); padding: var(--wa-space-s) var(--wa-space-m);
      background: var(--wa-color-surface-lowered);
    }
    h2 { font-size: var(--wa-font-size-m); }
    summary { cursor: pointer; font-weight: var(--wa-font-weight-semibold, 600); }
    summary:focus-visible { outline: var(--wa-focus-ring, 3px solid var(--wa-color-focus)); }
    ul { margin: var(--wa-space-2xs) 0 0; padding-inline-start: var(--wa-space-l); max-height: 16rem; overflow-y: auto; }
    li { overflow-wrap: anywhere; }
    .added summary { color: var(--wa-color-success-on-quiet); }
    .removed summary { color: var(--wa-color-danger-on-quiet); }
    .changed summary { color: var(--wa-color-warning-on-quiet); }
    .quiet { color: var(--wa-color-text-quiet); }
    .size { white-space: nowrap; }
  `]

  static override properties = {
    diff: { attribute: false }
  }

  /** The comparison to show; nothing is shown without one. */
  declare diff: SiteDiff | undefined

  constructor () {
    super()
    this.diff = undefined
  }

  override render (): unknown {
    const diff = this.diff
    if (diff == null) {
      return nothing
    }
    const { added, changed, removed, unchanged } = diff.totals
    const title = diff.live == null ? 'What changes' : `Changes from version ${diff.live.number}`
    const same = added.files + changed.files + removed.files === 0
    return html`
      <section aria-labelledby="diff-title">
        <h2 id="diff-title">${title}</h2>
        ${diff.live == null ? html`<p class="hint">This device stores no live version of ${diff.name}: every file is new.</p>` : nothing}
        ${same
          ? html`<p>Nothing changes: every file is the same as in version ${diff.live?.number}. Publishing it anyway leaves what visitors see as it is.</p>`
          : html`<p>${filesText(added.files)} added ${size(`(${formatBytes(added.bytes)})`)}, ${filesText(changed.files)} changed ${size(`(${formatBytes(changed.previousBytes)} → ${formatBytes(changed.bytes)})`)}, ${filesText(removed.files)} removed ${size(`(${formatBytes(removed.bytes)})`)}, ${filesText(unchanged.files)} unchanged.</p>`}
        ${LISTED.map(({ kind, title }) => this.renderList(kind, title, diff.files.filter(file => file.change === kind)))}
        ${this.renderList('unchanged', 'Unchanged', diff.files.filter(file => file.change === 'unchanged'), false)}
      </section>
    `
  }

  /** The files of one kind of change in a `<details>` (open when short, unless `open` is false); nothing for none. */
  private renderList (kind: FileChangeKind, title: string, files: FileChange[], open = files.length <= OPEN_LIST_FILES): unknown {
    if (files.length === 0) {
      return nothing
    }
    const bytes = files.reduce((sum, file) => sum + file.bytes, 0)
    return html`
      <details class=${kind} ?open=${open}>
        <summary>${title}: ${filesText(files.length)}, ${formatBytes(bytes)}</summary>
        <ul aria-label="${title} files">
          ${files.map(file => html`<li>${file.path} <span class="quiet">${size(file.previousBytes == null ? formatBytes(file.bytes) : `${formatBytes(file.previousBytes)} → ${formatBytes(file.bytes)}`)}</span></li>`)}
        </ul>
      </details>
    `
  }
}

customElements.define('wia-site-diff', WiaSiteDiff)

declare global {
  interface HTMLElementTagNameMap {
    'wia-site-diff': WiaSiteDiff
  }
}
