// src/common/atomicFile.ts against a real file system: mode, backup, clean-up of the temp file on
// failure, and the order of the durable steps (fsync of the file, rename, fsync of the directory),
// observed by wrapping node:fs's functions while the real ones run.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs, { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic, writeTempFile } from '../../../src/common/atomicFile.js';

const posix = process.platform !== 'win32';

function scratch(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-atomic-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `fn` with the umask set to `mask`. */
function withUmask<T>(mask: number, fn: () => T): T {
  const previous = process.umask(mask);
  try {
    return fn();
  } finally {
    process.umask(previous);
  }
}

/** Records calls to fsyncSync and renameSync (the real ones still run), in order. */
function recordSteps(t: TestContext, onFsync?: () => void): string[] {
  const steps: string[] = [];
  const fsync = fs.fsyncSync;
  const rename = fs.renameSync;
  t.mock.method(fs, 'fsyncSync', (fd: number) => {
    steps.push(`fsync ${fs.fstatSync(fd).isDirectory() ? 'dir' : 'file'}`);
    onFsync?.();
    fsync(fd);
  });
  t.mock.method(fs, 'renameSync', (from: fs.PathLike, to: fs.PathLike) => {
    steps.push('rename');
    rename(from, to);
  });
  syncBuiltinESMExports();
  t.after(() => {
    t.mock.restoreAll();
    syncBuiltinESMExports();
  });
  return steps;
}

test('a new file gets the content and the mode (0600 by default); no temp file is left', (t) => {
  const dir = scratch(t);
  const file = join(dir, 'state.json');
  assert.equal(writeFileAtomic(file, '{"a":1}\n'), undefined);
  assert.equal(readFileSync(file, 'utf8'), '{"a":1}\n');
  if (posix) assert.equal(statSync(file).mode & 0o777, 0o600);
  writeFileAtomic(join(dir, 'bytes'), Uint8Array.from([0, 1, 2]), { mode: 0o640 });
  assert.deepEqual([...readFileSync(join(dir, 'bytes'))], [0, 1, 2]);
  assert.deepEqual(readdirSync(dir).sort(), ['bytes', 'state.json']);
});

test('the umask applies to mode unless exactMode is set', { skip: !posix && 'no POSIX mode bits' }, (t) => {
  const dir = scratch(t);
  withUmask(0o077, () => {
    writeFileAtomic(join(dir, 'masked'), 'x', { mode: 0o644 });
    writeFileAtomic(join(dir, 'exact'), 'x', { mode: 0o644, exactMode: true });
  });
  assert.equal(statSync(join(dir, 'masked')).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'exact')).mode & 0o777, 0o644);
});

test('backupSuffix keeps the previous content and mode; none is made for a new file', (t) => {
  const dir = scratch(t);
  const file = join(dir, 'keys.json');
  assert.equal(writeFileAtomic(file, 'v1', { backupSuffix: '.bak' }), undefined);
  assert.deepEqual(readdirSync(dir), ['keys.json']);
  fs.chmodSync(file, 0o640);
  assert.equal(writeFileAtomic(file, 'v2', { mode: 0o600, backupSuffix: '.bak' }), `${file}.bak`);
  assert.equal(readFileSync(file, 'utf8'), 'v2');
  assert.equal(readFileSync(`${file}.bak`, 'utf8'), 'v1');
  if (posix) assert.equal(statSync(`${file}.bak`).mode & 0o777, 0o640);
  writeFileAtomic(file, 'v3', { backupSuffix: '.bak' });
  assert.equal(readFileSync(`${file}.bak`, 'utf8'), 'v2');
  assert.deepEqual(readdirSync(dir).sort(), ['keys.json', 'keys.json.bak']);
});

test('durable order: fsync the file, rename, fsync the directory; the target is whole throughout', (t) => {
  const dir = scratch(t);
  const file = join(dir, 'config.json');
  writeFileSync(file, 'old');
  const seen: string[] = [];
  const steps = recordSteps(t, () => seen.push(readFileSync(file, 'utf8')));
  writeFileAtomic(file, 'new');
  assert.deepEqual(steps, posix ? ['fsync file', 'rename', 'fsync dir'] : ['fsync file', 'rename']);
  // While the new content was being made durable, a reader still saw the whole old file.
  assert.equal(seen[0], 'old');
  assert.equal(readFileSync(file, 'utf8'), 'new');
});

test('a failed rename removes the temp file and leaves the target as it was', (t) => {
  const dir = scratch(t);
  const target = join(dir, 'occupied');
  mkdirSync(target);
  writeFileSync(join(target, 'inside'), 'x');
  assert.throws(() => writeFileAtomic(target, 'data'), { code: /EISDIR|ENOTEMPTY|EEXIST|EPERM/ });
  assert.deepEqual(readdirSync(dir), ['occupied']);
  assert.deepEqual(readdirSync(target), ['inside']);
});

test('a failed fsync (a full or failing disk) removes the temp file and leaves the target as it was', (t) => {
  const dir = scratch(t);
  const file = join(dir, 'file');
  writeFileSync(file, 'old');
  recordSteps(t, () => {
    throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
  });
  assert.throws(() => writeFileAtomic(file, 'new', { backupSuffix: '.bak' }), { code: 'EIO' });
  assert.deepEqual(readdirSync(dir), ['file']);
  assert.equal(readFileSync(file, 'utf8'), 'old');
});

test("temp files are hidden, say they are Bosun's, and are never the same name twice", (t) => {
  const dir = scratch(t);
  const file = join(dir, 'config.json');
  const a = writeTempFile(file, 'a');
  const b = writeTempFile(file, 'b');
  assert.notEqual(a, b);
  for (const tmp of [a, b]) assert.match(tmp.slice(dir.length + 1), /^\.config\.json\.bosun-[0-9a-f]{16}\.tmp$/);
  assert.equal(readFileSync(a, 'utf8'), 'a');
});
