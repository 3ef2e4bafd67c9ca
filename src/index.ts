import { setFlagsFromString } from 'node:v8'

// undici parses HTTP with a small WebAssembly module, which V8 re-compiles with
// its optimising tier in the background after first use; Node then waits
// ~0.2 s at exit for a compile that brings nothing to a handful of responses,
// and it peaks ~35 MB higher. The baseline tier parses them just as well.
// Set before main (and undici) load, hence the dynamic import.
setFlagsFromString('--liftoff-only')

const { run } = await import('./main.js')
await run()
