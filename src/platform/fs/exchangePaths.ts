// Atomically swapping two directory entries: Linux renameat2(RENAME_EXCHANGE) and macOS
// renamex_np(RENAME_SWAP). Unlike rename(2), which throws away whatever the target held, the
// exchange hands the target's previous file back under the other name, so a writer that got in
// just before can be detected and merged (src/agent/dockerConfig/configFile.ts). Node has no
// binding for either call; koffi (a prebuilt FFI, no compiler at install) calls the C library.
import { createRequire } from 'node:module';
import { constants } from 'node:os';

/** Swaps the two paths (both must exist, on one filesystem). Throws an ErrnoException-like Error. */
export type ExchangePaths = (a: string, b: string) => void;

export type ExchangeSupport = { exchange: ExchangePaths } | { unavailable: string };

// linux/fs.h and <fcntl.h>: RENAME_EXCHANGE = 1 << 1, AT_FDCWD = -100. macOS <stdio.h>: RENAME_SWAP = 0x2.
const RENAME_EXCHANGE = 2;
const AT_FDCWD = -100;
const RENAME_SWAP = 2;

interface Koffi {
  load(path: string): { func(signature: string): (...args: unknown[]) => number };
  errno(): number;
}

let cached: ExchangeSupport | undefined;

/** Loaded once per process; `unavailable` says why (platform, or the native module is not shipped). */
export function exchangeSupport(): ExchangeSupport {
  cached ??= load();
  return cached;
}

function load(): ExchangeSupport {
  if (process.platform !== 'linux' && process.platform !== 'darwin') {
    return { unavailable: `${process.platform} has no call that swaps two files atomically` };
  }
  let koffi: Koffi;
  try {
    koffi = createRequire(import.meta.url)('koffi') as Koffi;
  } catch (err) {
    // The first line only: Node appends the whole require stack.
    return { unavailable: `the koffi module cannot be loaded here (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})` };
  }
  try {
    if (process.platform === 'linux') {
      const renameat2 = koffi.load('libc.so.6').func('int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags)');
      return { exchange: (a, b) => check(koffi, renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE), a, b) };
    }
    const renamexNp = koffi.load('/usr/lib/libSystem.B.dylib').func('int renamex_np(const char *from, const char *to, unsigned int flags)');
    return { exchange: (a, b) => check(koffi, renamexNp(a, b, RENAME_SWAP), a, b) };
  } catch (err) {
    // e.g. a C library older than glibc 2.28 (no renameat2 symbol) or musl without it.
    return { unavailable: `the C library has no exchange call (${err instanceof Error ? err.message : String(err)})` };
  }
}

const errnoNames = new Map(Object.entries(constants.errno).map(([name, value]) => [value, name]));

function check(koffi: Koffi, result: number, a: string, b: string): void {
  if (result === 0) return;
  const errno = koffi.errno();
  const code = errnoNames.get(errno) ?? `errno ${errno}`;
  throw Object.assign(new Error(`${code}: cannot exchange ${a} and ${b}`), { code, errno: -errno, path: a, dest: b });
}

/** Errors meaning "this filesystem or kernel cannot exchange", as opposed to a problem with the files. */
export function isExchangeUnsupported(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EINVAL' || code === 'ENOSYS' || code === 'ENOTSUP' || code === 'EOPNOTSUPP';
}
