// A real Secret Service for keytar: runs a script in a child under its own D-Bus session with
// gnome-keyring-daemon unlocked by a password fed on stdin, inside the sandbox's HOME/XDG dirs.
// The test code itself runs in that child (D-Bus session addresses do not cross processes otherwise).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { assertIsolated } from './sandbox.js';

export interface KeyringRun {
  code: number | null;
  output: string;
}

/** Why a real keyring cannot run here, or undefined when it can. */
export function keyringUnavailable(): string | undefined {
  for (const bin of ['dbus-run-session', 'gnome-keyring-daemon']) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) return `${bin} is not installed (Debian: dbus, gnome-keyring)`;
  }
  return undefined;
}

/** Runs `node --import tsx --test <file>` in a keyring session; resolves with its exit code and output. */
export function runTestInKeyring(file: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<KeyringRun> {
  return runInKeyring([process.execPath, '--import', 'tsx', '--test', '--test-reporter=spec', file], env, timeoutMs);
}

/** Runs a command inside a fresh D-Bus session with an unlocked gnome-keyring (sandboxed HOME/XDG dirs). */
export function runInKeyring(argv: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<KeyringRun> {
  assertIsolated(env);
  const runtime = env.XDG_RUNTIME_DIR ?? join(env.HOME!, '.run');
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  const script = [
    // The daemon reads the login keyring's password on stdin and unlocks (creates) it.
    'printf %s bosun-test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 97',
    'exec "$@"',
  ].join('\n');
  // The child is its own test run, not a subtest of the parent's runner.
  const { NODE_TEST_CONTEXT: _parentRunner, ...childEnv } = env;
  return new Promise((resolve, reject) => {
    const child = spawn('dbus-run-session', ['--', 'sh', '-c', script, 'keyring', ...argv], {
      env: {
        ...childEnv,
        XDG_RUNTIME_DIR: runtime,
        XDG_DATA_HOME: join(env.HOME!, '.local/share'),
        BOSUN_IN_KEYRING: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
