import { cutShort, type ByteSource, type Reading } from './media-reading.js'
import { boxAt, Damaged } from './media-boxes.js'
import { addMoof, noFragments, readSidx, type Fragments, type SegmentIndex } from './media-fragments.js'
import { parseMoov, type Movie } from './media-moov.js'
import { codecName, round, FPS_DIGITS } from './media-names.js'

/**
 * An ISO-BMFF file (MP4, MOV) read from its box headers and metadata only:
 * the top-level boxes are walked, `moov` is parsed wherever it is, and for a
 * fragmented file each `moof` (and a `sidx`) after it; `mdat` is never read.
 */

/** A moov, or all the moofs together, larger than this is not metadata we will hold in memory (a 10-minute 60 fps video's moov is under 1 MB). */
export const MAX_METADATA_BYTES = 32 * 1024 * 1024
/** The walk gives up after this many top-level boxes (a fragmented file has a pair per fragment). */
export const MAX_TOP_BOXES = 100_000

/** What the walk over the top-level boxes found. */
interface Walk {
  movie: Movie | undefined
  fragments: Fragments
  index: SegmentIndex | undefined
  /** Where the walk gave up at a cap, before the end of the file. */
  stoppedAt: number | undefined
  /** The end of a top-level box that runs past the end of the file (it was cut inside it). */
  cutInside: number | undefined
}

export async function readIso(source: ByteSource): Promise<Reading> {
  let where = 'moov'
  try {
    const walk = await walkBoxes(source, type => (where = type))
    return typeof walk === 'string' ? unreadable(walk) : judgeWalk(walk, source.size)
  } catch (error) {
    if (error instanceof Damaged || error instanceof RangeError) return unreadable(`its '${where}' box does not parse (${error.message})`)
    throw error
  }
}

const unreadable = (why: string): Reading => ({ kind: 'unreadable', container: 'iso', why })

/** The top-level boxes, headers only but for moov, moof and sidx; a string says why the file is damaged. */
async function walkBoxes(source: ByteSource, parsing: (type: string) => void): Promise<Walk | string> {
  const walk: Walk = { movie: undefined, fragments: noFragments(), index: undefined, stoppedAt: undefined, cutInside: undefined }
  let metadata = 0
  for (let at = 0, n = 0; at < source.size; n++) {
    if (n === MAX_TOP_BOXES) return { ...walk, stoppedAt: at }
    const box = boxAt(await source.read(at, 16), 0, source.size - at)
    if (!box) {
      // Fewer bytes than a box header at the end: a file cut a few bytes into a box.
      if (source.size - at < 16) return { ...walk, cutInside: at + 16 }
      return `a box header at byte ${at} does not parse`
    }
    const end = at + box.end
    if (box.type === 'moov' && end > source.size) return `its 'moov' box is cut short (the file ends at byte ${source.size} of ${end})`
    if (end > source.size) return { ...walk, cutInside: end }
    const wanted = box.type === 'moov' || (walk.movie?.fragmented && box.type === 'moof') || (box.type === 'sidx' && !walk.index)
    if (wanted) {
      if (metadata + box.end > MAX_METADATA_BYTES) return { ...walk, stoppedAt: at }
      metadata += box.end
      parsing(box.type)
      const bytes = await source.read(at, box.end)
      if (box.type === 'moov') walk.movie = parseMoov(bytes)
      else if (box.type === 'moof') addMoof(bytes, at, walk.movie!.defaults, walk.fragments)
      else walk.index = readSidx(bytes, at)
      // Every sample of an unfragmented file is in moov's tables: nothing after it matters.
      if (walk.movie && !walk.movie.fragmented) return walk
    }
    at = end
  }
  return walk
}

/** The reading of a walk: the first video track's media, or why it cannot be judged, and how much of the file is missing. */
function judgeWalk(walk: Walk, size: number): Reading {
  const { movie } = walk
  if (!movie) {
    if (walk.stoppedAt !== undefined)
      return unjudged(
        `its 'moov' box is not within the first ${MAX_TOP_BOXES.toLocaleString('en-US')} boxes and ${MAX_METADATA_BYTES / 1024 / 1024} MB of metadata, where the check stops reading`
      )
    return unreadable("it has no 'moov' box (the metadata an unfinished render or a cut download lacks)")
  }
  const audio = movie.tracks.some(t => t.handler === 'soun')
  const video = movie.tracks.find(t => t.handler === 'vide')
  if (!video) return { kind: 'no-video', container: 'iso', audio }
  const fragments = walk.fragments.tracks.get(video.id)
  const frames = video.frames + (fragments?.frames ?? 0)
  const ticks = video.ticks + (fragments?.ticks ?? 0)
  let seconds = fragments ? Math.max(fragments.until, ticks) / video.timescale : (video.duration || video.ticks) / video.timescale
  if (walk.stoppedAt !== undefined) {
    const known = movie.fragmentDuration && movie.timescale ? movie.fragmentDuration / movie.timescale : walk.index?.seconds
    if (!known)
      return unjudged(
        `it is a fragmented MP4 whose fragments go on past the first ${MAX_TOP_BOXES.toLocaleString('en-US')} boxes, where the check stops reading, and no 'mehd' or 'sidx' box says its duration`
      )
    seconds = known
  }
  if (!(video.timescale > 0 && frames > 0 && ticks > 0 && seconds > 0)) {
    return unreadable(
      movie.fragmented
        ? "its video track has no frames or timing in 'moov' nor in any fragment after it"
        : "its video track has no frames or timing in 'moov' (an empty track)"
    )
  }
  let width = Math.round(video.width) || video.entryWidth
  let height = Math.round(video.height) || video.entryHeight
  if (video.quarterTurn) [width, height] = [height, width]
  const dataEnd = Math.max(walk.cutInside ?? 0, walk.fragments.dataEnd, walk.index?.dataEnd ?? 0, ...movie.tracks.map(t => t.dataEnd))
  return {
    kind: 'video',
    container: 'iso',
    media: {
      duration: round(seconds, 3),
      width,
      height,
      fps: round(frames / (ticks / video.timescale), FPS_DIGITS),
      codec: codecName(video.entry),
      audio
    },
    ...cutShort(dataEnd, size)
  }
}

const unjudged = (why: string): Reading => ({ kind: 'unjudged', container: 'iso', why })
