import { describe, expect, it } from 'vitest'
import * as swHttpErrors from '../../sw/http/errors.js'
import * as contentErrors from '../content/errors.js'
import * as namingErrors from '../naming/errors.js'
import * as trustlessErrors from '../trustless/errors.js'
import * as gatewayErrors from './errors.js'
import { PAGE_ERROR_WORDS } from './words.js'

/** Every error class exported by a module whose errors can reach a site request. */
const CLASSES = [namingErrors, contentErrors, gatewayErrors, trustlessErrors, swHttpErrors]
  .flatMap(module => Object.entries(module))
  .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
  // the site worker's per-relay status is wrapped in GatewaysUnavailableError before it reaches a page
  .filter(([name]) => name !== 'GatewayStatusError')

describe('PAGE_ERROR_WORDS', () => {
  it.each(CLASSES)('has words for %s', (exportName) => {
    expect(Object.hasOwn(PAGE_ERROR_WORDS, exportName)).toBe(true)
  })

  it('gives every page a status, a title and a sentence naming no technical message', () => {
    const err = Object.assign(new Error('TECHNICAL'), { phase: 'fetching' })
    for (const [name, words] of Object.entries(PAGE_ERROR_WORDS)) {
      err.name = name
      const page = (words as (err: Error, context: { name: string, path?: string }) => { status: number, title: string, what: string })(err, { name: 'alice.wia.home', path: '/x' })
      expect(page.status, name).toBeGreaterThanOrEqual(400)
      expect(page.title, name).not.toBe('')
      expect(page.what, name).toMatch(/\.$/)
      expect(JSON.stringify(page), name).not.toContain('TECHNICAL')
    }
  })
})
