import { describe, expect, it } from 'vitest'
import { estimateStrength } from './strength.js'

describe('estimateStrength', () => {
  it.each([
    ['', 'too-short'],
    ['Abc!1', 'too-short'],
    ['password', 'weak'],
    ['aaaaaaaaaaaaaaaaaaaaaaaa', 'weak'],
    ['abcdefghijklmnop', 'weak'],
    ['hunter2hunter2hunter2', 'weak'],
    ['kdhsuqpwoe', 'fair'],
    ['Tr0ub4dor&', 'good'],
    ['correct horse battery staple', 'strong'],
    ['Gx7#qL9!vR2$', 'strong']
  ])('rates %j as %s', (passphrase, strength) => {
    expect(estimateStrength(passphrase).strength).toBe(strength)
  })

  it('counts more characters and more classes as more bits', () => {
    expect(estimateStrength('kdhsuqpwoe').bits).toBeLessThan(estimateStrength('kdhsuqpwoemvz').bits)
    expect(estimateStrength('kdhsuqpwoe').bits).toBeLessThan(estimateStrength('kdhSuqpw0e').bits)
  })
})
