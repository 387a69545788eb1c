import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineSources, sourceReport, toPolicyView, type RootInfo } from '../../../src/core/workstationPolicy/policyReport.js';
import { evaluateAdminSettings } from '../../../src/core/workstationPolicy/adminSettingsRules.js';
import { evaluateRegistryJson } from '../../../src/core/workstationPolicy/policyDocument.js';

const root: RootInfo = { path: '/', seam: 'inactive' };
const now = new Date('2026-01-01T00:00:00Z');
const valid = (orgs: string[]) => ({ allowedOrgs: orgs, errors: [], warnings: [] });
const invalid = (message: string) => ({ allowedOrgs: [], errors: [{ path: '/allowedOrgs', message }], warnings: [] });

test('precedence: the Windows registry beats registry.json, and a disagreement is reported as a conflict', () => {
  const r = combineSources(
    [sourceReport('registry-json', 'C:\\ProgramData\\DockerDesktop\\registry.json', valid(['a'])), sourceReport('windows-registry', 'HKLM', valid(['b']))],
    root,
    now,
  );
  assert.equal(r.state, 'enforced');
  assert.deepEqual(r.allowedOrgs, ['b']);
  assert.equal(r.winner?.kind, 'windows-registry');
  assert.deepEqual(
    r.sources.map((s) => s.kind),
    ['windows-registry', 'registry-json'],
  );
  assert.equal(r.conflicts.length, 1);
  assert.match(
    r.conflicts[0] ?? '',
    /registry\.json .* allows \[a\] but Windows policy registry value \(HKLM\) allows \[b\]; Windows policy registry value wins/,
  );
});

test('precedence on macOS: profile > desktop.plist > registry.json; equal sets (any order) do not conflict', () => {
  const r = combineSources(
    [
      sourceReport('registry-json', '/r.json', valid(['x', 'y'])),
      sourceReport('macos-desktop-plist', '/d.plist', valid(['y', 'x'])),
      sourceReport('macos-profile', '/p.plist', undefined),
    ],
    root,
    now,
  );
  assert.equal(r.winner?.kind, 'macos-desktop-plist');
  assert.deepEqual(r.conflicts, []);
  assert.deepEqual(
    r.sources.map((s) => s.status),
    ['absent', 'valid', 'valid'],
  );
});

test('an invalid winner fails closed even when a lower source is valid (no fall-through)', () => {
  const r = combineSources([sourceReport('macos-profile', '/p', invalid('bad')), sourceReport('registry-json', '/r', valid(['ok']))], root, now);
  assert.equal(r.state, 'policy-error');
  assert.deepEqual(r.allowedOrgs, []);
  const view = toPolicyView(r);
  assert.equal(view.state, 'policy-error');
  assert.deepEqual(view.errors, ['/p /allowedOrgs: bad. Contact IT to fix the Bosun policy.']);
});

test('a valid winner with an invalid lower source enforces and warns about it', () => {
  const r = combineSources([sourceReport('macos-profile', '/p', valid(['ok'])), sourceReport('registry-json', '/r', invalid('bad'))], root, now);
  assert.equal(r.state, 'enforced');
  assert.match(r.conflicts[0] ?? '', /registry\.json \(\/r\) is also present but invalid/);
  assert.equal(r.errors[0]?.source, '/r');
});

test('no present source: no policy; a skipped source does not count', () => {
  const r = combineSources(
    [sourceReport('windows-registry', 'HKLM', undefined, { skipped: true, note: 'seam' }), sourceReport('registry-json', '/r', undefined)],
    root,
    now,
  );
  assert.equal(r.state, 'no-policy');
  assert.deepEqual(toPolicyView(r), { state: 'no-policy', allowedOrgs: [], errors: [], insecure: false });
});

test('protection problems of the winner make the view insecure and appear as warnings', () => {
  const protection = { secure: false, checked: ['/r'], problems: [{ path: '/r', message: 'file /r is writable by every user', fix: 'run: chmod 644 /r' }] };
  const r = combineSources([sourceReport('registry-json', '/r', valid(['a']), { protection })], root, now);
  assert.equal(toPolicyView(r).insecure, true);
  assert.ok(r.warnings.some((w) => w.message === 'file /r is writable by every user; run: chmod 644 /r'));
});

