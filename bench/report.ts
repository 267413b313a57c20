import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
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
  /** The target from DESIGN.md §7, in words, when there is one. */
  target?: string
  notes?: string
}

export function result (init: Omit<BenchResult, 'ratio'>): BenchResult {
  return { ...init, ratio: init.measured.median / init.baseline.summary.median }
}

const fmt = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1))

/** A Markdown table of the results. */
export function markdownTable (results: BenchResult[]): string {
  const rows = results.map(r =>
    `| ${r.what} | ${fmt(r.measured.median)} (p90 ${fmt(r.measured.p90)}) ${r.unit} | ${r.baseline.what}: ${fmt(r.baseline.summary.median)} (p90 ${fmt(r.baseline.summary.p90)}) ${r.unit} | ${r.ratio.toFixed(2)}× | ${r.measured.reps} | ${r.target ?? ''} |`)
  return [
    '| benchmark | median (p90) | baseline median (p90) | ratio | reps | target |',
    '|---|---|---|---|---|---|',
    ...rows
  ].join('\n')
}

/** Write `bench/results/latest.json` and `latest.md`. */
export async function writeReport (dir: string, results: BenchResult[], meta: Record<string, unknown>): Promise<void> {
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'latest.json'), JSON.stringify({ ...meta, results }, null, 2) + '\n')
  await writeFile(join(dir, 'latest.md'), markdownTable(results) + '\n')
}
