import type { Attempt, DraftClip, UploadRequest } from '../../src/model/ports.js'

/** DraftClip's 200 with this JSON body, as the client records an attempt. */
export const jsonAnswer = (json: unknown): Attempt => ({
  kind: 'answer',
  httpStatus: 200,
  json,
  text: JSON.stringify(json),
  retryAfter: undefined,
  bodySent: true
})

/** A DraftClip that takes every upload (reading its bytes) and says PUBLISH_COMPLETE on the first status request. */
export function fakeDraftClip(): DraftClip & { uploaded: string[]; asked: string[] } {
  const uploaded: string[] = []
  const asked: string[] = []
  return {
    uploaded,
    asked,
    async upload(video: UploadRequest) {
      for await (const piece of video.chunks()) void piece
      uploaded.push(video.name)
      return jsonAnswer({ success: true, data: { publish_id: `p-${video.name}`, status: 'PROCESSING_UPLOAD' } })
    },
    async status(publishId: string) {
      asked.push(publishId)
      return jsonAnswer({ success: true, data: { publish_id: publishId, status: 'PUBLISH_COMPLETE', publicaly_available_post_id: '' } })
    },
    close: () => Promise.resolve()
  }
}
