// Admin protection of policy files (README, "The allowedOrgs policy", Protection): the file and
// every parent directory must be owned by root (Administrators/SYSTEM on Windows) and not writable
// by anyone else, or a user could rewrite the policy. Pure judges over facts gathered by
// src/platform/workstationPolicy/checkProtection.ts.

export interface ProtectionProblem {
  path: string;
  message: string;
  /** The exact command that fixes it. */
  fix: string;
}

export interface ProtectionVerdict {
  secure: boolean;
  /** Every path that was judged, file first, then each parent up to the root. */
  checked: string[];
  problems: ProtectionProblem[];
}

/** What stat says about one path (lstat for the file itself is resolved by the adapter). */
export interface PosixFacts {
  path: string;
  uid: number;
  gid: number;
  mode: number;
  isDirectory: boolean;
  ownerName?: string;
  groupName?: string;
}

export function shellQuote(path: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** The admin group conventionally owning system files: wheel on macOS, root elsewhere. */
export function rootGroupFor(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? 'wheel' : 'root';
}

export function judgePosixProtection(facts: readonly PosixFacts[], platform: NodeJS.Platform = 'linux'): ProtectionVerdict {
  const problems: ProtectionProblem[] = [];
  for (const f of facts) {
    const what: string[] = [];
    if (f.uid !== 0) what.push(`owned by ${f.ownerName ? `'${f.ownerName}' (uid ${f.uid})` : `uid ${f.uid}`} instead of root`);
    if (f.mode & 0o020) what.push(`writable by group '${f.groupName ?? f.gid}'`);
    if (f.mode & 0o002) what.push('writable by every user');
    if (what.length === 0) continue;
    const kind = f.isDirectory ? 'directory' : 'file';
    const q = shellQuote(f.path);
    const mode = (f.mode & 0o7777 & ~0o022).toString(8).padStart(3, '0');
    const steps = [];
    if (f.uid !== 0) steps.push(`chown root:${rootGroupFor(platform)} ${q}`);
    if (f.mode & 0o022) steps.push(`chmod ${mode} ${q}`);
    problems.push({
      path: f.path,
      message: `${kind} ${f.path} is ${what.join(' and ')}, so a non-admin could change the policy`,
      fix: `run: ${steps.join(' && ')}`,
    });
  }
  return { secure: problems.length === 0, checked: facts.map((f) => f.path), problems };
}

// ---- Windows: icacls ----------------------------------------------------------------------------

export interface AclEntry {
  principal: string;
  deny: boolean;
  inheritOnly: boolean;
  rights: string[];
}

/**
 * Parses `icacls <path>` output: the first line is "<path> <principal>:<perms>", further ACEs are on
 * indented lines, and a summary line ends it. Perms are parenthesized groups: inheritance flags
 * (I, OI, CI, IO, NP), DENY, and either one simple right (F, M, RX, R, W, D, N) or a list (WD,AD,...).
 */
export function parseIcacls(output: string, path: string): AclEntry[] {
  const entries: AclEntry[] = [];
  const lines = output.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    if (i === 0 || line.startsWith(path)) {
      if (line.startsWith(path)) line = line.slice(path.length);
    }
    line = line.trim();
    if (!line || /^Successfully processed|^Failed processing/i.test(line)) continue;
    const m = /^(.+?):((?:\([^)]*\))+)$/.exec(line);
    if (!m) continue;
    const groups = [...(m[2] ?? '').matchAll(/\(([^)]*)\)/g)].map((g) => g[1] ?? '');
    const flags = new Set(['I', 'OI', 'CI', 'IO', 'NP']);
    const rights = groups.filter((g) => !flags.has(g) && g !== 'DENY').flatMap((g) => g.split(','));
    entries.push({ principal: (m[1] ?? '').trim(), deny: groups.includes('DENY'), inheritOnly: groups.includes('IO'), rights });
  }
  return entries;
}

/** Any of these on the policy file lets its holder change it. */
const FILE_WRITE_RIGHTS = new Set(['F', 'M', 'W', 'WD', 'AD', 'WEA', 'WA', 'GA', 'GW', 'WDAC', 'WO', 'DE', 'MA']);
/**
 * On a parent directory only rights that touch existing entries matter: delete or rename a child
 * (DC, or DE/M on the directory itself, which lets it be renamed away and recreated) or change
 * its ACL or owner. Create-only rights (WD, AD) are harmless there: Windows grants BUILTIN\Users
 * (CI)(WD,AD,WEA,WA) on C:\ProgramData by default, and a new entry cannot replace an existing one.
 */
const PARENT_WRITE_RIGHTS = new Set(['F', 'M', 'DE', 'DC', 'WDAC', 'WO', 'GA', 'MA']);
const ADMIN_PRINCIPALS = new Set(
  [
    'NT AUTHORITY\\SYSTEM',
    'BUILTIN\\Administrators',
    'NT SERVICE\\TrustedInstaller',
    'S-1-5-18',
    'S-1-5-32-544',
    'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464',
  ].map((p) => p.toLowerCase()),
);

/** Judges the ACLs of the file (first) and each parent: only admins may hold a right that changes the policy. */
export function judgeWindowsAcls(acls: readonly { path: string; icaclsOutput: string }[]): ProtectionVerdict {
  const problems: ProtectionProblem[] = [];
  acls.forEach(({ path, icaclsOutput }, index) => {
    const dangerous = index === 0 ? FILE_WRITE_RIGHTS : PARENT_WRITE_RIGHTS;
    const writers = parseIcacls(icaclsOutput, path)
      .filter((e) => !e.deny && !e.inheritOnly && e.rights.some((r) => dangerous.has(r)))
      .map((e) => e.principal)
      .filter((p) => !ADMIN_PRINCIPALS.has(p.toLowerCase()));
    if (writers.length === 0) return;
    const names = [...new Set(writers)];
    problems.push({
      path,
      message: `${path} can be changed by ${names.map((n) => `'${n}'`).join(', ')}, who are not administrators, so a non-admin could change the policy`,
      fix: `run (as Administrator): icacls "${path}" /inheritance:r /grant:r "*S-1-5-32-544:${index === 0 ? '' : '(OI)(CI)'}(F)" "*S-1-5-18:${index === 0 ? '' : '(OI)(CI)'}(F)" "*S-1-5-32-545:${index === 0 ? '' : '(OI)(CI)'}(RX)"`,
    });
  });
  return { secure: problems.length === 0, checked: acls.map((a) => a.path), problems };
}
