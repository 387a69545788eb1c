// Reading and writing Docker's config.json safely next to other writers (`docker login`, `docker
// context use`, other tools), which rewrite it without any lock: atomic replace (temp, fsync, then
// exchange or rename) keeping mode and owner, a backup of the previous content, and optimistic
// concurrency: a write that another program made in between is detected and built upon, never lost.
import {
  chmodSync,
  closeSync,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  type Stats,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { syncDirectory, writeFileAtomic, writeTempFile, type TempFileOptions } from '../../common/atomicFile.js';
import { exchangeSupport, isExchangeUnsupported, type ExchangePaths } from '../../platform/fs/exchangePaths.js';
import { parseDockerConfig, type DockerConfigDocument } from '../../core/dockerConfig/dockerConfigMerge.js';
import { mergeThreeWay } from '../../core/dockerConfig/threeWayMerge.js';

/** DOCKER_CONFIG, else ~/.docker (the docker CLI's own rule). */
export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG?.trim() || join(homedir(), '.docker');
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dockerConfigDir(env), 'config.json');
}

export const BACKUP_SUFFIX = '.bosun-backup';

/**
 * Why config.json is not Bosun's to change, or undefined when it is. Bosun rewrites its own
 * credHelpers entries anyway (they are what it is there to keep), but it does not delete what the
 * file holds for someone else: a file the user made read-only, or one owned by another account (an
 * IT-managed or shared config), keeps its static credentials and they are reported instead.
 */
export function notBosunsToChange(path: string): string | undefined {
  if (process.platform === 'win32') return undefined; // No POSIX owner or mode bits to go by.
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return undefined;
  const uid = process.getuid?.();
  // root (an agent run for the user by a service manager) owns nothing here; the mode still counts.
  if (uid !== undefined && uid !== 0 && st.uid !== uid) return `${path} belongs to another account (uid ${st.uid})`;
  if ((st.mode & 0o200) === 0) return `${path} is read-only (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`;
  return undefined;
}

/** config.json is not something Bosun may rewrite; it is reported and left alone until fixed. */
export class MalformedDockerConfigError extends Error {
  override name = 'MalformedDockerConfigError';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(
      `${path} ${detail}. Bosun leaves it untouched until it is fixed; fix the JSON (or restore ${path}${BACKUP_SUFFIX}), and Bosun will set its entries again.`,
    );
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
  /** How many times another writer got in between (each time the update started over from its file). */
  retries: number;
  /** How the file was replaced: an atomic exchange (lossless), or a checked rename where the exchange is unavailable. */
  method: 'exchange' | 'rename';
  /** How many files of other programs the exchange displaced and Bosun put back or merged (each a write a rename would have lost). */
  rescued: number;
}

export interface UpdateOptions {
  maxAttempts?: number;
  /**
   * Test seam: runs at the instants another program's write could race Bosun's, so tests can put a
   * competing write exactly there: just before each exchange or rename (`replace`), and just before
   * a displaced file is put back (`restore`).
   */
  onRaceWindow?: (moment: 'replace' | 'restore') => void;
}

type Transform = (config: DockerConfigDocument) => DockerConfigDocument | undefined;

/** Directories whose filesystem refused the exchange (EINVAL): they get the checked rename from then on. */
const exchangeRefusedIn = new Set<string>();

/** What `bosun doctor` reports: whether writes to this config.json can lose another program's write. */
export function dockerConfigWriteMethod(path: string): { method: 'exchange' | 'rename'; why?: string } {
  const support = exchangeSupport();
  if ('unavailable' in support) return { method: 'rename', why: support.unavailable };
  if (exchangeRefusedIn.has(dirname(path))) return { method: 'rename', why: `the filesystem of ${dirname(path)} cannot exchange files` };
  return { method: 'exchange' };
}

/**
 * Read, transform, write back atomically. `transform` returns the new document or undefined for
 * "no change". Where the OS can exchange two files atomically, no other program's write is ever
 * lost (updateByExchange); elsewhere a checked rename narrows the window to microseconds.
 */
export async function updateDockerConfig(path: string, transform: Transform, options: UpdateOptions = {}): Promise<UpdateResult> {
  const support = exchangeSupport();
  if ('exchange' in support && !exchangeRefusedIn.has(dirname(path))) {
    try {
      return await updateByExchange(path, transform, support.exchange, options);
    } catch (err) {
      if (!(err instanceof ExchangeRefused)) throw err;
      exchangeRefusedIn.add(dirname(path));
    }
  }
  return updateByRename(path, transform, options);
}

