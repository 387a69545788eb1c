// Puts `docker-credential-bosun` on PATH for a test, the way a user does after `npm run build`:
// a private bin dir holding a symlink to the built helper, prepended to PATH in the returned env.
// Docker, BuildKit, skopeo and podman then find it exactly as they would on a workstation.
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { binPath } from './cli.js';

export interface HelperOnPath {
  binDir: string;
  /** The env with the bin dir (and this Node, for the helper's `#!/usr/bin/env node`) first on PATH. */
  env: NodeJS.ProcessEnv;
}

export function helperOnPath(dir: string, env: NodeJS.ProcessEnv): HelperOnPath {
  const built = binPath('docker-credential-bosun');
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  const binDir = join(dir, 'bin');
  mkdirSync(binDir, { recursive: true });
  const link = join(binDir, 'docker-credential-bosun');
  if (!existsSync(link)) symlinkSync(built, link);
  return { binDir, env: { ...env, PATH: [binDir, dirname(process.execPath), env.PATH ?? ''].join(delimiter) } };
}
