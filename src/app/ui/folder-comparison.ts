import { errorText } from './messages.js'
import type { SiteFile } from '../../content/index.js'
import type { DiffSiteInit, DiffSiteOptions, SiteDiff } from '../host/index.js'
import type { ReactiveController, ReactiveControllerHost } from 'lit'

/** Compares a folder with a hosted site's live version (the host's `diffSite`); given by the form's parent. */
export type SiteDiffer = (init: DiffSiteInit, options: DiffSiteOptions) => Promise<SiteDiff>

/** Where the comparison of the picked folder with the live version stands. */
export type Comparison =
  | { state: 'none' }
  | { state: 'comparing', files: number, totalFiles: number }
  | { state: 'done', diff: SiteDiff }
  | { state: 'failed', error: string }

/**
 * A Lit controller that compares the folder picked in the hosting form with
 * the live version of the site it updates, through a {@link SiteDiffer}:
 * one comparison at a time (a new pick aborts the one under way), its
 * progress and outcome in {@link comparison}. Re-renders its host as it
 * goes; a comparison under way ends with the host.
 */
export class FolderComparisonController implements ReactiveController {
  comparison: Comparison = { state: 'none' }

  private readonly host: ReactiveControllerHost
  /** Aborts the comparison under way (another folder was picked, or the name changed). */
  private comparing: AbortController | undefined

  constructor (host: ReactiveControllerHost) {
    this.host = host
    host.addController(this)
  }

  hostDisconnected (): void {
    this.clear()
  }

  /** Compare `files` with the live version of `name`, aborting the comparison of an earlier pick. */
  start (differ: SiteDiffer, name: string, files: SiteFile[]): void {
    this.comparing?.abort()
    const comparing = this.comparing = new AbortController()
    this.set({ state: 'comparing', files: 0, totalFiles: files.length })
    differ({ name, files }, {
      signal: comparing.signal,
      onProgress: event => {
        if (event.type === 'diff:hash' && !comparing.signal.aborted) {
          this.set({ state: 'comparing', files: event.detail.files, totalFiles: event.detail.totalFiles })
        }
      }
    }).then(diff => {
      if (!comparing.signal.aborted) {
        this.set({ state: 'done', diff })
      }
    }, err => {
      if (!comparing.signal.aborted) {
        this.set({ state: 'failed', error: errorText(err, 'compare') })
      }
    })
  }

  /** No comparison: abort the one under way, if any, and show none. */
  clear (): void {
    this.comparing?.abort()
    this.comparing = undefined
    if (this.comparison.state !== 'none') {
      this.set({ state: 'none' })
    }
  }

  private set (comparison: Comparison): void {
    this.comparison = comparison
    this.host.requestUpdate()
  }
}
