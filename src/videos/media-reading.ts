import type { Media } from '../model/video.js'

/** What a container reader yields, and what it reads from: the words the readers (ISO, AVI) and the rules share. */

export type Container = 'iso' | 'avi'

export type Reading =
  /** `missingBytes`: the file ends before the data its own tables describe (a cut download): that many bytes are gone, of a file of `fileBytes`. */
  | { kind: 'video'; container: Container; media: Media; missingBytes?: number; fileBytes?: number }
  /** A container with no video track: an audio-only file. */
  | { kind: 'no-video'; container: Container; audio: boolean }
  /** Damaged: metadata missing, cut short, or claiming what it cannot hold; `why` says which. */
  | { kind: 'unreadable'; container: Container; why: string }
  /** Not damaged, but its metadata lies beyond what the check reads (the caps on boxes and bytes): `why` (the rules give the remux that fixes it). */
  | { kind: 'unjudged'; container: Container; why: string }

/** Positioned reads of a file: the walk asks only for what it needs. */
export interface ByteSource {
  size: number
  read(offset: number, length: number): Promise<Buffer>
}

/** Where the data a file's tables describe ends past its end: how much is missing, beside the file's own size. */
export function cutShort(dataEnd: number, size: number): { missingBytes?: number; fileBytes?: number } {
  return dataEnd > size ? { missingBytes: dataEnd - size, fileBytes: size } : {}
}
