// scripts/build-helper-sea.mjs turns a CommonJS bundle into a single executable that runs with no
// Node installed. Built here with this machine's node; each build takes a few seconds.
import { packageVersion } from '../../../src/common/packageRoot.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../src/common/packageRoot.js';
import { makeSandbox } from '../../helpers/sandbox.js';

const script = join(packageRoot(), 'scripts/build-helper-sea.mjs');
// A node built without single-executable support (some distribution builds) lacks Node's SEA sentinel.
const noSeaSupport = readFileSync(process.execPath).includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2')
  ? false
  : `${process.execPath} has no single-executable-application sentinel (a node built without SEA support); the release workflow builds the SEA with the official node`;
const helperBundle = join(packageRoot(), 'dist/helper/docker-credential-bosun.cjs');

function buildSea(entry: string, out: string) {
  const r = spawnSync(process.execPath, [script, '--entry', entry, '--out', out], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `build-helper-sea failed:\n${r.stdout}\n${r.stderr}`);
  assert.ok(existsSync(out));
}

/** Runs the executable with an empty environment: no PATH, so no node to fall back on. */
function runBare(file: string, args: string[], input = '') {
  return spawnSync(file, args, { env: {}, input, encoding: 'utf8', timeout: 10_000 });
}

test('the SEA runs a bundle with no node on PATH and knows it is a single executable', { skip: noSeaSupport }, (t) => {
  const box = makeSandbox();
  t.after(() => box.cleanup());
  const entry = join(box.dir, 'probe.cjs');
  writeFileSync(
    entry,
    'const sea = require("node:sea"); process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), isSea: sea.isSea(), path: process.env.PATH ?? null }));',
  );
  const out = join(box.dir, 'probe');
  buildSea(entry, out);
  const r = runBare(out, ['version', '--x']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { argv: ['version', '--x'], isSea: true, path: null });
});

test(
  'docker-credential-bosun as a SEA answers `version`',
  { skip: noSeaSupport || (existsSync(helperBundle) ? false : `${helperBundle} does not exist: run \`npm run build\` first`) },
  (t) => {
    const box = makeSandbox();
    t.after(() => box.cleanup());
    const out = join(box.dir, 'docker-credential-bosun');
    buildSea(helperBundle, out);
    const r = runBare(out, ['version']);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.equal(r.stdout.trim().split('\n').length, 1, 'version prints one line (credential-helper protocol)');
    // The version is baked in at build time: a SEA has no package.json beside it.
    assert.equal(r.stdout, `docker-credential-bosun (Bosun) ${packageVersion()}\n`);
  },
);

test('a missing bundle is a clear error that says to build first', (t) => {
  const box = makeSandbox();
  t.after(() => box.cleanup());
  const r = spawnSync(process.execPath, [script, '--entry', join(box.dir, 'nope.cjs'), '--out', join(box.dir, 'x')], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /nope\.cjs does not exist: run `npm run build` first/);
});
