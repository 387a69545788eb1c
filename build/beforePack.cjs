// beforePack: refuse to package a development build. A bundle built without BOSUN_PACKAGED=1 still
// carries the identifier __BOSUN_PACKAGED__ (esbuild replaces it only under `define`), and in such a
// build test seams like BOSUN_POLICY_ROOT would redirect the policy on a managed workstation
// (src/common/buildFlavor.ts). Also refuse when a single executable for the target is missing: an
// installer without the credential helper would leave docker with no helper to call, and one without
// the `bosun` command would leave users and IT without `bosun login`, `status`, `doctor`, `policy show`.
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

/** The single executables every installer ships (scripts/build-helper-sea.mjs builds them). */
const EXECUTABLES = [
  ['helper', 'docker-credential-bosun'],
  ['cli', 'bosun'],
];

/** Bundles under dist/electron, dist/helper and dist/cli (and the SEAs) that are development builds. */
function developmentBundles(distDir = join(root, 'dist')) {
  const candidates = ['electron', ...EXECUTABLES.map(([dir]) => dir)]
    .flatMap((dir) => filesUnder(join(distDir, dir)))
    .filter((f) => /\.(c?js|mjs)$/.test(f) || /(^|[\\/])(docker-credential-bosun|bosun)(\.exe)?$/.test(f));
  // The SEA embeds its script verbatim (useCodeCache off), so the same check covers it.
  return candidates.filter((f) => readFileSync(f).includes(MARKER));
}

function seaPaths(platform, distDir = join(root, 'dist')) {
  return EXECUTABLES.map(([dir, name]) => join(distDir, dir, 'sea', platform === 'win32' ? `${name}.exe` : name));
}

function helperSeaPath(platform, distDir = join(root, 'dist')) {
  return seaPaths(platform, distDir)[0];
}

async function beforePack(context) {
  const dev = developmentBundles();
  if (dev.length) {
    throw new Error(
      `${dev.map((f) => relative(root, f)).join(', ')}: development build; run \`BOSUN_PACKAGED=1 npm run build\` and \`node scripts/build-helper-sea.mjs\` before packaging`,
    );
  }
  const missing = seaPaths(context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName).filter((f) => !existsSync(f));
  if (missing.length)
    throw new Error(`${missing.map((f) => relative(root, f)).join(', ')} missing: run \`node scripts/build-helper-sea.mjs\` on this OS before packaging`);
}

module.exports = beforePack;
module.exports.default = beforePack;
module.exports.developmentBundles = developmentBundles;
module.exports.helperSeaPath = helperSeaPath;
module.exports.seaPaths = seaPaths;
