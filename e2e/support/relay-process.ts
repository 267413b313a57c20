import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { relayNodeOptions } from '../../relay/heap.js'
import type { ChildProcess } from 'node:child_process'

/** Where the built relay entry point is (`npm run build`). */
const RELAY_MAIN = resolve('build/relay/main.js')
/**
 * Proof-of-work difficulty the test relays demand of a new name (leading zero
 * bits): low, so tests register names in milliseconds. The default difficulty
 * is measured by the benchmarks.
 */
export const TEST_POW_BITS = 12

/** How long a relay may take to print its addresses (ms). */
const START_TIMEOUT_MS = 30_000

export interface RelayProcess {
  /** `http://localhost:PORT/` of the app. */
  appUrl: string
  /** HTTP port of the app and site origins. */
  httpPort: number
  /** The relay's libp2p multiaddrs. */
  relayAddrs: string[]
  /** WebSocket port of the relay's libp2p node. */
  relayPort: number
  /** Folder with the relay's identity (pass it again to restart the same relay). */
  dataDir: string
  /** Every line the relay printed on stdout so far: the start lines, then its operator log (JSON, `LOG_LEVEL`). */
  output: string[]
  process: ChildProcess
  stop(): Promise<void>
  /**
   * Start the same relay again after {@link stop}: same identity and data
   * directory (its cache), same ports and flags, nothing kept in memory;
   * `env` is added to the first start's.
   */
  startAgain(env?: Record<string, string>): Promise<RelayProcess>
}

export interface StartRelayInit {
  dataDir?: string
  httpPort?: number
  relayPort?: number
  extraArgs?: string[]
  /** Command the relay runs under, e.g. `['ip', 'netns', 'exec', 'wia-cloud']` (the test network). */
  launcher?: string[]
  /** Extra environment of the relay process (e.g. `NODE_EXTRA_CA_CERTS`). */
  env?: Record<string, string>
}

/**
 * Start a real relay process (`node build/relay/main.js`) on free loopback
 * ports and wait until it prints its addresses.
 */
export async function startRelay (init: StartRelayInit = {}): Promise<RelayProcess> {
  const dataDir = init.dataDir ?? await mkdtemp(join(tmpdir(), 'wia-relay-'))
  const [command, ...launcherArgs] = [...(init.launcher ?? []), process.execPath]
  const child = spawn(command!, [
    ...launcherArgs,
    // as `npm start` runs it
    ...relayNodeOptions(),
    RELAY_MAIN,
    '--port', String(init.httpPort ?? 0),
    '--relay-port', String(init.relayPort ?? 0),
    '--data-dir', dataDir,
    ...(init.extraArgs ?? [])
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...init.env } })

  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  // debugging aid: WIA_RELAY_LOG=<file> (with DEBUG=wia:*) keeps every relay's log
  if (process.env.WIA_RELAY_LOG != null) {
    child.stderr?.pipe(createWriteStream(process.env.WIA_RELAY_LOG, { flags: 'a' }))
  }

  const lines = createInterface({ input: child.stdout! })
  const output: string[] = []
  lines.on('line', line => { output.push(line) })
  let appUrl: string | undefined
  let relayAddrs: string[] | undefined
  const started = new Promise<void>((resolveStarted, reject) => {
    const timer = setTimeout(() => { reject(new Error(`relay did not start within ${START_TIMEOUT_MS} ms\n${stderr}`)) }, START_TIMEOUT_MS)
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`relay exited with ${code}\n${stderr}`)) })
    lines.on('line', line => {
      if (line.startsWith('relay: ')) {
        relayAddrs = line.slice('relay: '.length).split(' ')
      } else if (line.startsWith('app: ')) {
        appUrl = line.slice('app: '.length)
      }
      if (appUrl != null && relayAddrs != null) {
        clearTimeout(timer)
        resolveStarted()
      }
    })
  })
  await started

  const httpPort = Number(new URL(appUrl!).port)
  const relayPort = Number(/\/tcp\/(\d+)\//.exec(relayAddrs![0]!)?.[1])
  return {
    appUrl: appUrl!,
    httpPort,
    relayAddrs: relayAddrs!,
    relayPort,
    dataDir,
    output,
    process: child,
    async startAgain (env = {}) {
      return startRelay({ ...init, dataDir, httpPort, relayPort, env: { ...init.env, ...env } })
    },
    async stop () {
      if (child.exitCode != null || child.signalCode != null) {
        return
      }
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    }
  }
}
