import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerCliVersionCheck, findOnPath, helperOnPathCheck } from '../../../src/agent/doctor/environmentChecks.js';

test('the helper check finds an executable docker-credential-bosun on PATH, and says what to do when absent', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-path-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(helperOnPathCheck(dir).status, 'fail');
  assert.match(helperOnPathCheck(dir).fix ?? '', /Reinstall Bosun/);
  const helper = join(dir, 'docker-credential-bosun');
  writeFileSync(helper, '#!/bin/sh\n');
  chmodSync(helper, 0o644);
  assert.equal(findOnPath('docker-credential-bosun', dir), undefined, 'not executable, not found');
  chmodSync(helper, 0o755);
  assert.equal(helperOnPathCheck(dir).status, 'ok');
});

test('the Docker CLI check reads the real docker client version', async (t) => {
  if (!findOnPath('docker')) return t.skip('no docker CLI on PATH (scripts/setup.sh installs docker.io)');
  const check = await dockerCliVersionCheck();
  assert.match(check.detail, /^\d+\.\d+\.\d+:/);
});
