import { afterEach, describe, expect, it } from 'vitest'
import { requestMark } from './marks.js'
import { MAX_REQUEST_MARKS, markRequest } from './request-marks.js'

describe('markRequest', () => {
  afterEach(() => { performance.clearMarks() })

  it('marks each phase of a request under its path', () => {
    performance.clearMarks()
    markRequest('request', '/a.css')
    markRequest('response', '/a.css')
    expect(performance.getEntriesByName(requestMark('request', '/a.css'), 'mark')).toHaveLength(1)
    expect(performance.getEntriesByName(requestMark('response', '/a.css'), 'mark')).toHaveLength(1)
  })

  it('never holds more than its bound of marks, however many requests it marks', () => {
    for (let i = 0; i < 3 * MAX_REQUEST_MARKS + 7; i++) {
      markRequest('request', `/p${i}.html`)
      expect(performance.getEntriesByType('mark').length).toBeLessThanOrEqual(MAX_REQUEST_MARKS)
    }
    // the latest request's mark is there
    expect(performance.getEntriesByName(requestMark('request', `/p${3 * MAX_REQUEST_MARKS + 6}.html`), 'mark')).toHaveLength(1)
  })
})
