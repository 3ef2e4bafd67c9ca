import { judgeUpload } from '../draftclip/retry-policy.js'
import type { DraftClip } from '../model/ports.js'
import type { Reach } from './lifecycle.js'

/**
 * How far one video's upload got, as a cancelled job must know it (lifecycle.interrupted):
 * whether an attempt is out whose outcome is not settled, and whether the client held its
 * last bytes back when the job was cancelled. Without one, a video is taken to have left.
 */
export class UploadWire {
  private out = false
  private held = false

  reach(): Reach {
    if (this.held) return 'held-back'
    return this.out ? 'may-have-left' : 'none-out'
  }

  /** `client`, with this video's attempts watched; `signal`: the cancelled job, when the client holds back last bytes not yet sent. */
  watch(client: DraftClip, signal: AbortSignal | undefined): DraftClip {
    return {
      upload: async video => {
        this.out = true
        const attempt = await client.upload({ ...video, signal, onHeldBack: () => (this.held = true) })
        // Certainly not taken, by the retry policy's own word: nothing of it is out any more.
        if (judgeUpload(attempt).kind === 'retry') this.out = false
        return attempt
      },
      status: (publishId, timeoutMs, statusSignal) => client.status(publishId, timeoutMs, statusSignal),
      close: () => client.close()
    }
  }
}
