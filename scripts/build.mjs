// Build: tsc emits dist/ (type-checked ES modules), then esbuild bundles the entry points that
// must start fast or run without node_modules (the credential helper, the Electron shell).
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, cjsImportMetaUrl, cliBundleOptions } from './bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
rmSync(join(root, 'dist'), { recursive: true, force: true });

const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
chmodSync(join(root, 'dist/src/cli/main.js'), 0o755);

// Bundles: [entry, outfile, format, options?]. Added as their entry points appear.
// CommonJS has no import.meta; packageRoot() walks up from the bundle's own file instead.
// Native modules stay external: electron-builder ships them in node_modules, rebuilt for Electron's ABI.
const electronMain = {
  external: ['electron', 'keytar', 'better-sqlite3', 'koffi'],
  target: 'node22',
  ...cjsImportMetaUrl,
};
const page = { platform: 'browser', target: 'chrome120', minify: false };
const bundles = [
  ['src/helper/main.ts', 'dist/helper/docker-credential-bosun.cjs', 'cjs'],
  // The workstation `bosun` command; scripts/build-helper-sea.mjs makes it a single executable.
  ['src/cli/main.ts', 'dist/cli/bosun.cjs', 'cjs', cliBundleOptions(root)],
  ['electron/main.ts', 'dist/electron/main.cjs', 'cjs', electronMain],
  ['electron/preload.ts', 'dist/electron/preload.cjs', 'cjs', { external: ['electron'], platform: 'browser', target: 'chrome120' }],
  ['src/ui/signin.ts', 'dist/ui/signin.js', 'iife', page],
  ['src/ui/permissions.ts', 'dist/ui/permissions.js', 'iife', page],
  ['src/ui/diagnostics.ts', 'dist/ui/diagnostics.js', 'iife', page],
  ['src/ui/about.ts', 'dist/ui/about.js', 'iife', page],
];
for (const spec of bundles) {
  if (!existsSync(join(root, spec[0]))) continue;
  // Installers are built with BOSUN_PACKAGED=1: src/common/buildFlavor.ts then ignores test seams.
  await bundle(root, spec, { version, packaged: process.env.BOSUN_PACKAGED === '1' });
}
// The app's static files: pages' HTML/CSS next to their scripts, tray icons next to main.cjs.
cpSync(join(root, 'src/ui'), join(root, 'dist/ui'), { recursive: true, filter: (f) => !f.endsWith('.ts') });
cpSync(join(root, 'electron/assets'), join(root, 'dist/electron/assets'), { recursive: true });
// The token signing worker is a JavaScript module file (src/server/token/batchSigner.ts loads it
// beside itself): next to tsc's output, and next to the bundled CLI, whose import.meta.url is its own file.
for (const dir of ['dist/src/server/token', 'dist/cli']) cpSync(join(root, 'src/server/token/signingWorker.mjs'), join(root, dir, 'signingWorker.mjs'));
console.log('build: ok');
