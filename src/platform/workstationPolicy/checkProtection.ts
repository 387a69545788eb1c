// Gathers the facts for the admin-protection judges in src/core/workstationPolicy/protectionRules.ts: stat of the file
// and each parent directory up to the root on POSIX, `icacls` output on Windows.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { judgePosixProtection, judgeWindowsAcls, type PosixFacts, type ProtectionVerdict } from '../../core/workstationPolicy/protectionRules.js';

function idNames(file: string): Map<number, string> {
  const names = new Map<number, string>();
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id && /^\d+$/.test(id)) names.set(Number(id), name);
    }
  } catch {
    // Names are a courtesy in messages; ids are always shown.
  }
  return names;
}

/** The path and each parent, up to and including `stopAt` (or "/" when the path is outside it). */
export function parentChain(path: string, stopAt: string): string[] {
  const chain: string[] = [];
  let p = resolve(path);
  const stop = resolve(stopAt);
  const inside = (x: string) => x === stop || (!relative(stop, x).startsWith('..') && !isAbsolute(relative(stop, x)));
  const bounded = inside(p);
  for (;;) {
    chain.push(p);
    if ((bounded && p === stop) || dirname(p) === p) break;
    p = dirname(p);
  }
  return chain;
}

async function facts(paths: readonly string[]): Promise<PosixFacts[]> {
  const users = idNames('/etc/passwd');
  const groups = idNames('/etc/group');
  const out: PosixFacts[] = [];
  for (const path of paths) {
    const s = await stat(path);
    const ownerName = users.get(s.uid);
    const groupName = groups.get(s.gid);
    out.push({
      path,
      uid: s.uid,
      gid: s.gid,
      mode: s.mode,
      isDirectory: s.isDirectory(),
      ...(ownerName ? { ownerName } : {}),
      ...(groupName ? { groupName } : {}),
    });
  }
  return out;
}

/**
 * Checks that `file` and every parent up to `stopAt` (the policy root) are owned by root and not
 * writable by group or others. When the file is a symbolic link, the link's target and its parents
 * are checked too: whoever can change the target can change the policy.
 */
export async function checkPosixProtection(file: string, stopAt: string, platform: NodeJS.Platform = process.platform): Promise<ProtectionVerdict> {
  const paths = parentChain(file, stopAt);
  try {
    if ((await lstat(file)).isSymbolicLink()) {
      const target = await realpath(file);
      for (const p of parentChain(target, stopAt)) if (!paths.includes(p)) paths.push(p);
    }
    return judgePosixProtection(await facts(paths), platform);
  } catch (err) {
    return {
      secure: false,
      checked: paths,
      problems: [
        {
          path: file,
          message: `the permissions of ${file} could not be checked (${(err as Error).message})`,
          fix: 'check that the file and its directories exist and are readable',
        },
      ],
    };
  }
}

function icacls(path: string): Promise<string> {
  return new Promise((res) => {
    execFile('icacls', [path], { timeout: 10_000, windowsHide: true }, (_err, stdout) => res(String(stdout)));
  });
}

/** Windows: parses the ACL of the file and each parent for write access by non-admins. */
export async function checkWindowsProtection(file: string, stopAt: string): Promise<ProtectionVerdict> {
  const chain: string[] = [];
  for (let p = file; ; p = dirname(p)) {
    chain.push(p);
    if (p === stopAt || dirname(p) === p) break;
  }
  const acls = await Promise.all(chain.map(async (path) => ({ path, icaclsOutput: await icacls(path) })));
  return judgeWindowsAcls(acls);
}

/** The protection check for this OS. */
export function checkProtection(file: string, stopAt: string, platform: NodeJS.Platform = process.platform): Promise<ProtectionVerdict> {
  return platform === 'win32' ? checkWindowsProtection(file, stopAt) : checkPosixProtection(file, stopAt, platform);
}
