#!/usr/bin/env node
// `npx wia-home relay [flags]`: start a relay (README "Configuration" and
// "Run a public relay"). The relay is the built `build/relay/main.js`.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { constants } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const [command, ...args] = process.argv.slice(2)
const usage = 'Usage: wia-home relay [--public-domain example.org (--tls-cert fullchain.pem --tls-key privkey.pem | --behind-proxy)] [flags]\n' +
  'Flags and their environment variables are listed in the README ("Configuration").'

if (command === 'help' || command === '--help' || command === '-h' || args.includes('--help')) {
  console.log(usage)
  process.exit(0)
}
if (command !== 'relay') {
  console.error(command == null ? usage : `Unknown command "${command}".\n${usage}`)
  process.exit(2)
}
const main = join(root, 'build/relay/main.js')
if (!existsSync(main)) {
  console.error(`${main} is missing: run "npm run build" in ${root} first.`)
  process.exit(1)
}
// the relay's own Node options (its heap bound, relay/heap.ts), in a process of its own
const { relayNodeOptions } = await import(join(root, 'build/relay/heap.js'))
const relay = spawn(process.execPath, [...relayNodeOptions(), main, ...args], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => { relay.kill(signal) })
}
relay.once('exit', (code, signal) => { process.exit(code ?? (signal == null ? 1 : 128 + (constants.signals[signal] ?? 0))) })
