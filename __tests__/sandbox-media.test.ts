import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import * as fs from 'node:fs'
import { MediaSniffer } from '../sandbox/media.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'
import { fixture } from './support/action.js'

const KEY = 'ttapi_sandbox_key'

/** Uploads a file as the action does (multipart), then polls until DraftClip calls it complete. */
async function publish(sb: Sandbox, name: string, bytes: Buffer): Promise<Record<string, unknown>> {
  const form = new FormData()
  form.append('description', 'media check')
  form.append('video', new Blob([new Uint8Array(bytes)], { type: 'video/mp4' }), name)
  const auth = { authorization: `Bearer ${KEY}` }
  const up = (await (await fetch(`${sb.url}/api/upload.php`, { method: 'POST', headers: auth, body: form })).json()) as {
    data: { publish_id: string }
  }
  for (;;) {
    const res = (await (await fetch(`${sb.url}/api/video_status.php?publish_id=${up.data.publish_id}`, { headers: auth })).json()) as {
      data: Record<string, unknown>
    }
    if (res.data.is_complete) return res.data
  }
}

describe("the sandbox's TikTok media check", () => {
  let sb: Sandbox
  beforeAll(async () => {
    sb = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1 })
  })
  afterAll(async () => {
    await sb.close()
  })

  it.each([
    ['12min.mp4', 'duration_check_failed'],
    ['5fps.mp4', 'frame_rate_check_failed'],
    ['100x100.mp4', 'picture_size_check_failed'],
    ['audio-only.mp4', 'file_format_check_failed'],
    ['cut-no-moov.mp4', 'file_format_check_failed'],
    ['mpeg4-part2.mp4', 'file_format_check_failed'],
    ['prores.mov', 'file_format_check_failed'],
    ['mjpeg.mov', 'file_format_check_failed'],
    ['lfs-pointer.mp4', 'file_format_check_failed'],
    ['cut-piped.avi', 'file_format_check_failed']
  ])('ends %s FAILED with %s, as TikTok would', async (name, reason) => {
    const data = await publish(sb, name, fs.readFileSync(fixture(name)))
    expect(data).toMatchObject({ status: 'FAILED', fail_reason: reason })
  })

  it.each([
    'h264-faststart.mp4',
    'h264-moov-at-end.mp4',
    'hevc.mp4',
    'vp9.mp4',
    'rotated.mp4',
    'clip.mov',
    'clip.avi',
    'piped.avi',
    'tiny.mp4'
  ])('publishes %s', async name => {
    expect(await publish(sb, name, fs.readFileSync(fixture(name)))).toMatchObject({ status: 'PUBLISH_COMPLETE' })
  })

  it("judges the account's own ceiling when given one (maxDuration)", async () => {
    const short = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1, maxDuration: 1 })
    try {
      expect(await publish(short, 'clip.mov', fs.readFileSync(fixture('clip.mov')))).toMatchObject({ fail_reason: 'duration_check_failed' })
    } finally {
      await short.close()
    }
  })

  it('ends an AVI whose stream header claims more than its list holds FAILED, as a damaged file (it answered 500)', async () => {
    const bytes = Buffer.from(fs.readFileSync(fixture('clip.avi')))
    // strh's size sends strf's reading past the header's 64 KiB.
    bytes.writeUInt32LE(0x00100000, bytes.indexOf('strh') + 4)
    expect(await publish(sb, 'damaged.avi', bytes)).toMatchObject({ status: 'FAILED', fail_reason: 'file_format_check_failed' })
  })

  it('a scripted outcome for the file still wins', async () => {
    sb.setFile('5fps.mp4', { final: 'PUBLISH_COMPLETE' })
    expect(await publish(sb, '5fps.mp4', fs.readFileSync(fixture('5fps.mp4')))).toMatchObject({ status: 'PUBLISH_COMPLETE' })
  })

  it.each(['h264-moov-at-end.mp4', '12min.mp4', 'clip.avi', 'piped.avi', 'rotated.mp4'])(
    'reads %s the same whatever the chunks it arrives in (a box header split across them too)',
    name => {
      const bytes = fs.readFileSync(fixture(name))
      const whole = new MediaSniffer(name)
      whole.write(bytes)
      for (const step of [1, 7, 13, 4096]) {
        const sniffer = new MediaSniffer(name)
        for (let at = 0; at < bytes.length; at += step) sniffer.write(bytes.subarray(at, at + step))
        expect(sniffer.reading()).toEqual(whole.reading())
      }
      expect(whole.reading()).toMatchObject({ width: 360, height: 640 })
    }
  )

  it('counts the frames of an AVI written to a pipe as they pass (its header says none): the same video as clip.avi', () => {
    const read = (name: string): unknown => {
      const sniffer = new MediaSniffer(name)
      sniffer.write(fs.readFileSync(fixture(name)))
      return sniffer.reading()
    }
    expect(read('piped.avi')).toEqual(read('clip.avi'))
    expect(read('piped.avi')).toMatchObject({ duration: 2, fps: 25 })
    expect(read('cut-piped.avi')).toEqual({ format: 'cut' })
  })

  it('finds a moov after a 64-bit mdat, and keeps no more than the moov', () => {
    const bytes = fs.readFileSync(fixture('h264-moov-at-end.mp4'))
    const mdatAt = bytes.indexOf('mdat') - 4
    const mdatSize = bytes.readUInt32BE(mdatAt)
    // The same mdat with a 64-bit size: 16 bytes of header instead of 8.
    const large = Buffer.alloc(16)
    large.writeUInt32BE(1, 0)
    large.write('mdat', 4, 'latin1')
    large.writeBigUInt64BE(BigInt(mdatSize + 8), 8)
    const rewritten = Buffer.concat([bytes.subarray(0, mdatAt), large, bytes.subarray(mdatAt + 8)])
    const sniffer = new MediaSniffer('big.mp4')
    sniffer.write(rewritten)
    expect(sniffer.failReason()).toBeNull()
    expect(sniffer.reading()).toMatchObject({ fps: 30, width: 360, height: 640 })
  })
})
