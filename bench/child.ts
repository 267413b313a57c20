import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { basename, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import type { ChildProcess } from 'node:child_process'

/** How long a child gets to exit after SIGTERM before SIGKILL (ms). */
const STOP_GRACE_MS = 10_000

/** A TypeScript helper process of the benchmarks that reports on stdout, one line per fact. */
export interface BenchChild {
  process: ChildProcess
  /** Every stdout line so far. */
  lines: string[]
  /**
   * The first stdout line (already printed or still to come) matching `pattern`.
   *
   * @param timeoutMs - how long to wait (ms)
   * @throws when the child exits or `timeoutMs` passes first
   */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>
  /** SIGTERM, then SIGKILL after a grace period; resolves once it exited. */
  stop(): Promise<void>
}

/**
 * Run `bench/<script>` with Node and tsx (`node --import tsx`), stderr passed
 * through, stdout read line by line.
 */
export function spawnBenchChild (script: string, args: string[]): BenchChild {
  return spawnTsChild(resolve('bench', script), args)
}

/**
 * Run the TypeScript file at `path` with Node and tsx (`node --import tsx`),
 * stderr passed through, stdout read line by line (the benchmarks' helpers,
 * the stress tests' attackers).
 */
export function spawnTsChild (path: string, args: string[]): BenchChild {
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines: string[] = []
  const waiters = new Set<() => void>()
  createInterface({ input: child.stdout! }).on('line', line => {
    lines.push(line)
    for (const wake of waiters) wake()
  })
  child.once('exit', () => { for (const wake of waiters) wake() })
  return {
    process: child,
    lines,
    async waitForLine (pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs
      let seen = 0
      while (true) {
        for (; seen < lines.length; seen++) {
          const match = pattern.exec(lines[seen]!)
          if (match != null) return match
        }
        if (child.exitCode != null || child.signalCode != null) {
          throw new Error(`${basename(path)} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}`)
        }
        if (Date.now() >= deadline) {
          throw new Error(`${basename(path)} printed no ${pattern} within ${timeoutMs} ms`)
        }
        await new Promise<void>(resolve => {
          const timer = setTimeout(wake, deadline - Date.now())
          function wake (): void {
            clearTimeout(timer)
            waiters.delete(wake)
            resolve()
          }
          waiters.add(wake)
        })
      }
    },
    async stop () {
      if (child.exitCode != null || child.signalCode != null) {
        return
      }
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
      await exited
      clearTimeout(timer)
    }
  }
}
