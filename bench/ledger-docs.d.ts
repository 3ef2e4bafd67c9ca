// Types for ledger-docs.js: the branch ledger's counts as docs/reliability.md states them.

export interface Counts {
  requests: number
  commits: number
}

/** concurrency -> videos -> counts. */
export type DocumentedCounts = Record<number, Record<number, Counts>>

export function documentedCounts(markdown: string): DocumentedCounts
export function countDifferences(measured: ({ videos: number } & Counts)[], documented: DocumentedCounts, concurrency: number): string[]
