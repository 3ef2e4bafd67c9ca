import { afterAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { RunInfo } from '../../src/model/video.js'
import { checkVideos, VideoCheckError, type FileProblem, type VideoSettings } from '../../src/videos/check.js'
import { fixture } from '../support/action.js'

/** A video whose container cannot be read is never passed silently under media-check: error. */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-check-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

const copy = (...names: string[]): string[] =>
  names.map(name => {
    fs.copyFileSync(fixture(name), path.join(tmp, name))
    return path.join(tmp, name)
  })
const settings = (mediaCheck: 'error' | 'warn'): VideoSettings => ({
  description: 'caption',
  privacyLevel: 'SELF_ONLY',
  title: undefined,
  workspace: tmp,
  mediaCheck,
  maxDuration: 600
})
const noRun = async (): Promise<RunInfo> => ({ vars: {}, event: '' })

describe('checkVideos: a cut file (no moov)', () => {
  it('error: refused, naming the file and what is wrong with it; a good file beside it does not save it', async () => {
    const error = await checkVideos(copy('h264-faststart.mp4', 'cut-no-moov.mp4'), settings('error'), noRun).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VideoCheckError)
    const problems = (error as VideoCheckError).problems
    expect(problems.map(p => path.basename(p.file))).toEqual(['cut-no-moov.mp4'])
    expect(problems[0].problem).toMatch(/incomplete or damaged: it has no 'moov' box/)
  })

  it('warn: uploaded with a warning, and no media', async () => {
    const warnings: FileProblem[] = []
    const videos = await checkVideos(copy('cut-no-moov.mp4'), settings('warn'), noRun, undefined, w => warnings.push(w))
    expect(videos).toHaveLength(1)
    expect(warnings.map(w => path.basename(w.file))).toEqual(['cut-no-moov.mp4'])
    expect(warnings[0].problem).toContain('file_format_check_failed')
  })
})
