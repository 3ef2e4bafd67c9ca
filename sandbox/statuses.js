// DraftClip's publish statuses as /api/video_status.php describes them: the
// label, the description (also the response's `message`) and whether the
// status is final. One table for the sandbox (sandbox/server.js) and the
// benchmark's sink (bench/sink.js).

export const STATUSES = Object.freeze({
  PROCESSING_UPLOAD: Object.freeze({ label: 'Uploading', description: 'Video is being uploaded to TikTok servers', complete: false }),
  PROCESSING: Object.freeze({ label: 'Processing', description: 'Video is being processed by TikTok', complete: false }),
  PUBLISH_COMPLETE: Object.freeze({ label: 'Published', description: 'Video has been successfully published', complete: true }),
  FAILED: Object.freeze({ label: 'Failed', description: 'Video upload/processing failed', complete: true }),
  SEND_TO_USER_INBOX: Object.freeze({ label: 'Sent to inbox', description: 'Video sent to inbox (draft mode)', complete: true })
})
