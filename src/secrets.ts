/**
 * The API key must never leave the process except in the Authorization header.
 * core.setSecret masks it whole in the log; scrub() guards everything the
 * action writes (log lines, outputs, summary, annotations, ledger), and also
 * hides any part of it: an echo cut short (by us or by the server) must not
 * leave the key's first characters behind.
 */

/** A run of this many characters of a secret is hidden wherever it appears. */
export const SECRET_RUN = 8

/** A copy of a record with every string field scrubbed (results, ledger entries). */
export function scrubStrings<T extends object>(record: T, secrets: readonly (string | undefined)[]): T {
  const clean = { ...record } as Record<string, unknown>
  for (const [key, value] of Object.entries(clean)) if (typeof value === 'string') clean[key] = scrub(value, secrets)
  return clean as T
}

export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  const hidden: [number, number][] = []
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue
    const run = Math.min(SECRET_RUN, secret.length)
    for (let i = 0; i + run <= secret.length; i++) {
      const piece = secret.slice(i, i + run)
      for (let at = text.indexOf(piece); at >= 0; at = text.indexOf(piece, at + 1)) hidden.push([at, at + run])
    }
  }
  if (hidden.length === 0) return text
  hidden.sort((a, b) => a[0] - b[0])
  let out = ''
  let from = 0
  let end = -1
  for (const [start, stop] of hidden) {
    if (start > end) {
      if (end >= 0) out += '***'
      out += text.slice(from, start)
    }
    end = Math.max(end, stop)
    from = end
  }
  return out + '***' + text.slice(from)
}
