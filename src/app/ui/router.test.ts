import { describe, expect, it } from 'vitest'
import { ROUTES, routeOf } from './router.js'

describe('routeOf', () => {
  it('opens every screen by its hash', () => {
    for (const route of ROUTES) {
      expect(routeOf(route.hash)).toBe(route)
    }
  })

  it('opens the home screen for no hash, a bare # and a hash it does not know', () => {
    for (const hash of ['', '#', '#/', '#/nowhere', '#key']) {
      expect(routeOf(hash).screen).toBe('sites')
    }
  })
})
