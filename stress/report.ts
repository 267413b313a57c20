import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** How a measurement stands against its goal. */
export type Verdict = 'pass' | 'falls short' | '—'

/** One row of the stress report: an attack or fault, one thing measured under it, its goal. */
export interface StressResult {
  id: string
  /** The attack or fault, in words. */
  attack: string
  /** What was measured, in words. */
  what: string
  /** The measured value, formatted with its unit. */
  measured: string
  /** The goal (issue 14, DESIGN.md §7) in words, or `—` for a figure reported beside the others. */
  goal: string
  verdict: Verdict
  /**
   * A check that nothing was lost (a hostile record stored, a name or a site
   * gone): one that falls short fails the run. Other goals are targets,
   * measured and reported like the benchmarks' (DESIGN.md §7).
   */
  safety?: boolean
  /** The raw numbers behind `measured`. */
  values?: Record<string, number>
  notes?: string
}

/** A row with a goal: `pass` when `met`, else `falls short`. */
export function checked (init: Omit<StressResult, 'verdict'>, met: boolean): StressResult {
  return { ...init, verdict: met ? 'pass' : 'falls short' }
}

/** A row that checks nothing was lost: `pass` when `met`, else `falls short`, which fails the run. */
export function kept (init: Omit<StressResult, 'verdict' | 'safety'>, met: boolean): StressResult {
  return { ...checked(init, met), safety: true }
}

/** A row without a goal (context for the others). */
export function figure (init: Omit<StressResult, 'verdict' | 'goal'>): StressResult {
  return { ...init, goal: '—', verdict: '—' }
}

/** A Markdown table of the results, notes as footnotes under it. */
export function stressTable (results: StressResult[]): string {
  const notes: string[] = []
  const rows = results.map(r => {
    let what = r.what
    if (r.notes != null) {
      notes.push(r.notes)
      what += ` [${notes.length}]`
    }
    return `| ${r.attack} | ${what} | ${r.measured} | ${r.goal}${r.safety === true ? ' (nothing lost)' : ''} | ${r.verdict} |`
  })
  return [
    '| attack / fault | measured | value | goal | verdict |',
    '|---|---|---|---|---|',
    ...rows,
    ...(notes.length === 0 ? [] : ['', ...notes.map((note, i) => `${i + 1}. ${note}`)])
  ].join('\n')
}

/** Write `latest.json` (rows, attack reports and run facts) and `latest.md` (the table) into `dir`. */
export async function writeStressReport (dir: string, results: StressResult[], meta: Record<string, unknown>, details: Record<string, unknown>): Promise<void> {
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'latest.json'), JSON.stringify({ ...meta, results, details }, null, 2) + '\n')
  const facts = Object.entries(meta).map(([key, value]) => `${key}: ${String(value)}`).join(', ')
  await writeFile(join(dir, 'latest.md'), `# Stress results\n\n${facts}\n\n${stressTable(results)}\n`)
}
