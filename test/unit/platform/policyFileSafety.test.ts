// The safe reader and the protection check against real files, real owners and real modes
// (tests run as root, so they can chown to other users and drop privileges in a child).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { chmodSync, chownSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';
import { policyLocations, resolvePolicyRoot } from '../../../src/platform/workstationPolicy/locations.js';
import { checkPosixProtection } from '../../../src/platform/workstationPolicy/checkProtection.js';
import { readAdminFile } from '../../../src/platform/workstationPolicy/safeRead.js';
import { readPolicy } from '../../../src/platform/workstationPolicy/readPolicy.js';

let sb: Sandbox;
let file: string;
const NOBODY = 65534;
before(() => {
  sb = makeSandbox();
  file = policyLocations({ env: sb.env }).registryJson;
  mkdirSync(dirname(file), { recursive: true });
});
after(() => sb.cleanup());

function deploy(content = '{"allowedOrgs": ["myorg"]}'): void {
  writeFileSync(file, content);
  chownSync(file, 0, 0);
  chmodSync(file, 0o644);
  for (let d = dirname(file); d.startsWith(sb.policyRoot); d = dirname(d)) {
    chownSync(d, 0, 0);
    chmodSync(d, 0o755);
  }
}

test('a root-owned 644 file under 755 root-owned directories is protected', async () => {
  deploy();
  const r = await readPolicy({ env: sb.env });
  assert.equal(r.state, 'enforced');
  assert.equal(r.protection?.secure, true);
  assert.deepEqual(r.protection?.checked, [file, ...parents(file)]);
});

function parents(path: string): string[] {
  const out: string[] = [];
  for (let d = dirname(path); ; d = dirname(d)) {
    out.push(d);
    if (d === sb.policyRoot) return out;
  }
}

test('a file owned by another user is flagged with the exact chown fix', async () => {
  deploy();
  chownSync(file, NOBODY, NOBODY);
  const r = await readPolicy({ env: sb.env });
  assert.equal(r.state, 'enforced', 'an unprotected policy is still enforced, and flagged');
  const p = r.protection?.problems ?? [];
  assert.equal(p.length, 1);
  assert.equal(p[0]?.path, file);
  assert.match(p[0]?.message ?? '', /owned by 'nobody' \(uid 65534\) instead of root/);
  assert.equal(p[0]?.fix, `run: chown root:root ${file}`);
});

test('a group- and world-writable file is flagged with chmod 644', async () => {
  deploy();
  chmodSync(file, 0o666);
  const r = await readPolicy({ env: sb.env });
  const p = r.protection?.problems[0];
  assert.match(p?.message ?? '', /writable by group 'root' and writable by every user/);
  assert.equal(p?.fix, `run: chmod 644 ${file}`);
});

test('a writable parent directory is named, not the file', async () => {
  deploy();
  const parent = dirname(dirname(file));
  chmodSync(parent, 0o775);
  chownSync(parent, NOBODY, 0);
  const r = await readPolicy({ env: sb.env });
  assert.deepEqual(
    r.protection?.problems.map((x) => x.path),
    [parent],
  );
  assert.equal(r.protection?.problems[0]?.fix, `run: chown root:root ${parent} && chmod 755 ${parent}`);
  const view = (await import('../../../src/core/workstationPolicy/policyReport.js')).toPolicyView(r);
  assert.equal(view.insecure, true);
});

test('a symlinked policy is judged by its target too', async () => {
  deploy();
  const elsewhere = join(sb.policyRoot, 'writable');
  mkdirSync(elsewhere, { recursive: true });
  chmodSync(elsewhere, 0o777);
  writeFileSync(join(elsewhere, 'real.json'), '{"allowedOrgs": ["linked"]}');
  renameSync(file, `${file}.bak`);
  symlinkSync(join(elsewhere, 'real.json'), file);
  const r = await readPolicy({ env: sb.env });
  assert.deepEqual(r.allowedOrgs, ['linked']);
  assert.ok(r.protection?.problems.some((x) => x.path === elsewhere && /writable by every user/.test(x.message)));
  renameSync(`${file}.bak`, file);
});

