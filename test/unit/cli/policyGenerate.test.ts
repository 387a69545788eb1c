// `bosun policy generate` through the built bin, as an admin runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parsePlist } from 'plist';
import { runBosun } from '../../helpers/cli.js';
import { makeSandbox } from '../../helpers/sandbox.js';
import { parseRegFile } from '../../helpers/regFile.js';

test('writes each format to --out, atomically, keeping the previous file as .bak', async (t) => {
  const box = makeSandbox();
  t.after(() => box.cleanup());
  const json = join(box.dir, 'registry.json');
  writeFileSync(json, '{"allowedOrgs":["old"]}\n');
  const r = await runBosun(['policy', 'generate', '--format', 'registry-json', '--org', 'MyCompany', '--org', 'partner;mycompany', '--out', json], {
    env: box.env,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.deepEqual(JSON.parse(readFileSync(json, 'utf8')), { allowedOrgs: ['mycompany', 'partner'] });
  assert.equal(readFileSync(`${json}.bak`, 'utf8'), '{"allowedOrgs":["old"]}\n');
  assert.match(r.stderr, /Wrote .*registry\.json \(registry-json; allowedOrgs: mycompany, partner\)/);

  const reg = join(box.dir, 'allowed-orgs.reg');
  assert.equal((await runBosun(['policy', 'generate', '--format', 'reg', '--org', 'mycompany', '--out', reg], { env: box.env })).code, 0);
  const regValue = parseRegFile(readFileSync(reg)).keys.get('HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Docker\\Docker Desktop')?.get('allowedOrgs');
  assert.deepEqual(regValue, { type: 'REG_MULTI_SZ', strings: ['mycompany'] });

  const profile = join(box.dir, 'docker.mobileconfig');
  assert.equal(
    (await runBosun(['policy', 'generate', '--format', 'mobileconfig', '--org', 'a', '--org', 'b', '--profile-org', 'IT', '--out', profile], { env: box.env }))
      .code,
    0,
  );
  const parsed = parsePlist(readFileSync(profile, 'utf8')) as { PayloadOrganization: string; PayloadContent: { allowedOrgs: string }[] };
  assert.equal(parsed.PayloadOrganization, 'IT');
  assert.equal(parsed.PayloadContent[0]?.allowedOrgs, 'a;b');
});

test('two mobileconfig runs get fresh payload UUIDs (MDM servers reject reused ones across profiles)', async () => {
  const one = await runBosun(['policy', 'generate', '--format', 'mobileconfig', '--org', 'a']);
  const two = await runBosun(['policy', 'generate', '--format', 'mobileconfig', '--org', 'a']);
  const uuid = (xml: string) => (parsePlist(xml) as { PayloadUUID: string }).PayloadUUID;
  assert.equal(one.code, 0);
  assert.notEqual(uuid(one.stdout), uuid(two.stdout));
});

test('a bad org name is a clear error naming it, exit 2, and nothing is written', async (t) => {
  const box = makeSandbox();
  t.after(() => box.cleanup());
  const out = join(box.dir, 'registry.json');
  const r = await runBosun(['policy', 'generate', '--format', 'registry-json', '--org', 'good', '--org', 'My Company', '--org', 'ghcr.io/acme', '--out', out], {
    env: box.env,
  });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--org "my company" is not a valid organization name/);
  assert.match(r.stderr, /--org "ghcr\.io\/acme" is not a valid organization name/);
  assert.match(r.stderr, /Nothing was written/);
  assert.equal(existsSync(out), false);
});

test('a missing or unknown --format, or no --org, is a usage error', async () => {
  const noFormat = await runBosun(['policy', 'generate', '--org', 'a']);
  assert.equal(noFormat.code, 2);
  assert.match(noFormat.stderr, /--format must be one of registry-json, mobileconfig, reg/);
  const unknown = await runBosun(['policy', 'generate', '--format', 'yaml', '--org', 'a']);
  assert.match(unknown.stderr, /\(got "yaml"\)/);
  const noOrg = await runBosun(['policy', 'generate', '--format', 'reg']);
  assert.equal(noOrg.code, 2);
  assert.match(noOrg.stderr, /no organization given: pass at least one --org NAME/);
});

test('generate → bosun policy show: the generated registry.json is the policy in force, admin-protected', async (t) => {
  const box = makeSandbox();
  t.after(() => box.cleanup());
  // The sandbox's policy root stands in for "/"; the file goes where Linux workstations read it.
  const dir = join(box.policyRoot, 'usr/share/docker-desktop/registry');
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const file = join(dir, 'registry.json');
  assert.equal(
    (await runBosun(['policy', 'generate', '--format', 'registry-json', '--org', 'MyCompany', '--org', 'partner.io', '--out', file], { env: box.env })).code,
    0,
  );
  const show = await runBosun(['policy', 'show', '--json'], { env: box.env });
  assert.equal(show.code, 0, show.stderr);
  const report = JSON.parse(show.stdout) as {
    policy: {
      state: string;
      allowedOrgs: string[];
      winner: { location: string };
      errors: unknown[];
      sources: { location: string; protection: { secure: boolean } }[];
    };
  };
  assert.equal(report.policy.state, 'enforced');
  assert.deepEqual(report.policy.allowedOrgs, ['mycompany', 'partner.io']);
  assert.equal(report.policy.winner.location, file);
  assert.deepEqual(report.policy.errors, []);
  if (process.getuid?.() === 0) {
    // Written 0644 by root: what docs/it-deployment.md asks for.
    assert.equal(report.policy.sources.find((s) => s.location === file)?.protection.secure, true);
  }
});
