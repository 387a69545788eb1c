// Builds the executables the installers put on PATH as Node single executable applications (SEA):
// an esbuild bundle injected into a copy of the node binary with postject, so they run on a
// workstation that has no Node installed:
//   docker-credential-bosun (src/helper/main.ts): Docker execs it on every pull; it must not depend
//     on a system node that users can swap out;
//   bosun (src/cli/main.ts, the workstation commands: login, status, doctor, logs, policy).
//
// Usage: node scripts/build-helper-sea.mjs                     both, into dist/helper/sea and dist/cli/sea
//        node scripts/build-helper-sea.mjs --entry BUNDLE.cjs --out EXECUTABLE   one
//        [--node /path/to/node]
// Build on each target OS with that OS's node (release.yml does): a SEA embeds the running
// platform's binary. Needs `npm run build` first for the default entry.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inject } from 'postject';

// Node's documented sentinel for SEA blobs (https://nodejs.org/api/single-executable-applications.html).
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const exe = process.platform === 'win32' ? '.exe' : '';

/** What the installers ship, [bundle, executable] relative to the repository (build/beforePack.cjs checks them). */
export const SEA_TARGETS = [
  ['dist/helper/docker-credential-bosun.cjs', `dist/helper/sea/docker-credential-bosun${exe}`],
  ['dist/cli/bosun.cjs', `dist/cli/sea/bosun${exe}`],
];

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with ${r.status ?? r.signal}`);
}

export async function buildHelperSea({ entry, out, node = process.execPath }) {
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: run \`npm run build\` first (it makes the bundles in dist/)`);
  const work = `${out}.work`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  mkdirSync(dirname(out), { recursive: true });
  try {
    const blob = join(work, 'sea-prep.blob');
    const config = join(work, 'sea-config.json');
    // useCodeCache off: the cache is tied to the exact V8 build and flags; startup is fast anyway.
    writeFileSync(config, JSON.stringify({ main: entry, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false }));
    run(node, ['--experimental-sea-config', config]);
    rmSync(out, { force: true });
    copyFileSync(node, out);
    chmodSync(out, 0o755);
    // A signed node's signature would be invalid after injection; drop it, re-sign (ad hoc) after.
    if (process.platform === 'darwin') run('codesign', ['--remove-signature', out]);
    await inject(out, 'NODE_SEA_BLOB', readFileSync(blob), {
      sentinelFuse: SEA_FUSE,
      ...(process.platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
    });
    if (process.platform === 'darwin')
      run('codesign', [
        '--sign',
        process.env.BOSUN_MAC_SIGN_IDENTITY || '-',
        '--options',
        'runtime',
        '--entitlements',
        join(root, 'build/entitlements.mac.plist'),
        '--force',
        out,
      ]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { entry: { type: 'string' }, out: { type: 'string' }, node: { type: 'string' } } });
  try {
    if (Boolean(values.entry) !== Boolean(values.out)) throw new Error('--entry and --out go together');
    const targets = values.entry && values.out ? [[resolve(values.entry), resolve(values.out)]] : SEA_TARGETS.map(([e, o]) => [join(root, e), join(root, o)]);
    for (const [entry, out] of targets) {
      await buildHelperSea({ entry, out, ...(values.node ? { node: resolve(values.node) } : {}) });
      console.log(`build-helper-sea: ${out}`);
    }
  } catch (err) {
    console.error(`build-helper-sea: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
