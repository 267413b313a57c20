import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { formatNumber, formatRatio } from './format.js'
import { htmlReport, renderPng } from './html-report.js'
import type { Summary } from './stats.js'

/** One benchmark figure beside the baseline measured in the same run. */
export interface BenchResult {
  id: string
  /** What was measured, in words. */
  what: string
  unit: string
  measured: Summary
  baseline: { what: string, summary: Summary }
  /** `measured.median / baseline.median`. */
  ratio: number
  /** Which direction is an improvement. @default 'lower' */
  better?: 'lower' | 'higher'
  /** The target from DESIGN.md §7, in words, when there is one. */
  target?: string
  notes?: string
}

export function result (init: Omit<BenchResult, 'ratio'>): BenchResult {
  return { ...init, ratio: init.measured.median / init.baseline.summary.median }
}


/** A Markdown table of the results. */
export function markdownTable (results: BenchResult[]): string {
  const rows = results.map(r =>
    `| ${r.what} | ${formatNumber(r.measured.median)} (p90 ${formatNumber(r.measured.p90)}) ${r.unit} | ${r.baseline.what}: ${formatNumber(r.baseline.summary.median)} (p90 ${formatNumber(r.baseline.summary.p90)}) ${r.unit} | ${formatRatio(r.ratio)} | ${r.measured.reps} | ${r.target ?? ''} |`)
  return [
    '| benchmark | median (p90) | baseline median (p90) | ratio | reps | target |',
    '|---|---|---|---|---|---|',
    ...rows
  ].join('\n')
}

/**
 * Write `latest.json`, `latest.md`, `latest.html` (charts) and `latest.png`
 * (that page rendered by headless Chromium) into `dir`.
 */
export async function writeReport (dir: string, results: BenchResult[], meta: Record<string, unknown>): Promise<void> {
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'latest.json'), JSON.stringify({ ...meta, results }, null, 2) + '\n')
  await writeFile(join(dir, 'latest.md'), markdownTable(results) + '\n')
  const html = join(dir, 'latest.html')
  await writeFile(html, htmlReport(results, meta))
  await renderPng(html, join(dir, 'latest.png'))
}
