import { describe, it, expect, jest, afterEach } from '@jest/globals'
import { logger, safeLine } from '../../src/github/log.js'
import type { Video } from '../../src/model/video.js'

describe('safeLine', () => {
  it('keeps a name with a newline and a workflow command on one line', () => {
    const line = safeLine('videos/a.mp4\n::warning::x')
    expect(line).toBe('videos/a.mp4 ⏎ ::warning::x')
    expect(line.split(/\r\n|\r|\n|\u2028|\u2029/)).toHaveLength(1)
  })

  it.each([
    ['a\r\n::error::b', 'a ⏎ ::error::b'],
    ['a\r::error::b', 'a ⏎ ::error::b'],
    ['a\u2028::error::b\u2029c', 'a ⏎ ::error::b ⏎ c']
  ])('joins every kind of line break in %j', (text, expected) => {
    expect(safeLine(text)).toBe(expected)
  })

  it.each([
    ['::add-mask::x', '› ::add-mask::x'],
    ['  ::set-output name=a::b', '›   ::set-output name=a::b'],
    ['\t::stop-commands::t', '› \t::stop-commands::t']
  ])('prefixes %j, which the runner would read as a command', (text, expected) => {
    expect(safeLine(text)).toBe(expected)
  })

  it('prefixes a line that a break turned into a command start', () => {
    expect(safeLine('\n::warning::x')).toBe(' ⏎ ::warning::x')
    expect(safeLine('\n::warning::x').trimStart().startsWith('::')).toBe(false)
  })

  it.each([
    ['videos/\u001b[2K\u001b[1Aclip.mp4', 'videos/␛[2K␛[1Aclip.mp4'],
    ['a\u0000b\u0007c\u007fd\u009be', 'a␀b␇c␡d\ufffde'],
    ['clip\u202egpj.mp4', 'clip\ufffdgpj.mp4'],
    ['x\u2066y\u2069', 'x\ufffdy\ufffd'],
    ['a\tb', 'a\tb']
  ])('shows the control characters in %j instead of obeying them', (text, expected) => {
    expect(safeLine(text)).toBe(expected)
  })

  it.each(['uploading (10.0 MB, SELF_ONLY)', 'a: b :: c', ': one colon', '', 'vidéo 動画 🎬.mp4'])(
    'leaves plain text %j unchanged',
    text => {
      expect(safeLine(text)).toBe(text)
    }
  )
})

describe('logger', () => {
  const written: string[] = []
  afterEach(() => {
    jest.restoreAllMocks()
    written.length = 0
  })
  const capture = (): void => {
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    })
  }

  const video = { file: 'videos/a\n::error::x.mp4' } as Video

  it('writes info lines scrubbed and on one line', () => {
    capture()
    logger(['ttapi_secret_key_123']).info('key ttapi_secret_key_123\n::error::boom')
    expect(written.join('')).toBe('key *** ⏎ ::error::boom\n')
  })

  it('shows control characters in an annotation too (the runner escapes only its own separators)', () => {
    capture()
    logger(['ttapi_secret_key_123']).error('videos/\u001b[8mclip.mp4: refused', 'videos/x.mp4', 'Refused')
    expect(written.join('')).toBe('::error title=Refused,file=videos/x.mp4::videos/␛[8mclip.mp4: refused\n')
  })

  it("marks a problem's line on the file when the problem names one", () => {
    capture()
    logger([]).error('line 4: "publish_at" is not a date-time', 'videos/a.mp4.draftclip.json', 'T')
    logger([]).error('line 4 is fine', 'videos/b.mp4', 'T')
    expect(written.join('')).toBe(
      '::error title=T,file=videos/a.mp4.draftclip.json,line=4::line 4: "publish_at" is not a date-time\n' +
        '::error title=T,file=videos/b.mp4::line 4 is fine\n'
    )
  })

  it("keeps a video's lines, prefixed with its file, and groups them when it is done", () => {
    capture()
    let t = 1_000
    const log = logger(['ttapi_secret_key_123'], () => t).video(video)
    log.info('uploading')
    t = 3_500
    log.info('uploaded with ttapi_secret_key_123')
    log.done({ status: 'PROCESSING_UPLOAD', publish_id: 'p1' } as never)
    expect(written.join('')).toBe(
      [
        'videos/a ⏎ ::error::x.mp4: uploading',
        'videos/a ⏎ ::error::x.mp4: uploaded with ***',
        '::group::videos/a ⏎ ::error::x.mp4: PROCESSING_UPLOAD (p1)',
        '[+0.0s] uploading',
        '[+2.5s] uploaded with ***',
        '::endgroup::',
        ''
      ].join('\n')
    )
  })
})
