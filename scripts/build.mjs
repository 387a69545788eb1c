// Build: tsc emits dist/ (type-checked ES modules), then esbuild bundles the entry points that
// must start fast or run without node_modules (the credential helper, the Electron shell).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });

const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
chmodSync(join(root, 'dist/src/cli/main.js'), 0o755);

// Bundles: [entry, outfile, format]. Added as their entry points appear.
const bundles = [
  ['src/helper/main.ts', 'dist/helper/docker-credential-bosun.cjs', 'cjs'],
];
for (const [entry, outfile, format] of bundles) {
  if (!existsSync(join(root, entry))) continue;
  await build({
    entryPoints: [join(root, entry)],
    outfile: join(root, outfile),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format,
    minify: true,
    logLevel: 'warning',
    // Installers are built with BOSUN_PACKAGED=1: src/common/buildFlavor.ts then ignores test seams.
    ...(process.env.BOSUN_PACKAGED === '1' ? { define: { __BOSUN_PACKAGED__: 'true' } } : {}),
  });
  chmodSync(join(root, outfile), 0o755);
}
console.log('build: ok');
