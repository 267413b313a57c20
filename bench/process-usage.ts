import { readFile, readdir } from 'node:fs/promises'

/** Bytes per KiB. */
const KIB = 1024
/** Clock ticks per second of `/proc/<pid>/stat` times (`getconf CLK_TCK`; 100 on Linux). */
const CLOCK_TICKS_PER_S = 100

/**
 * Resident set size of a process (bytes), from `/proc/<pid>/status`: `total`
 * is VmRSS, `file` its file-backed part (RssFile: mapped files' pages, which
 * the kernel's page cache holds and may reclaim; LevelDB maps its tables).
 */
export async function resident (pid: number): Promise<{ total: number, file: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]
  if (kib == null) {
    throw new Error(`no VmRSS for process ${pid}`)
  }
  const fileKib = /^RssFile:\s+(\d+) kB$/m.exec(status)?.[1] ?? '0'
  return { total: Number(kib) * KIB, file: Number(fileKib) * KIB }
}

/** Resident set size of a process (bytes), from `/proc/<pid>/status` VmRSS. */
export async function rss (pid: number): Promise<number> {
  return (await resident(pid)).total
}

/** A process's parent and the CPU it has used so far, user plus system (s), from the text of its `/proc/<pid>/stat`. */
function parseStat (stat: string): { ppid: number, cpu: number } {
  // the command name (field 2) may hold spaces: count fields after its closing parenthesis
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields 4 (ppid), 14 (utime) and 15 (stime) of proc(5), here at 1, 11 and 12
  return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S }
}

/** CPU time a process has used so far, user plus system (s), from `/proc/<pid>/stat`. */
export async function cpuSeconds (pid: number): Promise<number> {
  return parseStat(await readFile(`/proc/${pid}/stat`, 'utf8')).cpu
}

/** What {@link sampleUsage} saw of a process. */
export interface ProcessUsage {
  /** Largest RSS seen (bytes). */
  peakRss: number
  /** The file-backed part of that largest RSS (bytes; see {@link resident}). */
  peakRssFile: number
  /** RSS at the last reading (bytes). */
  lastRss: number
  /** CPU used over the sampling, as a share of one core (1 = one core busy all the time). */
  cpuShare: number
  /** Largest CPU share of one core within one sampling interval. */
  peakCpuShare: number
  /** Readings taken. */
  readings: number
}

/**
 * Read a process's RSS and CPU time every `intervalMs` (one reading at a
 * time) until `stop()`; a process that exits ends the sampling with what was
 * read so far.
 */
export function sampleUsage (pid: number, intervalMs = 250): { stop: () => Promise<ProcessUsage> } {
  let peakRss = 0
  let peakRssFile = 0
  let lastRss = 0
  let peakCpuShare = 0
  let readings = 0
  let first: { at: number, cpu: number } | undefined
  let previous: { at: number, cpu: number } | undefined
  let stopped = false
  const read = async (): Promise<void> => {
    try {
      const cpu = await cpuSeconds(pid)
      const at = performance.now()
      const { total: bytes, file } = await resident(pid)
      lastRss = bytes
      if (bytes > peakRss) {
        peakRss = bytes
        peakRssFile = file
      }
      // a share over less than half an interval (a late timer) is noise, not a peak
      if (previous != null && at - previous.at >= intervalMs / 2) {
        peakCpuShare = Math.max(peakCpuShare, (cpu - previous.cpu) / ((at - previous.at) / 1000))
      }
      first ??= { at, cpu }
      previous = { at, cpu }
      readings++
    } catch {
      // the process is gone (a fault under test): keep what was read
    }
  }
  const loop = (async () => {
    while (!stopped) {
      await read()
      await new Promise(resolve => setTimeout(resolve, intervalMs))
    }
  })()
  return {
    async stop () {
      stopped = true
      await loop
      await read()
      const cpuShare = first != null && previous != null && previous.at > first.at ? (previous.cpu - first.cpu) / ((previous.at - first.at) / 1000) : 0
      return { peakRss, peakRssFile, lastRss, cpuShare, peakCpuShare, readings }
    }
  }
}

/** One process in a {@link processTimes} reading. */
export interface ProcessTime {
  /** Parent process id. */
  ppid: number
  /** CPU used so far, user plus system (s). */
  cpu: number
  /** Command line, arguments joined by spaces. */
  cmd: string
}

/** CPU time so far of every process on the machine, with its parent, from `/proc/<pid>/stat` and `cmdline`. */
export async function processTimes (): Promise<Map<number, ProcessTime>> {
  const times = new Map<number, ProcessTime>()
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue
    }
    try {
      const stat = parseStat(await readFile(`/proc/${entry}/stat`, 'utf8'))
      const cmd = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ')
      times.set(Number(entry), { ...stat, cmd })
    } catch {
      // gone between the listing and the read
    }
  }
  return times
}

/**
 * A group of processes {@link cpuByRole} adds up: a process belongs to it
 * when `match` accepts the process or one of its ancestors and `kind`, if
 * given, accepts the process itself (a Chromium's renderers apart from its
 * browser process).
 */
export interface ProcessRole {
  name: string
  match: (pid: number, process: ProcessTime) => boolean
  kind?: (process: ProcessTime) => boolean
}

/**
 * CPU each role used between two {@link processTimes} readings (s, by role
 * name): each process is counted under the first role (in the order given)
 * that matches it or one of its ancestors and whose `kind` accepts it; a
 * process that started in between counts from zero, one that ended is
 * missed. Processes no role matches are left out.
 */
export function cpuByRole (before: Map<number, ProcessTime>, after: Map<number, ProcessTime>, roles: ProcessRole[]): Map<string, number> {
  const used = new Map<string, number>(roles.map(role => [role.name, 0]))
  /** The process and its ancestors, nearest first. */
  const lineage = (pid: number): Array<[number, ProcessTime]> => {
    const chain: Array<[number, ProcessTime]> = []
    for (let current = pid; current > 1 && chain.length < 64;) {
      const process = after.get(current)
      if (process == null) {
        break
      }
      chain.push([current, process])
      current = process.ppid
    }
    return chain
  }
  for (const [pid, process] of after) {
    const chain = lineage(pid)
    const role = roles.find(candidate => (candidate.kind?.(process) ?? true) && chain.some(([id, p]) => candidate.match(id, p)))
    if (role != null) {
      used.set(role.name, used.get(role.name)! + process.cpu - (before.get(pid)?.cpu ?? 0))
    }
  }
  return used
}
