// Reads one admin file defensively: a directory, a broken symlink, a FIFO, a huge file, an
// unreadable file, or a file replaced while it is being read each give an admin-readable message
// instead of a crash, a hang or a half-read policy.
import { constants } from 'node:fs';
import { lstat, open, readlink, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';

export const DEFAULT_MAX_BYTES = 1024 * 1024;
const ATTEMPTS = 3;

export type SafeReadResult = { kind: 'absent' } | { kind: 'file'; bytes: Buffer; path: string } | { kind: 'error'; message: string };

export interface SafeReadOptions {
  maxBytes?: number;
  /**
   * Called after the content was read and before the identity is checked again. Tests use it to
   * replace the file by rename in that window; it cannot widen what is accepted.
   */
  afterRead?: (attempt: number) => Promise<void> | void;
}

function codeOf(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? '';
}

function unreadable(path: string, err: unknown): SafeReadResult {
  const code = codeOf(err);
  if (code === 'EACCES' || code === 'EPERM') {
    return { kind: 'error', message: `${path} cannot be read by this user (${code}); make it readable by everyone (chmod 644) while keeping it owned by root` };
  }
  if (code === 'ENOTDIR') return { kind: 'error', message: `a parent of ${path} is a file, not a directory; remove it and create the directory` };
  if (code === 'ELOOP') return { kind: 'error', message: `${path} is a symbolic link loop; replace it with a regular file` };
  return { kind: 'error', message: `${path} cannot be read (${code || String(err)})` };
}

const sameFile = (a: Stats, b: Stats) => a.dev === b.dev && a.ino === b.ino;
const sameContent = (a: Stats, b: Stats) => sameFile(a, b) && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

export async function readAdminFile(path: string, opts: SafeReadOptions = {}): Promise<SafeReadResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    let link: Stats;
    try {
      link = await lstat(path);
    } catch (err) {
      return codeOf(err) === 'ENOENT' ? { kind: 'absent' } : unreadable(path, err);
    }
    let before: Stats;
    try {
      before = link.isSymbolicLink() ? await stat(path) : link;
    } catch (err) {
      if (codeOf(err) === 'ENOENT') {
        const target = await readlink(path).catch(() => '?');
        return {
          kind: 'error',
          message: `${path} is a broken symbolic link (it points to ${target}, which does not exist); replace it with the policy file or remove it`,
        };
      }
      return unreadable(path, err);
    }
    if (before.isDirectory())
      return { kind: 'error', message: `${path} is a directory, but it must be a file; remove the directory and deploy the file there` };
    if (!before.isFile()) return { kind: 'error', message: `${path} is not a regular file (a FIFO, socket or device); replace it with a regular file` };
    if (before.size > maxBytes)
      return { kind: 'error', message: `${path} is ${before.size} bytes, over the ${maxBytes}-byte limit for a policy file; it is not a policy, replace it` };
    let bytes: Buffer;
    let opened: Stats;
    try {
      // O_NONBLOCK: should a FIFO be swapped in after the checks above, opening it must not hang.
      const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        opened = await fh.stat();
        if (!opened.isFile()) continue;
        const buf = Buffer.alloc(maxBytes + 1);
        let total = 0;
        for (;;) {
          const { bytesRead } = await fh.read(buf, total, buf.length - total, total);
          if (bytesRead === 0) break;
          total += bytesRead;
          if (total > maxBytes)
            return { kind: 'error', message: `${path} grew past the ${maxBytes}-byte limit for a policy file while being read; replace it` };
        }
        bytes = buf.subarray(0, total);
      } finally {
        await fh.close();
      }
    } catch (err) {
      if (codeOf(err) === 'ENOENT') continue; // deleted between lstat and open: look again
      return unreadable(path, err);
    }
    await opts.afterRead?.(attempt);
    // The file must be the same one, unchanged, before opening, while open and after reading;
    // otherwise an MDM tool replaced or rewrote it underneath us and the bytes may be a mix.
    const after = await stat(path).catch(() => undefined);
    if (after && sameFile(before, opened) && sameContent(opened, after) && bytes.length === after.size) {
      return { kind: 'file', bytes, path };
    }
  }
  return {
    kind: 'error',
    message: `${path} kept changing while it was being read (${ATTEMPTS} attempts); whatever writes it should write a temporary file and rename it into place`,
  };
}
