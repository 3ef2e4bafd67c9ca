// Types for prerequisites.js: what npm test runs besides Node.

import type { spawnSync } from 'node:child_process'

export interface Prerequisite {
  command: string
  args: string[]
  /** The Debian package that brings it. */
  package: string
  /** The oldest [major, minor] accepted, when it matters. */
  min?: [number, number]
  why: string
}

export const INSTALL: string
export const PREREQUISITES: Prerequisite[]
export function versionOf(firstLine: string): [number, number] | null
export function prerequisiteProblems(run?: typeof spawnSync): string[]
export function prerequisiteError(problems: string[]): Error
