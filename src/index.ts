import { setFlagsFromString } from 'node:v8'

// undici parses HTTP with a small WebAssembly module, which V8 re-compiles with
// its optimising tier in the background after first use; Node then waits
// ~0.2 s at exit for a compile that brings nothing to a handful of responses,
// and it peaks ~35 MB higher. The baseline tier parses them just as well.
// Set before main (and undici) load, hence the dynamic import. On Node 24
// (V8 13.6), --liftoff-only set at run time no longer stops that tier-up (set
// at start-up it still does), hence the two --no-wasm-* flags: without them a
// run that parses many responses peaks ~17 MB higher. Maglev and TurboFan
// were tried off too (2-4 MB less) and kept on: a queue of thousands of videos
// is CPU-bound enough that a run without them was ~25 % slower.
// V8 doubles the young generation (to 2 x 16 MB) once a run keeps many objects
// alive across scavenges (a queue of videos); collecting a little more often
// instead keeps a 2,000-video run ~20 MB lower, at no measurable cost.
for (const flag of ['--liftoff-only', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering', '--semi-space-growth-factor=1']) {
  setFlagsFromString(flag)
}

const { run } = await import('./main.js')
await run()
