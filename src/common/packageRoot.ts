import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The directory holding Bosun's package.json. Found by walking up from this module, because the
 * same code runs from `src/` (tsx, tests), from `dist/src/` (npm build) and from an app bundle.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string };
      if (pkg.name === 'bosun') return (cached = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Bosun package root above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

// Defined by scripts/build.mjs from package.json: a bundle (the `bosun` single executable) has no
// package.json beside it. Absent when run from source or from tsc's output.
declare const __BOSUN_VERSION__: string | undefined;

export function packageVersion(): string {
  if (typeof __BOSUN_VERSION__ === 'string') return __BOSUN_VERSION__;
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
