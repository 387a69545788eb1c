import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Makes the rename durable. Windows cannot open a directory for fsync; NTFS journals the rename. */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `data` to `file` so that a reader sees the old file or the new one, never half of one:
 * temp file in the same directory, fsync, rename. An existing file is first copied to `<file>.bak`.
 * Returns the backup's path when one was made.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): string | undefined {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  let backup: string | undefined;
  const fd = openSync(temp, 'wx', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    if (existsSync(file)) copyFileSync(file, (backup = `${file}.bak`));
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  syncDirectory(dirname(file));
  return backup;
}
