/**
 * The API key must never leave the process except in the Authorization header.
 * core.setSecret masks it in the log; scrub() guards everything we write
 * ourselves (outputs, summary, ledger, error messages from libraries).
 */
export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text
  // Longest first, so a secret containing another is hidden whole.
  for (const secret of [...secrets].sort((a, b) => (b?.length ?? 0) - (a?.length ?? 0))) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***')
  }
  return out
}