test('the protection walk stops at the policy root and works without one', async () => {
  deploy();
  const v = await checkPosixProtection(file, sb.policyRoot);
  assert.equal(v.checked.at(-1), sb.policyRoot);
});

test('a file replaced (by rename) while being read is read again, and the new content wins', async () => {
  deploy('{"allowedOrgs": ["old"]}');
  let replaced = 0;
  const r = await readAdminFile(file, {
    afterRead: (attempt) => {
      if (attempt === 1) {
        writeFileSync(`${file}.tmp`, '{"allowedOrgs": ["new"]}');
        renameSync(`${file}.tmp`, file);
        replaced++;
      }
    },
  });
  assert.equal(replaced, 1);
  assert.equal(r.kind, 'file');
  assert.equal(r.kind === 'file' && r.bytes.toString(), '{"allowedOrgs": ["new"]}');
});

test('a file that keeps being replaced while read is an error, not a half-read policy', async () => {
  deploy();
  const r = await readAdminFile(file, {
    afterRead: (attempt) => {
      writeFileSync(`${file}.tmp`, `{"allowedOrgs": ["gen${attempt}"]}`);
      renameSync(`${file}.tmp`, file);
    },
  });
  assert.equal(r.kind, 'error');
  assert.match(r.kind === 'error' ? r.message : '', /kept changing while it was being read \(3 attempts\).*write a temporary file and rename/);
});

test('a file rewritten in place while being read is detected', async () => {
  deploy('{"allowedOrgs": ["aaaa"]}');
  const r = await readAdminFile(file, {
    afterRead: (attempt) => {
      if (attempt === 1) writeFileSync(file, '{"allowedOrgs": ["bbbbbbbb"]}');
    },
  });
  assert.equal(r.kind === 'file' && r.bytes.toString(), '{"allowedOrgs": ["bbbbbbbb"]}');
});

test('a file this user cannot read is reported with the fix (reader runs as nobody)', () => {
  deploy();
  chmodSync(file, 0o600);
  chmodSync(sb.dir, 0o755);
  // The reader runs as nobody, who may not be able to enter the checkout (a clone in a 0700 temp dir):
  // it gets the real readAdminFile bundled into the sandbox, which it can read.
  const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
  const reader = join(sb.dir, 'read-as-nobody.mjs');
  buildSync({
    stdin: {
      contents: `import { readAdminFile } from ${JSON.stringify(join(repo, 'src/platform/workstationPolicy/safeRead.ts'))};
console.log(JSON.stringify(await readAdminFile(${JSON.stringify(file)})));`,
      resolveDir: repo,
      loader: 'ts',
    },
    outfile: reader,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  });
  chmodSync(reader, 0o644);
  const child = spawnSync(process.execPath, [reader], {
    uid: NOBODY,
    gid: NOBODY,
    cwd: sb.dir,
    encoding: 'utf8',
    env: { ...sb.env, HOME: sb.dir },
  });
  chmodSync(sb.dir, 0o700);
  chmodSync(file, 0o644);
  assert.equal(child.status, 0, child.stderr);
  const r = JSON.parse(child.stdout) as { kind: string; message: string };
  assert.equal(r.kind, 'error');
  assert.match(r.message, /cannot be read by this user \(EACCES\); make it readable by everyone \(chmod 644\)/);
});

test('BOSUN_POLICY_ROOT: active in a development build, ignored in a packaged one, ignored when relative', () => {
  const active = resolvePolicyRoot({ env: { BOSUN_POLICY_ROOT: sb.policyRoot }, packaged: false, platform: 'linux' });
  assert.deepEqual([active.path, active.seam], [sb.policyRoot, 'active']);
  const packaged = resolvePolicyRoot({ env: { BOSUN_POLICY_ROOT: sb.policyRoot }, packaged: true, platform: 'linux' });
  assert.deepEqual([packaged.path, packaged.seam], ['/', 'ignored']);
  assert.match(packaged.note ?? '', /ignored: this is a packaged build/);
  const locs = policyLocations({ env: { BOSUN_POLICY_ROOT: sb.policyRoot }, packaged: true, platform: 'darwin' });
  assert.equal(locs.registryJson, '/Library/Application Support/com.docker.docker/registry.json');
  assert.equal(resolvePolicyRoot({ env: { BOSUN_POLICY_ROOT: 'rel/dir' }, packaged: false }).seam, 'ignored');
  assert.equal(resolvePolicyRoot({ env: {}, packaged: false }).seam, 'inactive');
});

