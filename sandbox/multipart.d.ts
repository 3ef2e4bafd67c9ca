// Types for multipart.js, the sandbox's streaming multipart/form-data parser.

export class MultipartError extends Error {}

export interface PartInfo {
  name: string | undefined
  /** undefined when the part has no filename parameter (a text field). */
  filename: string | undefined
  contentType: string | undefined
  /** Lower-cased header names. */
  headers: Record<string, string>
}

export interface MultipartCallbacks {
  onPartBegin?(part: PartInfo): void
  /** A view into the written chunk: copy it to keep it. */
  onPartData?(data: Buffer): void
  onPartEnd?(): void
  onEnd?(): void
}

export class MultipartParser {
  constructor(boundary: string, callbacks?: MultipartCallbacks)
  readonly done: boolean
  /** Throws MultipartError on malformed input. */
  write(chunk: Buffer): void
  /** Throws MultipartError unless the closing delimiter was seen. */
  end(): void
}

export function getBoundary(contentType: string | undefined): string | null

export function parseContentDisposition(value: string | undefined): {
  type: string
  name?: string
  filename?: string
  params: Record<string, string>
}
