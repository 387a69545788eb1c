// Replacing a file so that a reader, or the file system after a crash, sees the old file or the new
// one and never half of one: the content goes to a temp file beside the target, is fsynced, and is
// renamed over the target (rename(2) replaces a name atomically on one file system); the directory
// is then fsynced so the rename itself survives a crash. Every writer of Bosun's own files (keys,
// certificate bundles, the agent's state, generated policy files, Docker's config.json) uses this.
// Node built-ins only: the credential helper bundles it.
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fchownSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface TempFileOptions {
  /** Permission bits of the new file; the umask applies, as to any file a process creates. Default 0o600. */
  mode?: number;
  /** Sets `mode` exactly, whatever the umask (a file that must look a certain way to its readers). */
  exactMode?: boolean;
  /** Owner of the new file (only root may give a file away). */
  owner?: { uid: number; gid: number };
}

export interface AtomicWriteOptions extends TempFileOptions {
  /**
   * Keeps the file being replaced as `<path><backupSuffix>` (its content and mode), itself written
   * atomically before the replacement, so at every instant one of the two names holds the old content.
   */
  backupSuffix?: string;
}

/**
 * Writes `data` to a new temp file beside `path` and fsyncs it; returns the temp file's path. The
 * name is random (nobody can plant a file under it in advance, and the exclusive create refuses one
 * that exists), hidden (a leading dot keeps it apart from the docker CLI's own `config.json<digits>`
 * temp names) and says whose it is, should a crash leave it behind. On any error the temp file is removed.
 */
export function writeTempFile(path: string, data: string | Uint8Array, options: TempFileOptions = {}): string {
  const mode = options.mode ?? 0o600;
  const tmp = join(dirname(path), `.${basename(path)}.bosun-${randomBytes(8).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    if (options.exactMode) fchmodSync(fd, mode);
    if (options.owner) fchownSync(fd, options.owner.uid, options.owner.gid);
    fsyncSync(fd);
    closeSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  return tmp;
}

/**
 * Makes renames and creations in `dir` durable. Windows cannot open a directory for fsync; NTFS
 * journals the rename itself.
 */
export function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `path` with `data` atomically (temp file, fsync, rename, directory fsync); the temp file
 * is removed on any error. On Windows, Node's rename replaces an existing file too
 * (MoveFileEx with MOVEFILE_REPLACE_EXISTING). Returns the backup's path when one was made.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): string | undefined {
  const tmp = writeTempFile(path, data, options);
  let backup: string | undefined;
  try {
    if (options.backupSuffix !== undefined) backup = keepBackup(path, options.backupSuffix);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  syncDirectory(dirname(path));
  return backup;
}

/** Copies the current `path` (if any) to `<path><suffix>` atomically, with the same mode bits. */
function keepBackup(path: string, suffix: string): string | undefined {
  let previous: Buffer;
  let mode: number;
  try {
    previous = readFileSync(path);
    mode = statSync(path).mode & 0o7777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const backup = path + suffix;
  const tmp = writeTempFile(backup, previous, { mode, exactMode: true });
  try {
    renameSync(tmp, backup);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return backup;
}
