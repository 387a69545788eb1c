// The `bosun policy` contract, run exactly as external tests do (package.json bin after npm run build).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runBosun } from '../../helpers/cli.js';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';
import { policyLocations } from '../../../src/platform/workstationPolicy/locations.js';

let sb: Sandbox;
let registryJson: string;
let settingsJson: string;
before(() => {
  sb = makeSandbox();
  ({ registryJson, adminSettings: settingsJson } = policyLocations({ env: sb.env }));
});
after(() => sb.cleanup());

function put(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, 0o644);
}

interface CheckJson {
  valid: boolean;
  allowedOrgs: string[];
  errors: { path: string; message: string }[];
  warnings: { path: string; message: string }[];
}

test('policy check: a valid file exits 0; --json has valid, normalized allowedOrgs, errors and warnings', async () => {
  const f = join(sb.dir, 'ok.json');
  writeFileSync(f, '{"allowedOrgs": [" MyOrg ", "other;myorg"], "comment": "x"}');
  const r = await runBosun(['policy', 'check', f, '--json'], { env: sb.env });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as CheckJson;
  assert.equal(out.valid, true);
  assert.deepEqual(out.allowedOrgs, ['myorg', 'other']);
  assert.deepEqual(out.errors, []);
  assert.deepEqual(out.warnings, [{ path: '/comment', message: 'unknown key "comment" is ignored; check its spelling' }]);
});

test('policy check: an invalid file exits 1 and lists every error with its JSON path', async () => {
  const f = join(sb.dir, 'bad.json');
  writeFileSync(f, '{"allowedOrgs": ["good", "bad org", "docker.io/x"]}');
  const r = await runBosun(['policy', 'check', f, '--json'], { env: sb.env });
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout) as CheckJson;
  assert.equal(out.valid, false);
  assert.deepEqual(out.allowedOrgs, []);
  assert.deepEqual(
    out.errors.map((e) => e.path),
    ['/allowedOrgs/1', '/allowedOrgs/2'],
  );
  for (const e of out.errors) assert.deepEqual(Object.keys(e).sort(), ['message', 'path']);
});

test('policy check (text): says what is wrong and that the policy would fail closed', async () => {
  const f = join(sb.dir, 'utf16.json');
  writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"allowedOrgs":["a"]}', 'utf16le')]));
  const r = await runBosun(['policy', 'check', f], { env: sb.env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /INVALID\. Deployed as is, this policy fails closed/);
  assert.match(r.stderr, /error: .*encoded as UTF-16.*save it again as UTF-8/);
  const ok = join(sb.dir, 'ok2.json');
  writeFileSync(ok, '{"allowedOrgs":["a"]}');
  const v = await runBosun(['policy', 'check', ok], { env: sb.env });
  assert.equal(v.code, 0);
  assert.equal(v.stdout, `${ok}: valid\n  allowedOrgs: a\n`);
});

test('policy check: a missing file or a directory exits 1; usage errors exit 2', async () => {
  const missing = await runBosun(['policy', 'check', join(sb.dir, 'nope.json'), '--json'], { env: sb.env });
  assert.equal(missing.code, 1);
  assert.match((JSON.parse(missing.stdout) as CheckJson).errors[0]?.message ?? '', /does not exist/);
  const dir = await runBosun(['policy', 'check', sb.dir], { env: sb.env });
  assert.equal(dir.code, 1);
  assert.match(dir.stderr, /is a directory, but it must be a file/);
  assert.equal((await runBosun(['policy', 'check'], { env: sb.env })).code, 2);
  assert.equal((await runBosun(['policy', 'check', 'a', 'b'], { env: sb.env })).code, 2);
  assert.equal((await runBosun(['policy', 'check', 'a', '--jsn'], { env: sb.env })).code, 2);
  const unknown = await runBosun(['policy', 'frob'], { env: sb.env });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown subcommand 'frob'[\s\S]*bosun policy check <file> \[--json\]/);
});

interface ShowJson {
  policy: {
    state: string;
    allowedOrgs: string[];
    winner?: { location: string };
    sources: { kind: string; status: string; location: string }[];
    root: { seam: string };
  };
  view: { state: string; insecure: boolean };
  settings: { status: string; path: string; settings?: { server: string } };
}

test('policy show: no policy → exit 0, lists the source looked at and the active seam', async () => {
  rmSync(dirname(registryJson), { recursive: true, force: true });
  const r = await runBosun(['policy', 'show', '--json'], { env: sb.env });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as ShowJson;
  assert.equal(out.policy.state, 'no-policy');
  assert.deepEqual(
    out.policy.sources.map((s) => [s.kind, s.status, s.location]),
    [['registry-json', 'absent', registryJson]],
  );
  assert.equal(out.policy.root.seam, 'active');
  assert.equal(out.settings.status, 'absent');
});

test('policy show: enforced and protected → exit 0 with the winner and settings', async () => {
  put(registryJson, '{"allowedOrgs": ["myorg"]}');
  put(settingsJson, '{"server": "http://127.0.0.1:8080"}');
  const r = await runBosun(['policy', 'show'], { env: sb.env });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^Policy: enforced: developers must sign in to myorg$/m);
  assert.match(r.stdout, new RegExp(`^Decided by: ${registryJson}$`, 'm'));
  assert.match(r.stdout, /^Protection: ok/m);
  assert.match(r.stdout, /^ {2}server: http:\/\/127\.0\.0\.1:8080$/m);
  const json = JSON.parse((await runBosun(['policy', 'show', '--json'], { env: sb.env })).stdout) as ShowJson;
  assert.deepEqual(json.view, { state: 'enforced', allowedOrgs: ['myorg'], errors: [], insecure: false });
  assert.equal(json.settings.settings?.server, 'http://127.0.0.1:8080');
});

test('policy show: a file writable by others → exit 3 with the exact fix', async () => {
  put(registryJson, '{"allowedOrgs": ["myorg"]}');
  chmodSync(registryJson, 0o666);
  const r = await runBosun(['policy', 'show'], { env: sb.env });
  assert.equal(r.code, 3);
  assert.match(r.stdout, /Protection: NOT PROTECTED/);
  assert.ok(r.stdout.includes(`run: chmod 644 ${registryJson}`), r.stdout);
  chmodSync(registryJson, 0o644);
});

test('policy show: an invalid policy → exit 1, fail closed, with the error and its path', async () => {
  put(registryJson, '{"allowedOrgs": "myorg"}');
  const r = await runBosun(['policy', 'show'], { env: sb.env });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /POLICY ERROR: .*fail closed/);
  assert.ok(r.stdout.includes(`error: ${registryJson} /allowedOrgs: must be an array`), r.stdout);
});

test('policy show: invalid settings.json → exit 1 naming the field', async () => {
  put(registryJson, '{"allowedOrgs": ["myorg"]}');
  put(settingsJson, '{"server": "127.0.0.1:8080", "recheckMinutes": 0}');
  const r = await runBosun(['policy', 'show', '--json'], { env: sb.env });
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout) as ShowJson & { settings: { errors: { path: string }[] } };
  assert.equal(out.settings.status, 'invalid');
  assert.deepEqual([...new Set(out.settings.errors.map((e) => e.path))].sort(), ['/recheckMinutes', '/server']);
  rmSync(settingsJson);
});
