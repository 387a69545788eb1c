// Starts a real `bosun server` process (the built bin, as external tests run it) on a free
// 127.0.0.1 port with a temporary data dir and an initial superuser, optionally applies a seed
// file with `bosun server apply`, and returns its URL and a stop() that sends SIGTERM.
// Needs `npm run build` first.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { binPath, runBosun, type RunResult } from './cli.js';

export const ADMIN = { name: 'admin', password: 'admin-password-for-tests' };

export interface BosunServerHandle {
  url: string;
  dataDir: string;
  /** Everything the process printed so far. */
  output(): { stdout: string; stderr: string };
  /** Applies a directory file (object → YAML, or file text) as the admin. */
  apply(seed: object | string, flags?: string[]): Promise<RunResult>;
  /** SIGTERM, then waits for exit; returns the exit code and how long it took. */
  stop(): Promise<{ code: number | null; ms: number }>;
  /** Started with the ID of the process for tests that signal it themselves. */
  process: ChildProcess;
}

export interface StartOptions {
  seed?: object | string;
  env?: NodeJS.ProcessEnv;
  /** Keep the data dir after stop (default: removed). */
  keepData?: boolean;
  dataDir?: string;
}

export async function startBosunServer(opts: StartOptions = {}): Promise<BosunServerHandle> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'bosun-server-')));
  const dataDir = opts.dataDir ?? join(root, 'data');
  const passwordFile = join(root, 'admin-password');
  writeFileSync(passwordFile, ADMIN.password + '\n', { mode: 0o600 });
  const child = spawn(
    process.execPath,
    [binPath('bosun'), 'server', 'start', '--data', dataDir, '--listen', '127.0.0.1:0', '--init-admin', ADMIN.name, '--init-admin-password-file', passwordFile],
    { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bosun server did not start within 20 s:\n${stdout}\n${stderr}`)), 20_000);
    const look = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`bosun server exited (${code}) before listening:\n${stdout}\n${stderr}`));
    });
  });

  let stopped: Promise<{ code: number | null; ms: number }> | undefined;
  const handle: BosunServerHandle = {
    url,
    dataDir,
    process: child,
    output: () => ({ stdout, stderr }),
    async apply(seed, flags = []) {
      const file = join(root, `seed-${Date.now()}-${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(file, typeof seed === 'string' ? seed : stringify(seed));
      return runBosun(['server', 'apply', '-f', file, '--url', url, '--username', ADMIN.name, '--password-stdin', ...flags], {
        input: ADMIN.password + '\n',
        ...(opts.env ? { env: opts.env } : {}),
      });
    },
    stop() {
      stopped ??= (async () => {
        const t0 = Date.now();
        if (child.exitCode === null) child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const code = await exited;
        clearTimeout(killer);
        if (!opts.keepData) rmSync(root, { recursive: true, force: true });
        return { code, ms: Date.now() - t0 };
      })();
      return stopped;
    },
  };
  if (opts.seed !== undefined) {
    const r = await handle.apply(opts.seed);
    if (r.code !== 0) {
      await handle.stop();
      throw new Error(`seeding the server failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
  }
  return handle;
}

/** An account-API access token (`POST /v2/auth/token`), as the agent and the admin API use it; throws unless 200. */
export async function accountToken(url: string, identifier: string, secret: string): Promise<string> {
  const res = await fetch(`${url}/v2/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier, secret }),
  });
  if (res.status !== 200) throw new Error(`POST /v2/auth/token as ${identifier} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
