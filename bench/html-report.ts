import { pathToFileURL } from 'node:url'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '../e2e/support/chromium.js'
import { formatNumber as fmt, formatRatio } from './format.js'
import type { BenchResult } from './report.js'
import type { Summary } from './stats.js'

/** Width of one chart's SVG (px). */
const CHART_WIDTH_PX = 580
/** Height of one bar (px). */
const BAR_HEIGHT_PX = 22
/** Left margin for the bar labels (px). */
const LABEL_WIDTH_PX = 80
/** Right margin for the value labels (px). */
const VALUE_WIDTH_PX = 200

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)


/**
 * One bar chart in inline SVG: the median of the measured figure and of its
 * baseline as bars on a shared linear axis from 0, each with a whisker to its p90.
 */
function barChart (result: BenchResult): string {
  const bars: Array<{ label: string, summary: Summary, colour: string }> = [
    { label: 'wia-home', summary: result.measured, colour: '#1a6cd4' },
    { label: 'baseline', summary: result.baseline.summary, colour: '#8a8a8a' }
  ]
  const max = Math.max(...bars.map(b => Math.max(b.summary.median, b.summary.p90)), Number.MIN_VALUE)
  const plot = CHART_WIDTH_PX - LABEL_WIDTH_PX - VALUE_WIDTH_PX
  const x = (v: number): number => LABEL_WIDTH_PX + (plot * v) / max
  const rows = bars.map((bar, i) => {
    const y = 6 + i * (BAR_HEIGHT_PX + 8)
    const mid = y + BAR_HEIGHT_PX / 2
    const whisker = bar.summary.p90 > bar.summary.median
      ? `<line x1="${x(bar.summary.median)}" x2="${x(bar.summary.p90)}" y1="${mid}" y2="${mid}" stroke="#222" stroke-width="1.5"/>` +
        `<line x1="${x(bar.summary.p90)}" x2="${x(bar.summary.p90)}" y1="${mid - 6}" y2="${mid + 6}" stroke="#222" stroke-width="1.5"/>`
      : ''
    return `<text x="${LABEL_WIDTH_PX - 8}" y="${mid + 4}" text-anchor="end">${bar.label}</text>` +
      `<rect x="${LABEL_WIDTH_PX}" y="${y}" width="${Math.max(1, x(bar.summary.median) - LABEL_WIDTH_PX)}" height="${BAR_HEIGHT_PX}" fill="${bar.colour}"/>` +
      whisker +
      `<text x="${CHART_WIDTH_PX - VALUE_WIDTH_PX + 8}" y="${mid + 4}">${fmt(bar.summary.median)} ${escape(result.unit)}${bar.summary.p90 !== bar.summary.median ? ` (p90 ${fmt(bar.summary.p90)})` : ''}</text>`
  })
  const height = 6 + bars.length * (BAR_HEIGHT_PX + 8)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH_PX}" height="${height}" role="img" aria-label="${escape(result.what)}: ${fmt(result.measured.median)} vs baseline ${fmt(result.baseline.summary.median)} ${escape(result.unit)}">${rows.join('')}</svg>`
}

function section (result: BenchResult): string {
  const better = result.better === 'higher' ? 'higher is better' : 'lower is better'
  return `<section>
<h2>${escape(result.what)}</h2>
<p class="meta">${escape(result.unit)}, ${better}; ${result.measured.reps} repetition${result.measured.reps === 1 ? '' : 's'}; ratio <strong>${formatRatio(result.ratio)}</strong>${result.target != null ? `; target ${escape(result.target)}` : ''}</p>
${barChart(result)}
<p class="baseline">Baseline: ${escape(result.baseline.what)}</p>
${result.notes != null ? `<p class="notes">${escape(result.notes)}</p>` : ''}
</section>`
}

/**
 * The report as one self-contained HTML page (inline CSS and SVG, no external
 * assets): a chart of measured vs baseline (median bars, p90 whiskers) per
 * benchmark, with ratio, target and notes.
 */
export function htmlReport (results: BenchResult[], meta: Record<string, unknown>): string {
  const metaLine = Object.entries(meta).map(([k, v]) => `${escape(k)}: ${escape(String(v))}`).join(' · ')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wia-home benchmarks</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; background: #fff; max-width: 1200px; }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(580px, 1fr)); gap: 12px 24px; }
section { border-top: 1px solid #ddd; padding-top: 4px; }
h1 { font-size: 20px; } h2 { font-size: 15px; margin: 6px 0 2px; }
.meta, .baseline, .notes { margin: 2px 0; color: #555; } .notes { font-size: 12px; }
svg text { font: 12px system-ui, sans-serif; fill: #222; }
</style></head>
<body>
<h1>wia-home benchmarks</h1>
<p class="meta">${metaLine}</p>
<p class="meta"><span style="color:#1a6cd4">■</span> wia-home <span style="color:#8a8a8a">■</span> baseline measured in the same run · bars: median · whiskers: p90</p>
<main>
${results.map(section).join('\n')}
</main>
</body></html>
`
}

/**
 * Render an HTML file in headless Chromium and save a full-page PNG of it.
 *
 * @param htmlPath - absolute path of the HTML report
 * @param pngPath - where to write the screenshot
 */
export async function renderPng (htmlPath: string, pngPath: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  try {
    const page = await browser.newPage({ viewport: { width: 1248, height: 300 } })
    await page.goto(pathToFileURL(htmlPath).href)
    await page.screenshot({ path: pngPath, fullPage: true })
  } finally {
    await browser.close()
  }
}
