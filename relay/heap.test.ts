import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { relayNodeOptions } from './heap.js'

describe('relayNodeOptions', () => {
  it('is what `npm start` and `npm run relay` run the relay with, so the tests measure the relay operators run', async () => {
    const { scripts } = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> }
    for (const script of ['start', 'relay']) {
      expect(scripts[script]).toContain(`node ${relayNodeOptions().join(' ')} build/relay/main.js`)
    }
  })

  it('is what the systemd unit in deploy/ runs the relay with', async () => {
    const unit = await readFile('deploy/wia-relay.service', 'utf8')
    expect(unit).toMatch(new RegExp(`^ExecStart=\\S*node ${relayNodeOptions().join(' ')} \\S*build/relay/main\\.js`, 'm'))
  })
})
