/**
 * The site worker's log, with `@libp2p/logger`'s call shape (`log(format,
 * ...args)`, `log.error(...)`) and format specifiers (`%s %d %c %e %p %a
 * %o %O`). `@libp2p/logger` enables its namespaces from `localStorage.debug`
 * or `process.env.DEBUG`, neither of which a service worker has, so in the
 * worker it printed nothing at all, errors included. Here errors go to
 * `console.error` and the rest to `console.debug` (DevTools' "Verbose"
 * level), each line prefixed with its namespace.
 */
export interface WorkerLogger {
  (format: string, ...args: unknown[]): void
  error(format: string, ...args: unknown[]): void
}

/** `format` with each `%x` replaced by the next argument in words (`%e`: the error's stack or message). */
export function formatLine (format: string, args: readonly unknown[]): string {
  let next = 0
  return format.replace(/%([a-zA-Z%])/g, (match: string, kind: string) => {
    if (kind === '%') {
      return '%'
    }
    if (next >= args.length) {
      return match
    }
    const arg = args[next++]
    if (kind === 'e' && arg instanceof Error) {
      return arg.stack ?? `${arg.name}: ${arg.message}`
    }
    if (kind === 'o' || kind === 'O') {
      try {
        return JSON.stringify(arg)
      } catch {
        return String(arg)
      }
    }
    return String(arg)
  })
}

/** A logger for one namespace of the worker (`wia:sw:site`). */
export function logger (namespace: string): WorkerLogger {
  // eslint-disable-next-line no-console -- the worker's debug lines, at DevTools' "Verbose" level
  const log = (format: string, ...args: unknown[]): void => { console.debug(`${namespace} ${formatLine(format, args)}`) }
  log.error = (format: string, ...args: unknown[]): void => { console.error(`${namespace} ${formatLine(format, args)}`) }
  return log
}
