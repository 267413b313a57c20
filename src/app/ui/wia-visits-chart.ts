import { LitElement, css, html, nothing, unsafeCSS } from 'lit'
import { formatBytes } from './messages.js'
import { baseStyles } from './styles.js'
import type { ServedBytes, SiteVisitsSummary } from '../visits.js'
import type uPlot from 'uplot'

/** Height of the chart's plot (CSS pixels). */
const CHART_HEIGHT_PX = 160
/** Half a day (s): uPlot's time scale counts seconds. */
const HALF_DAY_S = 43_200
/** Width of the chart when its box has none yet (CSS pixels). */
const FALLBACK_WIDTH_PX = 320

/**
 * A site's visits per day over the last 30 days: a bar chart (`uplot`, loaded
 * only when a chart is first drawn, so the app's first paint stays small), a
 * summary line with the total and who served the bytes (this device, relays'
 * caches, other peers) in text, and the same figures per day in a table that
 * only assistive technology shows. The chart itself is an image named for
 * what it shows; the table is its text alternative.
 */
export class WiaVisitsChart extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; position: relative; }
    figure { margin: var(--wa-space-xs) 0 0; }
    figcaption { font-weight: var(--wa-font-weight-semibold, 600); }
    .chart { min-height: ${CHART_HEIGHT_PX}px; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
  `]

  static override properties = {
    visits: { attribute: false }
  }

  /** The site's visits, added up across its relays; `null` while they load. */
  declare visits: SiteVisitsSummary | null

  private plot: uPlot | undefined

  constructor () {
    super()
    this.visits = null
  }

  override disconnectedCallback (): void {
    super.disconnectedCallback()
    this.plot?.destroy()
    this.plot = undefined
  }

  override render (): unknown {
    const visits = this.visits
    if (visits == null) {
      return nothing
    }
    const days = visits.days.filter(day => day.visits > 0 || total(day.served) > 0)
    return html`
      <figure aria-labelledby="caption">
        <figcaption id="caption">Visits of ${visits.name} per day, last 30 days</figcaption>
        <p>${visitsText(visits.total)} in the last 30 days. ${servedText(visits.served)}</p>
        <div class="chart" role="img" aria-label="Bar chart of visits per day; the figures are in the table that follows"></div>
        <div class="visually-hidden"><table>
          <caption>Visits and bytes served per day (UTC days; days without any are left out)</caption>
          <thead>
            <tr><th scope="col">Day</th><th scope="col">Visits</th><th scope="col">This device</th><th scope="col">Relays' caches</th><th scope="col">Other peers</th></tr>
          </thead>
          <tbody>
            ${days.map(day => html`<tr>
              <th scope="row">${day.day}</th><td>${day.visits}</td><td>${formatBytes(day.served.host)}</td><td>${formatBytes(day.served.cache)}</td><td>${formatBytes(day.served.peers)}</td>
            </tr>`)}
          </tbody>
        </table></div>
      </figure>
    `
  }

  override updated (changed: Map<PropertyKey, unknown>): void {
    if (changed.has('visits')) {
      void this.draw()
    }
  }

  /** Draw (or redraw) the bars, loading `uplot` and its styles on first use. */
  private async draw (): Promise<void> {
    const visits = this.visits
    const target = this.renderRoot.querySelector<HTMLElement>('.chart')
    if (visits == null || target == null) {
      return
    }
    const [{ default: UPlot }, { default: styles }] = await Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css?inline')])
    if (this.visits !== visits) {
      return // newer figures came meanwhile: their own draw runs
    }
    if (this.renderRoot.querySelector('style[data-uplot]') == null) {
      const style = document.createElement('style')
      style.dataset.uplot = ''
      style.textContent = unsafeCSS(styles).cssText
      this.renderRoot.appendChild(style)
    }
    const data: uPlot.AlignedData = [
      visits.days.map(day => Date.parse(`${day.day}T00:00:00Z`) / 1000),
      visits.days.map(day => day.visits)
    ]
    // the canvas takes colours, not CSS variables: the theme's, as they are now
    const css = getComputedStyle(this)
    const text = css.getPropertyValue('--wa-color-text-quiet').trim()
    const grid = css.getPropertyValue('--wa-color-surface-border').trim()
    const bar = css.getPropertyValue('--wa-color-brand-fill-loud').trim()
    const axis = { stroke: text, grid: { stroke: grid }, ticks: { stroke: grid } }
    this.plot?.destroy()
    this.plot = new UPlot({
      width: target.clientWidth > 0 ? target.clientWidth : FALLBACK_WIDTH_PX,
      height: CHART_HEIGHT_PX,
      legend: { show: false },
      // the days are UTC days: label them so, whatever the device's time zone
      tzDate: ts => UPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      cursor: { show: false },
      // half a day either side, so the first and last days' bars are whole
      scales: { x: { time: true, range: (_plot, min, max) => [min - HALF_DAY_S, max + HALF_DAY_S] }, y: { range: (_plot, _min, max) => [0, Math.max(1, max)] } },
      axes: [axis, { ...axis, values: (_plot, ticks) => ticks.map(tick => Number.isInteger(tick) ? String(tick) : '') }],
      series: [
        {},
        { label: 'Visits', fill: bar, stroke: bar, width: 0, paths: UPlot.paths.bars?.({ size: [0.7, 24] }), points: { show: false } }
      ]
    }, data, target)
  }
}

function total (served: ServedBytes): number {
  return served.host + served.cache + served.peers
}

function visitsText (count: number): string {
  return `${count} ${count === 1 ? 'visit' : 'visits'}`
}

/** Who served the bytes, in words and percentages. */
function servedText (served: ServedBytes): string {
  const bytes = total(served)
  if (bytes === 0) {
    return 'No bytes were served through the relays yet.'
  }
  const share = (part: number): string => part > 0 && 100 * part / bytes < 0.5 ? 'under 1%' : `${Math.round(100 * part / bytes)}%`
  return `Of ${formatBytes(bytes)} served: this device ${share(served.host)}, relays' caches ${share(served.cache)}, other peers ${share(served.peers)}.`
}

customElements.define('wia-visits-chart', WiaVisitsChart)

declare global {
  interface HTMLElementTagNameMap {
    'wia-visits-chart': WiaVisitsChart
  }
}
