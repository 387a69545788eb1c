// The install-time allowed-org option of the macOS pkg and the Linux deb: both call
// build/macos/pkg-scripts/write-registry-json.sh, run here for real into a sandbox directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../src/common/packageRoot.js';
import { makeSandbox } from '../../helpers/sandbox.js';

const script = join(packageRoot(), 'build/macos/pkg-scripts/write-registry-json.sh');
const asRoot = process.getuid?.() === 0 ? false : 'the script makes the file root-owned (install -o root, chown root); run as root, as installers do';

const run = (orgs: string, file: string) => spawnSync(script, [orgs, file], { encoding: 'utf8' });

test('writes registry.json admin-only from "a;b,c" with the agent\'s normalization, keeping a backup', { skip: asRoot }, (t) => {
  const box = makeSandbox();
  t.after(() => box.cleanup());
  const file = join(box.dir, 'com.docker.docker', 'registry.json');
  const r = run(' MyCompany ; partner,mycompany', file);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { allowedOrgs: ['mycompany', 'partner'] });
  const st = statSync(file);
  assert.equal(st.uid, 0);
  assert.equal(st.mode & 0o777, 0o644);
  assert.equal(statSync(join(box.dir, 'com.docker.docker')).mode & 0o777, 0o755);
  assert.equal(run('other', file).status, 0);
  assert.deepEqual(JSON.parse(readFileSync(`${file}.bak`, 'utf8')), { allowedOrgs: ['mycompany', 'partner'] });
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { allowedOrgs: ['other'] });
});

test('a bad name writes nothing, leaves the old file, and says which name', { skip: asRoot }, (t) => {
  const box = makeSandbox();
  t.after(() => box.cleanup());
  const dir = join(box.dir, 'registry');
  mkdirSync(dir);
  const file = join(dir, 'registry.json');
  writeFileSync(file, '{"allowedOrgs":["keep"]}\n');
  for (const bad of ['my company', 'acme/web', 'ок', 'a"b']) {
    const r = run(`good;${bad}`, file);
    assert.equal(r.status, 1, bad);
    assert.ok(r.stderr.includes(`"${bad.toLowerCase()}" is not a valid organization name`), r.stderr);
    assert.equal(readFileSync(file, 'utf8'), '{"allowedOrgs":["keep"]}\n');
  }
  const empty = run(' ; ', join(box.dir, 'none', 'registry.json'));
  assert.equal(empty.status, 1);
  assert.match(empty.stderr, /no organization/);
  assert.equal(existsSync(join(box.dir, 'none', 'registry.json')), false);
});
