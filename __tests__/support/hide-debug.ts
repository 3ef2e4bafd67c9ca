// jest setupFiles: in-process tests call @actions/glob, which logs its options
// with core.debug, a `::debug::` workflow command written straight to
// process.stdout (so jest cannot attribute it to a test): ~135 lines per run.
// The runner hides ::debug:: lines unless step debug logging is on; so do the
// tests, unless RUNNER_DEBUG=1 or ACTIONS_STEP_DEBUG=true. Only whole writes
// of a debug command are dropped (core writes each command in one call); the
// end-to-end suites capture the bundle's stdout and are not concerned.

const HIDING = Symbol.for('draftclip.hideDebug')

const stdout = process.stdout as typeof process.stdout & { [HIDING]?: true }
if (process.env.RUNNER_DEBUG !== '1' && process.env.ACTIONS_STEP_DEBUG !== 'true' && !stdout[HIDING]) {
  const write = stdout.write.bind(stdout)
  stdout.write = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (typeof chunk === 'string' && chunk.startsWith('::debug::') && chunk.indexOf('\n') >= chunk.length - 2) {
      const callback = rest.find(a => typeof a === 'function') as (() => void) | undefined
      if (callback) process.nextTick(callback)
      return true
    }
    return Reflect.apply(write, stdout, [chunk, ...rest])
  }
  stdout[HIDING] = true
}

export {}
