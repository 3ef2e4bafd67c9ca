// Types for statuses.js: DraftClip's publish statuses.

export type Status = 'PROCESSING_UPLOAD' | 'PROCESSING' | 'PUBLISH_COMPLETE' | 'FAILED' | 'SEND_TO_USER_INBOX'

export interface StatusInfo {
  /** data.status_label */
  readonly label: string
  /** data.status_description, and the response's message */
  readonly description: string
  /** data.is_complete: the status is final */
  readonly complete: boolean
}

export const STATUSES: Readonly<Record<Status, StatusInfo>>
