import { validateLabel } from '../../naming/name.js'
import { NAME_CHECK_TEXT } from './words/host-form.js'
import type { NameCheck } from './words/host-form.js'
import type { Tld } from '../../naming/name.js'
import type { CheckNameInit, CheckNameOptions, NameAvailability } from '../host/index.js'
import type { ReactiveController, ReactiveControllerHost } from 'lit'

/** Looks a name up (the host's `checkName`); given by the form's parent. */
export type NameChecker = (init: CheckNameInit, options: CheckNameOptions) => Promise<NameAvailability>

/** How long typing must pause before the name is looked up, in milliseconds. */
export const NAME_CHECK_DELAY_MS = 400

/**
 * A Lit controller that checks the name typed into the hosting form: the
 * name rules at once, then (once typing pauses for
 * {@link NAME_CHECK_DELAY_MS}) who holds it through a {@link NameChecker},
 * cancelling the lookup of what was typed before. Re-renders its host when
 * the answer changes; a lookup under way ends with the host.
 */
export class NameCheckController implements ReactiveController {
  /** Where the check stands. */
  state: NameCheck = 'empty'
  /** The name rule the label breaks, when {@link state} is `invalid`. */
  rule = ''

  private readonly host: ReactiveControllerHost
  /** Aborts the lookup under way (the person typed on). */
  private lookup: AbortController | undefined
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor (host: ReactiveControllerHost) {
    this.host = host
    host.addController(this)
  }

  hostDisconnected (): void {
    this.cancel()
  }

  /** What the form says about the name now (empty before anything is typed). */
  get text (): string {
    if (this.state === 'empty') {
      return ''
    }
    return this.state === 'invalid' ? `Invalid: ${this.rule}` : NAME_CHECK_TEXT[this.state]
  }

  /**
   * Check `label` under `.wia.<tld>`; without a `checker` only the name
   * rules are checked.
   */
  schedule (label: string, tld: Tld, checker: NameChecker | undefined): void {
    this.cancel()
    if (label === '') {
      this.set('empty')
      return
    }
    try {
      validateLabel(label)
    } catch (err) {
      this.rule = (err as Error).message
      this.set('invalid')
      return
    }
    if (checker == null) {
      this.set('empty')
      return
    }
    this.set('checking')
    const lookup = this.lookup = new AbortController()
    this.timer = setTimeout(() => {
      checker({ label, tld }, { signal: lookup.signal }).then(answer => {
        if (!lookup.signal.aborted) {
          this.set(answer)
        }
      }, () => {
        if (!lookup.signal.aborted) {
          this.set('unknown')
        }
      })
    }, NAME_CHECK_DELAY_MS)
  }

  /** Stop the lookup under way, if any (the answer it would give is no longer wanted). */
  cancel (): void {
    clearTimeout(this.timer)
    this.lookup?.abort()
    this.lookup = undefined
  }

  /** Say `state` (a publish that succeeded makes the name `yours`). */
  set (state: NameCheck): void {
    this.state = state
    this.host.requestUpdate()
  }
}
