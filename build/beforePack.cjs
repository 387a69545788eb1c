// beforePack: refuse to package a development build. A bundle built without BOSUN_PACKAGED=1 still
// carries the identifier __BOSUN_PACKAGED__ (esbuild replaces it only under `define`), and in such a
// build test seams like BOSUN_POLICY_ROOT would redirect the policy on a managed workstation
// (src/common/buildFlavor.ts). Also refuse when the credential helper's SEA for the target is missing:
// an installer without it would leave docker with no helper to call.
'use strict';
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const MARKER = '__BOSUN_PACKAGED__';
const root = join(__dirname, '..');

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Bundles under dist/electron and dist/helper (and the helper SEAs) that are development builds. */
function developmentBundles(distDir = join(root, 'dist')) {
  const candidates = [...filesUnder(join(distDir, 'electron')), ...filesUnder(join(distDir, 'helper'))]
    .filter((f) => /\.(c?js|mjs)$/.test(f) || /docker-credential-bosun(\.exe)?$/.test(f));
  // The SEA embeds its script verbatim (useCodeCache off), so the same check covers it.
  return candidates.filter((f) => readFileSync(f).includes(MARKER));
}

function helperSeaPath(platform, distDir = join(root, 'dist')) {
  return join(distDir, 'helper', 'sea', platform === 'win32' ? 'docker-credential-bosun.exe' : 'docker-credential-bosun');
}

async function beforePack(context) {
  const dev = developmentBundles();
  if (dev.length) {
    throw new Error(`${dev.map((f) => relative(root, f)).join(', ')}: development build; run \`BOSUN_PACKAGED=1 npm run build\` and \`node scripts/build-helper-sea.mjs\` before packaging`);
  }
  const sea = helperSeaPath(context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName);
  if (!existsSync(sea)) throw new Error(`${relative(root, sea)} is missing: run \`node scripts/build-helper-sea.mjs\` on this OS before packaging`);
}

module.exports = beforePack;
module.exports.default = beforePack;
module.exports.developmentBundles = developmentBundles;
module.exports.helperSeaPath = helperSeaPath;
