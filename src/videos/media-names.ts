/** Names and numbers every container's reading shares: codecs by their short names, and fps rounded once. */

const CODECS: Record<string, string> = {
  avc1: 'h264',
  avc2: 'h264',
  avc3: 'h264',
  avc4: 'h264',
  hvc1: 'hevc',
  hev1: 'hevc',
  dvh1: 'hevc',
  dvhe: 'hevc',
  vp08: 'vp8',
  vp09: 'vp9',
  av01: 'av1',
  mp4v: 'mpeg4',
  apcn: 'prores',
  apch: 'prores',
  apcs: 'prores',
  apco: 'prores',
  ap4h: 'prores',
  ap4x: 'prores',
  jpeg: 'mjpeg',
  mjpa: 'mjpeg',
  mjpb: 'mjpeg',
  s263: 'h263',
  h263: 'h263',
  // AVI's BITMAPINFOHEADER biCompression (matched in lower case)
  h264: 'h264',
  x264: 'h264',
  hevc: 'hevc',
  h265: 'hevc',
  xvid: 'mpeg4',
  divx: 'mpeg4',
  dx50: 'mpeg4',
  fmp4: 'mpeg4',
  mjpg: 'mjpeg',
  vp80: 'vp8',
  vp90: 'vp9'
}

/** The short name of a sample entry or fourcc; an unknown one keeps its own name, printable. */
export function codecName(fourcc: string): string {
  const key = fourcc.toLowerCase()
  return CODECS[key] ?? (key.replace(/[^\x21-\x7e]/g, '').trim() || 'unknown')
}

/** fps is rounded once, here, from the exact frames / duration: the rules judge the value shown (60.0045 is 60). */
export const FPS_DIGITS = 2

export function round(value: number, digits: number): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}
