import { errorText } from './messages.js'
import type { SiteVisitsSummary } from '../visits.js'
import type { ReactiveController, ReactiveControllerHost } from 'lit'

/** Asks a site's relays for its visits of the last 30 days (`fetchVisits`); given by the card's parent. */
export type VisitsLoader = (name: string, options?: { signal?: AbortSignal }) => Promise<SiteVisitsSummary>

/**
 * A Lit controller holding a site card's visits: the relays' figures for
 * one site, asked again on **Visits**, the chart shown or not, and the
 * card's line on them. Re-renders its host when an answer arrives; an
 * answer for a site the card no longer shows is dropped.
 */
export class SiteVisitsController implements ReactiveController {
  /** The chart is open. */
  shown = false
  /** The relays' figures, `null` until they answered. */
  visits: SiteVisitsSummary | null = null
  /** Why they could not be asked, in words for people; empty when they were. */
  error = ''

  private readonly host: ReactiveControllerHost
  /** The site whose visits are held. */
  private name: string | undefined

  constructor (host: ReactiveControllerHost) {
    this.host = host
    host.addController(this)
  }

  /** Nothing to start: the card asks for visits when it is given a site. */
  hostConnected (): void {}

  /** The card's line on visits: the 30-day total once the relays told it. */
  get line (): string {
    if (this.error !== '') {
      return this.error
    }
    if (this.visits == null) {
      return 'Counting visits…'
    }
    return `${this.visits.total} ${this.visits.total === 1 ? 'visit' : 'visits'} in the last 30 days`
  }

  /** Ask the relays for `name`'s visits (a card showing another site drops what it held). */
  async load (name: string, loader: VisitsLoader): Promise<void> {
    if (name !== this.name) {
      this.name = name
      this.visits = null
    }
    try {
      const visits = await loader(name)
      if (this.name === name) {
        this.visits = visits
        this.error = ''
      }
    } catch (err) {
      this.error = errorText(err, 'visits')
    }
    this.host.requestUpdate()
  }

  /** **Visits**: show the chart, with the relays' figures asked again; or hide it. */
  async toggle (name: string, loader: VisitsLoader): Promise<void> {
    if (this.shown) {
      this.shown = false
      this.host.requestUpdate()
      return
    }
    const refresh = this.load(name, loader)
    await import('./wia-visits-chart.js')
    this.shown = true
    this.host.requestUpdate()
    await refresh
  }
}
