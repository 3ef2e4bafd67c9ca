import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import { readMedia } from '../../src/videos/media.js'
import { fixture } from '../support/action.js'

describe('an AVI with two video streams', () => {
  it('is judged by its first video stream alone: size, codec, fps and length all from it', async () => {
    // script/make-fixtures.sh: stream 0 is 360x640 h264 at 25 fps, stream 1 is 100x100 mpeg4 at 5 fps.
    const file = fixture('two-video-streams.avi')
    expect(await readMedia(file, fs.statSync(file).size, 'avi')).toEqual({
      kind: 'video',
      container: 'avi',
      media: { duration: 1, width: 360, height: 640, fps: 25, codec: 'h264', audio: false }
    })
  })
})