test("the OS locations match the README's source table", () => {
  const env = {};
  assert.equal(policyLocations({ env, platform: 'linux' }).registryJson, '/usr/share/docker-desktop/registry/registry.json');
  assert.equal(policyLocations({ env, platform: 'linux' }).adminSettings, '/etc/bosun/settings.json');
  const mac = policyLocations({ env, platform: 'darwin' });
  assert.equal(mac.macProfile, '/Library/Managed Preferences/com.docker.config.plist');
  assert.equal(mac.macDesktopPlist, '/Library/Application Support/com.docker.docker/desktop.plist');
  assert.equal(mac.adminSettings, '/Library/Application Support/Bosun/settings.json');
  const win = policyLocations({ env, platform: 'win32' });
  assert.equal(win.registryJson, 'C:\\ProgramData\\DockerDesktop\\registry.json');
  assert.equal(win.adminSettings, 'C:\\ProgramData\\Bosun\\settings.json');
  assert.equal(win.windowsRegistryKey, 'HKLM\\SOFTWARE\\Policies\\Docker\\Docker Desktop');
  assert.equal(policyLocations({ env: { BOSUN_POLICY_ROOT: sb.policyRoot }, platform: 'win32', packaged: false }).windowsRegistryKey, undefined);
});

test('macOS layout: every source is listed in precedence order; registry.json decides when the others are absent', async () => {
  const mac = policyLocations({ env: sb.env, platform: 'darwin' });
  mkdirSync(dirname(mac.registryJson), { recursive: true });
  writeFileSync(mac.registryJson, '{"allowedOrgs": ["macorg"]}');
  const r = await readPolicy({ env: sb.env, platform: 'darwin' });
  assert.deepEqual(
    r.sources.map((s) => [s.kind, s.status, s.location]),
    [
      ['macos-profile', 'absent', `${sb.policyRoot}/Library/Managed Preferences/com.docker.config.plist`],
      ['macos-desktop-plist', 'absent', `${sb.policyRoot}/Library/Application Support/com.docker.docker/desktop.plist`],
      ['registry-json', 'valid', mac.registryJson],
    ],
  );
  assert.equal(r.winner?.kind, 'registry-json');
  assert.deepEqual(r.allowedOrgs, ['macorg']);
  assert.equal(r.protection?.secure, true);
});

test('macOS: a directory where desktop.plist should be outranks registry.json and fails closed', async () => {
  const mac = policyLocations({ env: sb.env, platform: 'darwin' });
  mkdirSync(mac.macDesktopPlist as string, { recursive: true });
  const r = await readPolicy({ env: sb.env, platform: 'darwin' });
  assert.equal(r.state, 'policy-error');
  assert.equal(r.winner?.kind, 'macos-desktop-plist');
  assert.match(r.errors[0]?.message ?? '', /desktop\.plist is a directory/);
});

test('macOS: a user-writable directory where a higher-precedence source could be created is flagged', async () => {
  const mac = policyLocations({ env: sb.env, platform: 'darwin' });
  rmSync(mac.macDesktopPlist as string, { recursive: true, force: true });
  const managed = dirname(mac.macProfile as string);
  mkdirSync(managed, { recursive: true });
  chmodSync(managed, 0o777);
  const r = await readPolicy({ env: sb.env, platform: 'darwin' });
  assert.equal(r.winner?.kind, 'registry-json');
  assert.equal(r.protection?.secure, false);
  const p = r.protection?.problems.find((x) => x.path === managed);
  assert.match(p?.message ?? '', /writable by every user.*a user could create .*com\.docker\.config\.plist, which would override registry\.json/);
  assert.equal(p?.fix, `run: chmod 755 '${managed}'`);
  chmodSync(managed, 0o755);
  const fixed = await readPolicy({ env: sb.env, platform: 'darwin' });
  assert.equal(fixed.protection?.secure, true);
});
