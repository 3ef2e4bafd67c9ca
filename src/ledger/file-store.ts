import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import type { LedgerStore } from '../model/ports.js'
import { LedgerError } from './format.js'

/**
 * The ledger as a file of the workspace (committed back by a later step, or
 * kept in a cache). Each write is the whole document to a temporary file,
 * renamed over the ledger: a reader (or a killed run's next one) sees the old
 * ledger or the new one, never part of one. Nobody else writes it during the
 * run, so a write is never stale.
 */
export class FileStore implements LedgerStore {
  /** The ledger's folder, made once (again only if it goes away). */
  private folder: Promise<unknown> | undefined
  /** Written since the last fsync: settle() makes the final state durable. */
  private unsynced = false

  private constructor(
    /** The file written: the target when the ledger is a symbolic link, so the link keeps pointing at it. */
    readonly file: string,
    readonly shownAs: string
  ) {}

  /** The store for `file`; a link is followed (to where it points, even when nothing is there yet). */
  static async at(file: string, shownAs: string): Promise<FileStore> {
    try {
      return new FileStore(await fs.realpath(file), shownAs)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // A link to a ledger not written yet: it is created where the link points.
      if (code === 'ENOENT') return new FileStore(await linkTarget(file), shownAs)
      throw new LedgerError(shownAs, `cannot be read (${code})`)
    }
  }

  /** A missing file is no ledger yet; an unreadable one is an error. */
  async read(): Promise<string | undefined> {
    try {
      return await fs.readFile(this.file, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return undefined
      throw new LedgerError(this.shownAs, `cannot be read (${code})`)
    }
  }

  /**
   * No fsync per write: what a write() and rename() left in the page cache outlives the
   * process (a cancelled or crashed run), which is the failure this guards against;
   * settle() syncs the final state once.
   */
  async write(bytes: Uint8Array): Promise<boolean> {
    this.unsynced = true
    const temp = `${this.file}.${process.pid}.tmp`
    for (let attempt = 0; ; attempt++) {
      this.folder ??= fs.mkdir(path.dirname(this.file), { recursive: true }).catch((error: Error) => {
        this.folder = undefined
        throw error
      })
      await this.folder
      try {
        await fs.writeFile(temp, bytes)
        break
      } catch (error) {
        // A part written before the disk filled must not be left for a commit step to pick up.
        await fs.rm(temp, { force: true }).catch(() => undefined)
        // The folder went away meanwhile: make it again, once.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 0) throw error
        this.folder = undefined
      }
    }
    try {
      await fs.rename(temp, this.file)
    } catch (error) {
      await fs.rm(temp, { force: true }).catch(() => undefined)
      throw error
    }
    return true
  }

  /** The ledger's bytes flushed to the disk once, when the run is done with it (its folder is not synced: a lost VM loses the step that commits it anyway). */
  async settle(): Promise<void> {
    if (!this.unsynced) return
    this.unsynced = false
    const handle = await fs.open(this.file, 'r+')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  }
}

/** Where a symbolic link that points at nothing yet would have its file; the path itself when it is no link. */
async function linkTarget(file: string): Promise<string> {
  try {
    const target = await fs.readlink(file)
    return path.resolve(path.dirname(file), target)
  } catch {
    return file
  }
}