class ExchangeRefused extends Error {}

const serialize = (config: DockerConfigDocument): string => JSON.stringify(config, null, '\t') + '\n'; // The docker CLI's own indentation.

/** Let the other writer finish (its whole run takes milliseconds), with a little jitter. */
const backOff = (attempt: number): Promise<void> => new Promise((r) => setTimeout(r, Math.min(50, attempt * 2) + Math.random() * 3));

/**
 * Which file, by content: inode, size and modification time. Not the change time, which the exchange
 * itself updates.
 */
function identityOf(version: Version): string {
  return version.split(':').slice(0, 3).join(':');
}

/**
 * The lossless update. Just before the swap, the file's version is checked again (a change seen
 * there costs nothing: start over). The new file is then swapped in with renameat2(RENAME_EXCHANGE)
 * / renamex_np(RENAME_SWAP), so the file it replaced comes back under the temp name instead of being
 * deleted. If that is not the file Bosun read, a write landed in the microseconds since the check:
 * the displaced file is swapped straight back (one stat and one system call later, no write), and
 * the update starts over from it. If yet another write replaced Bosun's file in those microseconds,
 * the versions are merged key by key (mergeThreeWay) and written.
 */
async function updateByExchange(path: string, transform: Transform, exchange: ExchangePaths, options: UpdateOptions): Promise<UpdateResult> {
  const maxAttempts = options.maxAttempts ?? 30;
  let retries = 0;
  let rescued = 0;
  let expected: { text: string | undefined; version: Version } = { text: undefined, version: 'absent' };
  let next: DockerConfigDocument | undefined;
  const readAndTransform = (): void => {
    const read = readDockerConfig(path);
    expected = read;
    next = transform(read.config);
  };
  const startOver = async (): Promise<void> => {
    if (++retries >= maxAttempts) throw tooBusy(path, maxAttempts);
    await backOff(retries);
    readAndTransform();
  };
  readAndTransform();
  for (;;) {
    if (!next) return { changed: false, retries, method: 'exchange', rescued };
    const ours = serialize(next);
    const tmp = writeTemp(path, ours);
    // Changed since it was read, or a docker CLI about to rename its file: start over, nothing exposed.
    if (currentVersion(path) !== expected.version || anotherWriterMidWrite(path)) {
      unlinkSync(tmp);
      await startOver();
      continue;
    }
    if (expected.text === undefined) {
      // No file yet: link(2) creates it only if nobody else has meanwhile (EEXIST otherwise).
      if (!createExclusively(tmp, path, options)) {
        await startOver();
        continue;
      }
      syncDirectory(dirname(path));
      return { changed: true, retries, method: 'exchange', rescued };
    }
    options.onRaceWindow?.('replace');
    if (!swap(exchange, tmp, path)) {
      await startOver(); // config.json was deleted meanwhile.
      continue;
    }
    if (identityOf(currentVersion(tmp)) === identityOf(expected.version) && readFileSync(tmp, 'utf8') === expected.text) {
      syncDirectory(dirname(path));
      // The displaced file is the previous content: it becomes the backup, private (it may hold auths).
      chmodSync(tmp, 0o600);
      renameSync(tmp, path + BACKUP_SUFFIX);
      return { changed: true, retries, method: 'exchange', rescued };
    }
    // Another program replaced the file after Bosun's check. Put its file back at once.
    options.onRaceWindow?.('restore');
    swapBack(exchange, tmp, path);
    rescued++;
    const returned = readFileSync(tmp, 'utf8');
    if (returned === ours) {
      // config.json is exactly the other program's file again: start over from it.
      unlinkSync(tmp);
      await startOver();
      continue;
    }
    // A third write replaced Bosun's file in those microseconds, by a program that read Bosun's file
    // (or an older one); config.json holds the other program's file again, and `returned` is newer.
    const atPath = readVersioned(path);
    const merged = mergeOrKeep(path, tmp, ours, atPath.text ?? '', returned);
    unlinkSync(tmp);
    expected = atPath;
    next = transform(merged) ?? merged;
    retries++;
  }
}

/** Exchanges the temp file with config.json; false when config.json no longer exists. */
function swap(exchange: ExchangePaths, tmp: string, path: string): boolean {
  try {
    exchange(tmp, path);
    return true;
  } catch (err) {
    // A failed exchange changed nothing: the temp file is still Bosun's own, whatever the error.
    rmSync(tmp, { force: true });
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    if (isExchangeUnsupported(err)) throw new ExchangeRefused();
    throw err;
  }
}

