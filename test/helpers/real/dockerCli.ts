// The real docker CLI against a private dockerd, with a temporary DOCKER_CONFIG whose credHelpers
// send the registry's credentials through a credential helper (the stand-in from credentialHelper.ts
// until the agent's real helper exists).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The docker CLI: a newer one in /usr/local/bin when installed, else Debian's docker.io. */
export const DOCKER = ['/usr/local/bin/docker', '/usr/bin/docker'].find((p) => existsSync(p)) ?? 'docker';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv, input?: Buffer | string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

export interface DockerClient {
  /** The DOCKER_CONFIG directory. */
  configDir: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], input?: Buffer | string): Promise<CommandResult>;
  /** Sends credentials for `registryHost` through credential helper `helper` (docker-credential-<helper>). */
  useCredentialHelper(registryHost: string, helper: string): void;
}

/**
 * `binDir` is prepended to PATH (where the stand-in credential helper lives); `dockerHost` is the
 * private dockerd's socket.
 */
export function dockerClient(dir: string, dockerHost: string, binDir: string): DockerClient {
  const configDir = join(dir, 'docker-config');
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const env: NodeJS.ProcessEnv = {
    PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: dir,
    DOCKER_CONFIG: configDir,
    DOCKER_HOST: dockerHost,
    DOCKER_CLI_HINTS: 'false',
  };
  const credHelpers: Record<string, string> = {};
  return {
    configDir,
    env,
    run: (args, input) => run(DOCKER, args, env, input),
    useCredentialHelper(registryHost, helper) {
      credHelpers[registryHost] = helper;
      writeFileSync(join(configDir, 'config.json'), `${JSON.stringify({ credHelpers }, null, 2)}\n`, { mode: 0o600 });
    },
  };
}

/** Builds a one-layer image offline (`tar -C dir -c . | docker import - ref`) holding `content`. */
export async function importTestImage(docker: DockerClient, dir: string, ref: string, content: string): Promise<void> {
  const root = join(dir, `rootfs-${Math.random().toString(36).slice(2)}`);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'hello.txt'), `${content}\n`);
  // Arguments go to sh as positional parameters, never into the script text.
  const r = await run('sh', ['-c', 'tar -C "$1" -c . | docker import - "$2"', 'sh', root, ref], docker.env);
  if (r.code !== 0) throw new Error(`docker import ${ref} failed: ${r.stderr}`);
}
