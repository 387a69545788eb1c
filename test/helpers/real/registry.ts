// Debian's `docker-registry` (CNCF distribution 2.8) on 127.0.0.1, with a generated config.yml:
// either token auth (the block `bosun server registry-config` prints) or no auth at all.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { tail } from './dockerd.js';
import { freePort, startLogged, stopChild, waitFor } from './process.js';

export const REGISTRY = '/usr/bin/docker-registry';

export interface TokenAuthConfig {
  realm: string;
  service: string;
  issuer: string;
  rootcertbundle: string;
}

export interface Registry {
  port: number;
  /** "127.0.0.1:PORT", the host part of image references. */
  hostPort: string;
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** The `auth:` block, already parsed (e.g. from `bosun server registry-config`), or undefined for no auth. */
  auth?: { token: TokenAuthConfig };
  port?: number;
  /** Storage root; defaults to `<dir>/storage`. Two registries may share one (same images, different auth). */
  storageDir?: string;
}

export async function startRegistry(dir: string, options: RegistryOptions = {}): Promise<Registry> {
  const storage = options.storageDir ?? join(dir, 'storage');
  mkdirSync(storage, { recursive: true });
  mkdirSync(dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: storage },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: { addr: `127.0.0.1:${port}`, secret: randomBytes(16).toString('hex') },
  };
  if (options.auth) config.auth = options.auth;
  const configFile = join(dir, 'config.yml');
  writeFileSync(configFile, stringify(config));
  const logFile = join(dir, 'registry.log');
  const child: ChildProcess = startLogged(REGISTRY, ['serve', configFile], logFile);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`docker-registry exited with ${code}; log:\n${tail(logFile)}`))),
  );
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([
    waitFor(
      'docker-registry',
      async () => {
        const res = await fetch(`${url}/v2/`);
        return res.status === 200 || res.status === 401;
      },
      30_000,
    ),
    exited,
  ]);
  return { port, hostPort: `127.0.0.1:${port}`, url, logFile, stop: () => stopChild(child) };
}