/** Puts the other program's file back; if config.json vanished meanwhile, its file is kept beside it, never lost. */
function swapBack(exchange: ExchangePaths, tmp: string, path: string): void {
  try {
    exchange(tmp, path);
  } catch (err) {
    const kept = `${path}.bosun-conflict-${Date.now()}`;
    renameSync(tmp, kept);
    throw new ConcurrentWriteError(
      `${path} changed twice while Bosun updated it and could not be restored (${err instanceof Error ? err.message : String(err)}); the other program's version is kept in ${kept}`,
    );
  }
}

/** link(2) the temp file to the path: fails with EEXIST rather than replacing a file someone just created. */
function createExclusively(tmp: string, path: string, options: UpdateOptions): boolean {
  try {
    options.onRaceWindow?.('replace');
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * mergeThreeWay(base: what the newest writer read, ours: what config.json holds, theirs: the newest
 * write). A version that is not valid JSON cannot be merged: the newest one (`file`) is kept beside
 * config.json, never deleted, and the update stops with an error naming it.
 */
function mergeOrKeep(path: string, file: string, base: string, atPath: string, newest: string): DockerConfigDocument {
  const parsed = [base, atPath, newest].map((text) => parseDockerConfig(text));
  const bad = parsed.find((p) => !p.ok);
  if (bad && !bad.ok) {
    const kept = `${path}.bosun-conflict-${Date.now()}`;
    renameSync(file, kept);
    throw new MalformedDockerConfigError(
      path,
      `was rewritten by other programs while Bosun updated it, and one version ${bad.message} (the newest is kept in ${kept})`,
    );
  }
  const [b, a, n] = parsed.map((p) => (p.ok ? p.config : {}));
  return mergeThreeWay(b, a, n) as DockerConfigDocument;
}

function tooBusy(path: string, maxAttempts: number): ConcurrentWriteError {
  return new ConcurrentWriteError(`${path} kept changing while Bosun updated it (${maxAttempts} attempts); it will try again on the next change`);
}

/**
 * Where the OS cannot exchange files (Windows, or a filesystem that refuses): compare-and-swap by
 * checking the version just before the rename. POSIX has no conditional rename, so a write that
 * completes in the microseconds between the check and the rename is overwritten (docs/helper.md).
 */
async function updateByRename(path: string, transform: Transform, options: UpdateOptions): Promise<UpdateResult> {
  const maxAttempts = options.maxAttempts ?? 30;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (attempt) await backOff(attempt);
    const { text, config, version } = readDockerConfig(path);
    const next = transform(config);
    if (!next) return { changed: false, retries: attempt, method: 'rename', rescued: 0 };
    const tmp = writeTemp(path, serialize(next));
    try {
      // The version first (a stat), then the directory scan, then the rename at once: the scan is
      // the last thing before the rename so the window a writer could slip into is as short as can be.
      if (currentVersion(path) !== version || anotherWriterMidWrite(path)) {
        unlinkSync(tmp);
        continue;
      }
      options.onRaceWindow?.('replace');
      renameSync(tmp, path);
    } catch (err) {
      try {
        unlinkSync(tmp);
      } catch {
        // already renamed or gone
      }
      throw err;
    }
    syncDirectory(dirname(path));
    if (text !== undefined) writeBackup(path, text);
    return { changed: true, retries: attempt, method: 'rename', rescued: 0 };
  }
  throw tooBusy(path, maxAttempts);
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

/** The mode and owner `path` has now, for the file that replaces it. */
function keepModeAndOwner(path: string): TempFileOptions {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    return { mode: 0o600 }; // A new file: private to the user, like the docker CLI's.
  }
  // Owner kept when the agent runs as root for a user's file (only root may chown).
  const owner = process.getuid?.() === 0 && st.uid !== 0 ? { uid: st.uid, gid: st.gid } : undefined;
  return { mode: st.mode & 0o7777, ...(owner ? { owner } : {}) };
}

/** A temp file beside the target with the target's mode and owner, content fsynced. */
function writeTemp(path: string, content: string): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return writeTempFile(path, content, keepModeAndOwner(path));
}

function writeBackup(path: string, previous: string): void {
  const backup = path + BACKUP_SUFFIX;
  writeFileAtomic(backup, previous, keepModeAndOwner(backup));
}
