// An isolated world for one test: its own HOME, DOCKER_CONFIG, BOSUN_HOME and BOSUN_POLICY_ROOT
// under a fresh temporary directory, removed at the end. Tests pass `sandbox.env` to every process
// they spawn, so nothing can read or write the host's real policy paths or ~/.docker/config.json.
import { mkdtempSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Sandbox {
  dir: string;
  home: string;
  dockerConfig: string;
  bosunHome: string;
  policyRoot: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function makeSandbox(prefix = 'bosun-test-'): Sandbox {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const home = join(dir, 'home');
  const dockerConfig = join(home, '.docker');
  const bosunHome = join(dir, 'bosun-home');
  const policyRoot = join(dir, 'policy-root');
  for (const d of [home, dockerConfig, bosunHome, policyRoot]) mkdirSync(d, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    USERPROFILE: home,
    DOCKER_CONFIG: dockerConfig,
    BOSUN_HOME: bosunHome,
    BOSUN_POLICY_ROOT: policyRoot,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local/state'),
    XDG_RUNTIME_DIR: join(dir, 'run'),
  };
  mkdirSync(join(dir, 'run'), { recursive: true, mode: 0o700 });
  assertIsolated(env);
  return {
    dir,
    home,
    dockerConfig,
    bosunHome,
    policyRoot,
    env,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Refuses to go on when an environment would let a test reach the host's real files. */
export function assertIsolated(env: NodeJS.ProcessEnv): void {
  const tmp = realpathSync(tmpdir());
  for (const key of ['HOME', 'DOCKER_CONFIG', 'BOSUN_HOME', 'BOSUN_POLICY_ROOT'] as const) {
    const v = env[key];
    if (!v || !v.startsWith(tmp + '/')) {
      throw new Error(`refusing to run: ${key}=${v ?? '(unset)'} is not inside ${tmp}; a test must never touch the host's real files`);
    }
  }
}
