// Installers must contain packaged-flavor bundles (src/common/buildFlavor.ts: test seams ignored).
// scripts/build.mjs defines __BOSUN_PACKAGED__ under BOSUN_PACKAGED=1, and build/beforePack.cjs
// refuses to package anything else. Bundles here are built with esbuild exactly as build.mjs does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { packageRoot } from '../../../src/common/packageRoot.js';
import { makeSandbox } from '../../helpers/sandbox.js';

const require = createRequire(import.meta.url);
const hook = require(join(packageRoot(), 'build/beforePack.cjs')) as {
  developmentBundles(distDir: string): string[];
  helperSeaPath(platform: string, distDir: string): string;
  seaPaths(platform: string, distDir: string): string[];
};

async function bundleFlavorProbe(outfile: string, packaged: boolean) {
  const entry = join(packageRoot(), 'src/common/buildFlavor.ts');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    logLevel: 'silent',
    ...(packaged ? { define: { __BOSUN_PACKAGED__: 'true' } } : {}),
  });
  return (require(outfile) as { isPackagedBuild: boolean }).isPackagedBuild;
}

test('a bundle built with the define is packaged; beforePack flags only the development one', async (t) => {
  const box = makeSandbox();
  t.after(() => box.cleanup());
  const dist = join(box.dir, 'dist');
  mkdirSync(join(dist, 'electron'), { recursive: true });
  mkdirSync(join(dist, 'helper'), { recursive: true });
  mkdirSync(join(dist, 'cli'), { recursive: true });
  const packagedFile = join(dist, 'electron', 'main.cjs');
  const devFile = join(dist, 'helper', 'docker-credential-bosun.cjs');
  const devCli = join(dist, 'cli', 'bosun.cjs');
  assert.equal(await bundleFlavorProbe(packagedFile, true), true);
  assert.equal(await bundleFlavorProbe(devFile, false), false);
  assert.equal(await bundleFlavorProbe(devCli, false), false);
  assert.deepEqual(hook.developmentBundles(dist), [devFile, devCli]);
  await bundleFlavorProbe(devFile, true);
  await bundleFlavorProbe(devCli, true);
  assert.deepEqual(hook.developmentBundles(dist), []);
});

test('beforePack looks for the SEA of the platform being packaged', (t) => {
  const box = makeSandbox();
  t.after(() => box.cleanup());
  assert.match(hook.helperSeaPath('win32', box.dir), /helper[\\/]sea[\\/]docker-credential-bosun\.exe$/);
  assert.match(hook.helperSeaPath('linux', box.dir), /helper[\\/]sea[\\/]docker-credential-bosun$/);
  const sea = hook.helperSeaPath('darwin', box.dir);
  mkdirSync(join(box.dir, 'helper', 'sea'), { recursive: true });
  writeFileSync(sea, 'x');
  assert.deepEqual(hook.developmentBundles(box.dir), []);
  writeFileSync(sea, 'prefix __BOSUN_PACKAGED__ suffix');
  assert.deepEqual(hook.developmentBundles(box.dir), [sea], 'a SEA made from a development bundle is caught too');
});

test('beforePack wants both single executables: the helper and the bosun command', (t) => {
  const box = makeSandbox();
  t.after(() => box.cleanup());
  const names = (platform: string) => hook.seaPaths(platform, box.dir).map((p) => p.slice(box.dir.length + 1).replace(/\\/g, '/'));
  assert.deepEqual(names('win32'), ['helper/sea/docker-credential-bosun.exe', 'cli/sea/bosun.exe']);
  assert.deepEqual(names('darwin'), ['helper/sea/docker-credential-bosun', 'cli/sea/bosun']);
  const cliSea = hook.seaPaths('linux', box.dir)[1]!;
  mkdirSync(dirname(cliSea), { recursive: true });
  writeFileSync(cliSea, 'prefix __BOSUN_PACKAGED__ suffix');
  assert.deepEqual(hook.developmentBundles(box.dir), [cliSea], 'a bosun SEA made from a development bundle is caught');
});
