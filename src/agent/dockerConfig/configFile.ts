// Reading and writing Docker's config.json safely next to other writers (`docker login`, `docker
// context use`, other tools): atomic replace (temp, fsync, rename) keeping mode and owner, a backup
// of the previous content, and optimistic concurrency: the file is re-read just before the rename
// and the whole read-modify-write is retried when someone else wrote in between.
import { randomBytes } from 'node:crypto';
import {
  closeSync, fchownSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseDockerConfig, type DockerConfigDocument } from '../../policy/dockerConfigMerge.js';

/** DOCKER_CONFIG, else ~/.docker (the docker CLI's own rule). */
export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG?.trim() || join(homedir(), '.docker');
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dockerConfigDir(env), 'config.json');
}

export const BACKUP_SUFFIX = '.bosun-backup';

/** config.json is not something Bosun may rewrite; it is reported and left alone until fixed. */
export class MalformedDockerConfigError extends Error {
  override name = 'MalformedDockerConfigError';
  constructor(readonly path: string, detail: string) {
    super(`${path} ${detail}. Bosun leaves it untouched until it is fixed; fix the JSON (or restore ${path}${BACKUP_SUFFIX}), and Bosun will set its entries again.`);
  }
}

/** Another writer kept changing the file while Bosun tried to update it. */
export class ConcurrentWriteError extends Error {
  override name = 'ConcurrentWriteError';
}

/** Which version of the file this is: other writers replace it by rename (new inode) or rewrite it (new mtime/size). */
type Version = string;

function versionOf(st: { ino: bigint; size: bigint; mtimeNs: bigint; ctimeNs: bigint } | undefined): Version {
  return st ? `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}` : 'absent';
}

function currentVersion(path: string): Version {
  return versionOf(statSync(path, { bigint: true, throwIfNoEntry: false }));
}

/** The content and the version it belongs to (read through one descriptor, so they match). */
function readVersioned(path: string): { text: string | undefined; version: Version } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { text: undefined, version: 'absent' };
    throw err;
  }
  try {
    const version = versionOf(fstatSync(fd, { bigint: true }));
    return { text: readFileSync(fd, 'utf8'), version };
  } finally {
    closeSync(fd);
  }
}

export function readDockerConfig(path: string): { text: string | undefined; config: DockerConfigDocument; version: Version } {
  const { text, version } = readVersioned(path);
  const parsed = parseDockerConfig(text);
  if (!parsed.ok) throw new MalformedDockerConfigError(path, parsed.message);
  return { text, config: parsed.config, version };
}

export interface UpdateResult {
  changed: boolean;
  /** How many times another writer got in between (each time the update started over). */
  retries: number;
}

/**
 * Read, transform, write back atomically. `transform` returns the new document or undefined for
 * "no change". Retries up to `maxAttempts` when the file changed under us.
 */
export async function updateDockerConfig(
  path: string,
  transform: (config: DockerConfigDocument) => DockerConfigDocument | undefined,
  maxAttempts = 30,
): Promise<UpdateResult> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    // Let the other writer finish (its whole run takes milliseconds), with a little jitter.
    if (attempt) await new Promise((r) => setTimeout(r, Math.min(50, attempt * 2) + Math.random() * 3));
    const { text, config, version } = readDockerConfig(path);
    const next = transform(config);
    if (!next) return { changed: false, retries: attempt };
    const out = JSON.stringify(next, null, '\t') + '\n'; // The docker CLI's own indentation.
    const tmp = writeTemp(path, out);
    try {
      // Compare-and-swap: no writer mid-write, the same version as read, then the rename at once.
      // POSIX has no conditional rename; checking for the docker CLI's temp file first closes the
      // remaining microseconds against it (a writer must create its temp file before it renames).
      // The version first (a stat), then the directory scan, then the rename at once: the scan is
      // the last thing before the rename so the window a writer could slip into is as short as can be.
      if (currentVersion(path) !== version || anotherWriterMidWrite(path)) {
        unlinkSync(tmp);
        continue;
      }
      renameSync(tmp, path);
    } catch (err) {
      try {
        unlinkSync(tmp);
      } catch {
        // already renamed or gone
      }
      throw err;
    }
    syncDir(dirname(path));
    if (text !== undefined) writeBackup(path, text);
    return { changed: true, retries: attempt };
  }
  throw new ConcurrentWriteError(`${path} kept changing while Bosun updated it (${maxAttempts} attempts); it will try again on the next change`);
}

/**
 * The docker CLI writes `config.json<random digits>` beside the file and renames it over config.json
 * (Go's os.CreateTemp). While such a file is fresh, a rename is imminent: Bosun waits and starts
 * over instead of racing it. Old leftovers of a crashed writer do not count.
 */
function anotherWriterMidWrite(path: string): boolean {
  const dir = dirname(path);
  const name = basename(path);
  const now = Date.now();
  for (const entry of readdirSync(dir)) {
    if (entry === name || !entry.startsWith(name) || !/^\d+$/.test(entry.slice(name.length))) continue;
    const st = statSync(join(dir, entry), { throwIfNoEntry: false });
    if (st && now - st.mtimeMs < 2000) return true;
  }
  return false;
}

/** A temp file beside the target with the target's mode and owner, content fsynced. */
function writeTemp(path: string, content: string): string {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let mode = 0o600;
  let owner: { uid: number; gid: number } | undefined;
  try {
    const st = statSync(path);
    mode = st.mode & 0o7777;
    owner = { uid: st.uid, gid: st.gid };
  } catch {
    // A new file: private to the user, like the docker CLI's.
  }
  const tmp = join(dir, `.${basename(path)}.bosun-${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, content);
    // Owner kept when the agent runs as root for a user's file (only root may chown).
    if (owner && process.getuid?.() === 0 && owner.uid !== 0) fchownSync(fd, owner.uid, owner.gid);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return tmp;
}

function writeBackup(path: string, previous: string): void {
  const backup = path + BACKUP_SUFFIX;
  const tmp = writeTemp(backup, previous);
  renameSync(tmp, backup);
}

function syncDir(dir: string): void {
  if (process.platform === 'win32') return; // Directories cannot be opened for fsync on Windows.
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