const settings = (o: unknown) => evaluateAdminSettings(Buffer.from(JSON.stringify(o)));

test('admin settings: server required and a URI; defaults applied; Docker Hub detected by URL', () => {
  const s = settings({ server: 'http://127.0.0.1:8080/' });
  assert.deepEqual(s.settings, { server: 'http://127.0.0.1:8080', offlineGraceMinutes: 1440, recheckMinutes: 15, hubMode: false });
  assert.equal(settings({ server: 'https://hub.docker.com' }).settings?.hubMode, true);
  assert.deepEqual(settings({}).errors, [
    { path: '/server', message: 'is required but missing; add "server": "https://bosun.example.com" (your Bosun server)' },
  ]);
  assert.ok(settings({ server: 'not a url' }).errors.some((e) => e.path === '/server' && /must be a uri/.test(e.message)));
  assert.equal(settings({ server: 'ftp://x' }).errors[0]?.path, '/server');
});

test('admin settings: every error is collected with its JSON path; unknown keys warn', () => {
  const s = settings({
    server: 'http://127.0.0.1:1',
    registries: [{ host: 'bad host!' }, { service: 'x' }],
    offlineGraceMinutes: -1,
    recheckMinutes: 'often',
    servr: 1,
  });
  assert.deepEqual(s.errors.map((e) => e.path).sort(), ['/offlineGraceMinutes', '/recheckMinutes', '/registries/0/host', '/registries/1/host'].sort());
  assert.deepEqual(s.warnings, [{ path: '/servr', message: 'unknown key "servr" is ignored; check its spelling' }]);
  assert.equal(s.settings, undefined, 'invalid settings are not used (fail closed)');
});

test('admin settings: registries override and plain http to a remote host warns', () => {
  const s = settings({ server: 'http://bosun.example.com', registries: [{ host: 'registry.example.com:5000', service: 'registry' }] });
  assert.deepEqual(s.settings?.registries, [{ host: 'registry.example.com:5000', service: 'registry' }]);
  assert.match(s.warnings[0]?.message ?? '', /plain http to a remote host/);
});

test('policyLogLine: one greppable line per state, naming the source', async () => {
  const { policyLogLine } = await import('../../../src/core/workstationPolicy/policyReport.js');
  const enforced = combineSources([sourceReport('registry-json', '/r.json', valid(['a', 'b']))], root, now);
  assert.equal(policyLogLine(enforced), '[Managed-by]: allowedOrgs=a,b from /r.json');
  const broken = combineSources([sourceReport('registry-json', '/r.json', invalid('must be an array'))], root, now);
  assert.equal(policyLogLine(broken), '[Managed-by]: POLICY ERROR from /r.json, failing closed: /allowedOrgs: must be an array');
  assert.equal(
    policyLogLine(combineSources([sourceReport('registry-json', '/r.json', undefined)], root, now)),
    '[Managed-by]: no allowedOrgs policy (looked at /r.json)',
  );
});

test('schema errors in registry.json say how to fix them, in the file’s own terms', () => {
  const judge = (text: string) => evaluateRegistryJson(new TextEncoder().encode(text), 'registry.json').errors.map((e) => `${e.path} ${e.message}`);
  assert.match(judge('{}').join('\n'), /\/allowedOrgs is required but missing; add "allowedOrgs": \["your-org"\]/);
  assert.match(judge('{"allowedOrgs": "acme"}').join('\n'), /\/allowedOrgs must be an array; write it as a list: "allowedOrgs": \["acme"\]/);
  assert.match(judge('{"allowedOrgs": []}').join('\n'), /list at least one organization/);
  assert.match(judge('{"allowedOrgs": [42]}').join('\n'), /\/allowedOrgs\/0 must be of type string; each entry is an organization name in quotes/);
  assert.match(judge('[]').join('\n'), /must hold one JSON object/);
});
