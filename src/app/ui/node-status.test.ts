import { describe, expect, it } from 'vitest'
import { nodeActivity, nodeStatusText } from './node-status.js'

describe('nodeStatusText and nodeActivity', () => {
  it('say what a person needs to know in each state of the hosting node', () => {
    const serving = { reachable: true, activity: 'serving' as const }
    const sleeping = { reachable: true, activity: 'sleeping' as const }
    const unreachable = { reachable: false, activity: 'serving' as const }
    expect([nodeStatusText(null, ''), nodeActivity(null, '')]).toEqual(['Connecting…', 'offline'])
    expect([nodeStatusText(serving, 'IndexedDB is not available'), nodeActivity(serving, 'IndexedDB is not available')]).toEqual(['Offline', 'offline'])
    expect([nodeStatusText(unreachable, ''), nodeActivity(unreachable, '')]).toEqual(['Connecting to a relay: visitors cannot reach this device until one answers', 'offline'])
    expect([nodeStatusText(serving, ''), nodeActivity(serving, '')]).toEqual(['Online, serving', 'serving'])
    expect([nodeStatusText(sleeping, ''), nodeActivity(sleeping, '')]).toEqual(['Online, sleeping until a visitor arrives', 'sleeping'])
  })
})
