// The Windows and macOS readers cannot run here; their pure parsers are tested with recorded output
// of `reg query`, `plutil -convert json -o -` and `icacls` (test/fixtures/policy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../src/common/packageRoot.js';
import {
  parseDesktopPlist,
  parseManagedPreferences,
  parseRegQueryAllowedOrgs,
  type NativeSourceResult,
} from '../../../src/core/workstationPolicy/nativeSources.js';
import { judgeWindowsAcls, parseIcacls } from '../../../src/core/workstationPolicy/protectionRules.js';

const fixture = (name: string) => readFileSync(join(packageRoot(), 'test/fixtures/policy', name), 'utf8');
const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });
const findings = (r: NativeSourceResult) => {
  assert.equal(r.present, true);
  return r.present ? r.findings : { allowedOrgs: [], errors: [], warnings: [] };
};

test('reg query REG_MULTI_SZ: \\0-separated strings are normalized', () => {
  const f = findings(parseRegQueryAllowedOrgs(ok(fixture('reg-query-multi-sz.txt'))));
  assert.deepEqual(f.allowedOrgs, ['myorg', 'other-org']);
  assert.deepEqual(f.errors, []);
});

test('reg query REG_SZ is read as ;-separated, with a warning to use REG_MULTI_SZ', () => {
  const f = findings(parseRegQueryAllowedOrgs(ok(fixture('reg-query-sz.txt'))));
  assert.deepEqual(f.allowedOrgs, ['myorg', 'other']);
  assert.match(f.warnings[0]?.message ?? '', /expects REG_MULTI_SZ/);
});

test('reg query of the wrong type or with a look-alike name fails the source', () => {
  assert.match(
    findings(parseRegQueryAllowedOrgs(ok(fixture('reg-query-dword.txt')))).errors[0]?.message ?? '',
    /has registry type REG_DWORD; it must be REG_MULTI_SZ/,
  );
  const f = findings(parseRegQueryAllowedOrgs(ok(fixture('reg-query-lookalike.txt'))));
  assert.deepEqual(f.allowedOrgs, []);
  assert.equal(f.errors[0]?.path, 'allowedOrgs[1]');
  assert.match(f.errors[0]?.message ?? '', /Cyrillic/);
});

test('reg query: a missing key is "absent"; access denied is an error', () => {
  assert.deepEqual(parseRegQueryAllowedOrgs({ stdout: '', stderr: fixture('reg-query-missing.stderr.txt'), exitCode: 1 }), { present: false });
  const denied = findings(parseRegQueryAllowedOrgs({ stdout: '', stderr: fixture('reg-query-denied.stderr.txt'), exitCode: 1 }));
  assert.match(denied.errors[0]?.message ?? '', /Access is denied/);
});

test('configuration profile (com.docker.config): one ;-separated string', () => {
  const f = findings(parseManagedPreferences(ok(fixture('plutil-profile.json')), 'com.docker.config.plist'));
  assert.deepEqual(f.allowedOrgs, ['myorg', 'other-org']);
  assert.deepEqual(f.warnings, []);
  assert.equal(parseManagedPreferences(ok(fixture('plutil-profile-no-orgs.json')), 'p').present, false);
});

test('desktop.plist: an array of strings; a dictionary is an error; corrupt plist is an error', () => {
  assert.deepEqual(findings(parseDesktopPlist(ok(fixture('plutil-desktop.json')), 'desktop.plist')).allowedOrgs, ['myorg', 'other-org']);
  assert.match(
    findings(parseDesktopPlist(ok(fixture('plutil-desktop-dict.json')), 'desktop.plist')).errors[0]?.message ?? '',
    /must be an array of strings, not object/,
  );
  const corrupt = findings(parseDesktopPlist({ stdout: '', stderr: fixture('plutil-corrupt.stderr.txt'), exitCode: 1 }, 'desktop.plist'));
  assert.match(corrupt.errors[0]?.message ?? '', /cannot be read as a property list \(.*Unexpected character/);
});

test('icacls: ACEs are parsed with principals, flags and rights', () => {
  const aces = parseIcacls(fixture('icacls-programdata-default.txt'), 'C:\\ProgramData');
  assert.deepEqual(
    aces.map((a) => a.principal),
    ['NT AUTHORITY\\SYSTEM', 'BUILTIN\\Administrators', 'CREATOR OWNER', 'BUILTIN\\Users', 'BUILTIN\\Users'],
  );
  assert.deepEqual(aces[4]?.rights, ['WD', 'AD', 'WEA', 'WA']);
  assert.equal(aces[2]?.inheritOnly, true);
  const denied = parseIcacls(fixture('icacls-file-user-writable.txt'), 'C:\\ProgramData\\DockerDesktop\\registry.json');
  assert.deepEqual(denied.at(-1), { principal: 'Everyone', deny: true, inheritOnly: false, rights: ['W'] });
});

test('icacls: a default Windows install protects registry.json (create-only rights on ProgramData are harmless)', () => {
  const v = judgeWindowsAcls([
    { path: 'C:\\ProgramData\\DockerDesktop\\registry.json', icaclsOutput: fixture('icacls-file-default.txt') },
    { path: 'C:\\ProgramData\\DockerDesktop', icaclsOutput: fixture('icacls-dir-default.txt') },
    { path: 'C:\\ProgramData', icaclsOutput: fixture('icacls-programdata-default.txt') },
    { path: 'C:\\', icaclsOutput: fixture('icacls-root-default.txt') },
  ]);
  assert.deepEqual(v.problems, []);
  assert.equal(v.secure, true);
});

test('icacls: write by non-admins on the file or modify on a parent is flagged, naming who', () => {
  const v = judgeWindowsAcls([
    { path: 'C:\\ProgramData\\DockerDesktop\\registry.json', icaclsOutput: fixture('icacls-file-user-writable.txt') },
    { path: 'C:\\ProgramData\\DockerDesktop', icaclsOutput: fixture('icacls-dir-users-modify.txt') },
  ]);
  assert.equal(v.secure, false);
  assert.match(v.problems[0]?.message ?? '', /can be changed by 'NT AUTHORITY\\Authenticated Users', 'DESKTOP-7Q2\\alice', who are not administrators/);
  assert.doesNotMatch(v.problems[0]?.message ?? '', /Everyone/, 'a DENY entry grants nothing');
  assert.match(v.problems[1]?.message ?? '', /'BUILTIN\\Users'/);
  assert.match(v.problems[1]?.fix ?? '', /icacls "C:\\ProgramData\\DockerDesktop" \/inheritance:r/);
});
