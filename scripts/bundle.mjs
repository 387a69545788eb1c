// One esbuild bundle exactly as scripts/build.mjs makes it, so tests can build a single bundle into a
// temporary directory (packaged flavor included) without rebuilding or clobbering dist/.
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/** CommonJS has no import.meta: code that reads import.meta.url gets the bundle's own file URL. */
export const cjsImportMetaUrl = {
  define: { 'import.meta.url': '__bosunModuleUrl' },
  banner: { js: "const __bosunModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/** schemas/*.schema.json by file name, in file-name order (src/common/schemas.ts reads them so). */
export function embeddedSchemas(root) {
  const dir = join(root, 'schemas');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort();
  return Object.fromEntries(files.map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8'))]));
}

/**
 * The workstation `bosun` command (src/cli/main.ts) as one CommonJS file that runs with nothing
 * beside it, so it can become a single executable: the schemas and the version are embedded, not
 * read from schemas/ and package.json. The native modules stay external; the commands that need
 * them say so instead of crashing (src/cli/workstationInstall.ts, src/agent/keychain.ts).
 */
export function cliBundleOptions(root) {
  return {
    external: ['keytar', 'better-sqlite3', 'koffi'],
    banner: cjsImportMetaUrl.banner,
    define: { ...cjsImportMetaUrl.define, __BOSUN_SCHEMAS__: JSON.stringify(embeddedSchemas(root)) },
  };
}

/**
 * Bundles `entry` into `outfile` (relative to root, or absolute). packaged: the installers' flavor
 * (BOSUN_PACKAGED=1), in which src/common/buildFlavor.ts ignores test seams.
 */
export async function bundle(root, [entry, outfile, format, options = {}], { version, packaged }) {
  await build({
    entryPoints: [resolve(root, entry)],
    outfile: resolve(root, outfile),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format,
    minify: true,
    logLevel: 'warning',
    ...options,
    // Merged with the bundle's own defines (import.meta.url, embedded schemas).
    // The version is baked in: a packaged helper or CLI has no package.json beside it.
    define: {
      ...options.define,
      __BOSUN_VERSION__: JSON.stringify(version),
      ...(packaged ? { __BOSUN_PACKAGED__: 'true' } : {}),
    },
  });
  if (format === 'cjs') chmodSync(resolve(root, outfile), 0o755);
}
