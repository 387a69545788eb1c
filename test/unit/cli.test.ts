import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBosun } from '../helpers/cli.js';
import { packageVersion } from '../../src/common/packageRoot.js';

test('bosun --version prints the package version', async () => {
  const r = await runBosun(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), `bosun ${packageVersion()}`);
});

test('bosun with an unknown command exits 2 and lists the commands', async () => {
  const r = await runBosun(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
  assert.match(r.stderr, /policy/);
});
