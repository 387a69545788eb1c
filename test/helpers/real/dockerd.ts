// A private dockerd for one test file: its own data-root, exec-root, pidfile and socket, the vfs
// storage driver, no iptables and no bridge (nothing touches the host's network or images).
// Registries on 127.0.0.0/8 are insecure (plain HTTP) by default, so no daemon.json is needed.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startLogged, stopChild, waitFor } from './process.js';

export const DOCKERD = '/usr/sbin/dockerd';

export interface Dockerd {
  /** DOCKER_HOST value. */
  host: string;
  socket: string;
  logFile: string;
  stop(): Promise<void>;
}

/** Why real-dockerd tests cannot run here, or undefined when they can. */
export function dockerdUnavailable(): string | undefined {
  if (!existsSync(DOCKERD)) return `${DOCKERD} is not installed`;
  if (process.getuid?.() !== 0) return 'dockerd needs root';
  if (!existsSync('/usr/bin/docker-registry')) return 'docker-registry (CNCF distribution 2.8) is not installed';
  if (!existsSync('/usr/local/bin/docker') && !existsSync('/usr/bin/docker')) return 'the docker CLI is not installed';
  return undefined;
}

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

export async function startDockerd(dir: string): Promise<Dockerd> {
  mkdirSync(dir, { recursive: true });
  // A short exec-root: containerd's socket path must fit in 108 bytes.
  const execRoot = join(dir, 'x');
  const socket = join(dir, 'd.sock');
  const logFile = join(dir, 'dockerd.log');
  const child: ChildProcess = startLogged(
    DOCKERD,
    [
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      execRoot,
      '--pidfile',
      join(dir, 'dockerd.pid'),
      '-H',
      `unix://${socket}`,
      '--storage-driver',
      'vfs',
      '--iptables=false',
      '--ip-masq=false',
      '--bridge=none',
      '--userland-proxy=false',
      '--log-level=warn',
    ],
    logFile,
  );
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`dockerd exited with ${code}; log:\n${tail(logFile)}`))));
  await Promise.race([waitFor('dockerd', () => ping(socket), 90_000), exited]);
  return { host: `unix://${socket}`, socket, logFile, stop: () => stopChild(child, 20_000) };
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
