// `bosun uninstall-config`, run as the built command.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { runBosun } from '../../helpers/cli.js';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';

describe('bosun uninstall-config', () => {
  let sb: Sandbox;
  let path: string;
  beforeEach(() => {
    sb = makeSandbox();
    path = join(sb.dockerConfig, 'config.json');
  });
  afterEach(() => sb.cleanup());

  it("removes only Bosun's entries and says which", async () => {
    const user = { auths: { 'ghcr.io': { auth: 'dTpw' } }, credsStore: 'desktop', credHelpers: { 'gcr.io': 'gcloud' }, plugins: { x: { y: 'z' } } };
    writeFileSync(path, JSON.stringify({ ...user, credHelpers: { ...user.credHelpers, 'reg.mycompany.test:5000': 'bosun', 'index.docker.io': 'bosun' } }));
    const r = await runBosun(['uninstall-config'], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /reg\.mycompany\.test:5000, index\.docker\.io/);
    assert.match(r.stdout, /Everything else in the file is unchanged/);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), user);
  });

  it('says so when there is nothing to remove, and changes nothing', async () => {
    writeFileSync(path, '{"credsStore":"desktop"}');
    const r = await runBosun(['uninstall-config'], { env: sb.env });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Nothing to remove/);
    assert.equal(readFileSync(path, 'utf8'), '{"credsStore":"desktop"}');
  });

  it('leaves a malformed file alone and explains', async () => {
    writeFileSync(path, '{"credHelpers": {"a": "bosun"');
    const r = await runBosun(['uninstall-config'], { env: sb.env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not valid JSON/);
    assert.equal(readFileSync(path, 'utf8'), '{"credHelpers": {"a": "bosun"');
  });
});
