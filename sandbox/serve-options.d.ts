import type { SandboxOptions } from './server.js'

export const DEFAULT_PORT: number
export const OPTIONS_HELP: string

export function parseServeArgs(
  argv: string[],
  env?: Record<string, string | undefined>
): { help: boolean; port: number; options: SandboxOptions; scripted: string[] }
