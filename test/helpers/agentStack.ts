// The whole of Bosun on one machine, all real: a Bosun server with a seeded directory, Debian's
// docker-registry 2.8 trusting its token service, a private dockerd with the docker CLI, a Secret
// Service on a private D-Bus, the admin policy and settings under a sandbox BOSUN_POLICY_ROOT, and
// the headless agent (`bosun agent`) with docker-credential-bosun on PATH. The agent e2e tests and
// `npm run demo` both use it. Everything listens on 127.0.0.1 and is stopped by pid in stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { writeFileAtomic } from '../../src/common/atomicFile.js';
import { binPath, run as runBin, runBosun, type RunResult } from './cli.js';
import { ADMIN, startBosunServer, type BosunServerHandle } from './bosunServer.js';
import { helperOnPath } from './helperOnPath.js';
import { installStandInHelper } from './real/credentialHelper.js';
import { DOCKER, dockerClient, importTestImage, run as runCommand, type CommandResult, type DockerClient } from './real/dockerCli.js';
import { dockerdUnavailable, startDockerd, type Dockerd } from './real/dockerd.js';
import { freePort, stopChild } from './real/process.js';
import { startRegistry, type Registry, type TokenAuthConfig } from './real/registry.js';
import { makeSandbox, type Sandbox } from './sandbox.js';
import { secretServiceUnavailable, startSecretService, type SecretService } from './secretService.js';

export const SERVICE = 'registry.bosun.demo';

/** Why the stack cannot run on this machine, or undefined. */
export function agentStackUnavailable(): string | undefined {
  return dockerdUnavailable() ?? secretServiceUnavailable();
}

export interface StackOptions {
  /** The directory file for `bosun server apply`; `registries` is filled in with the registry. */
  seed: (registryHost: string) => Record<string, unknown>;
  /** Repositories the admin pushes a one-layer image to (tag 1). */
  images: string[];
  allowedOrgs: string[];
  /** Extra settings.json keys (offlineGraceMinutes, …). */
  settings?: Record<string, unknown>;
  log?: (line: string) => void;
}

export interface AgentStack {
  sandbox: Sandbox;
  server: BosunServerHandle;
  registry: Registry;
  registryHost: string;
  dockerd: Dockerd;
  /** The developer's docker CLI: the sandbox's DOCKER_CONFIG, docker-credential-bosun on PATH. */
  docker: DockerClient;
  /** The environment of the developer's processes (agent, bosun CLI, docker). */
  env: NodeJS.ProcessEnv;
  ref(repo: string): string;
  pull(repo: string): Promise<CommandResult>;
  bosun(args: string[], input?: string): Promise<RunResult>;
  writePolicy(allowedOrgs: string[]): void;
  policyPath: string;
  settingsPath: string;
  agentOutput(): string;
  startAgent(): Promise<void>;
  stopAgent(): Promise<number | null>;
  stop(): Promise<void>;
}

/** Writes an admin file the way MDM tools do: a temp file beside it, then rename; root-owned, 0644. */
export function writeAdminFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  writeFileAtomic(path, text, { mode: 0o644, exactMode: true });
}

export async function startAgentStack(opts: StackOptions): Promise<AgentStack> {
  const log = opts.log ?? (() => {});
  const sandbox = makeSandbox('bosun-stack-');
  // The policy root stands in for "/": it must look like an admin location (root-owned, not
  // group/other-writable) or the agent rightly flags the policy as insecure.
  for (const d of [sandbox.dir, sandbox.policyRoot]) chmodSync(d, 0o755);
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const port = await freePort();
    const registryHost = `127.0.0.1:${port}`;
    const seed = { ...opts.seed(registryHost), registries: [{ host: registryHost, service: SERVICE }] };

    log('starting the Bosun server (embedded SQLite) and applying the directory');
    const server = await startBosunServer({ seed });
    cleanups.push(() => server.stop());
    const config = await runBosun(['server', 'registry-config', '--data', server.dataDir, '--registry', registryHost, '--realm', `${server.url}/token`]);
    if (config.code !== 0) throw new Error(`bosun server registry-config failed: ${config.stderr}`);
    const { auth } = parse(config.stdout) as { auth: { token: TokenAuthConfig } };

    log(`starting docker-registry 2.8 on ${registryHost} (token auth → ${server.url}/token) and a private dockerd`);
    const [registry, dockerd] = await Promise.all([startRegistry(join(sandbox.dir, 'registry'), { auth, port }), startDockerd(join(sandbox.dir, 'dockerd'))]);
    cleanups.push(
      () => registry.stop(),
      () => dockerd.stop(),
    );

    // The admin pushes the images with its own credentials, through a throwaway helper and config.
    log(`pushing test images as the server admin: ${opts.images.join(', ')}`);
    const adminDir = join(sandbox.dir, 'admin');
    const adminHelper = installStandInHelper(adminDir, 'bosunadmin');
    const admin = dockerClient(adminDir, dockerd.host, adminHelper.binDir);
    admin.useCredentialHelper(registryHost, adminHelper.name);
    adminHelper.set(registryHost, ADMIN.name, ADMIN.password);
    for (const repo of opts.images) {
      const ref = `${registryHost}/${repo}:1`;
      await importTestImage(admin, adminDir, ref, repo);
      const pushed = await admin.run(['push', ref]);
      if (pushed.code !== 0) throw new Error(`admin push ${ref} failed: ${pushed.stderr}`);
      await admin.run(['rmi', ref]);
    }

    log('starting a Secret Service (gnome-keyring) on a private D-Bus');
    const secrets: SecretService = await startSecretService(join(sandbox.dir, 'dbus'), sandbox.env);
    cleanups.push(() => secrets.stop());

    const withHelper = helperOnPath(sandbox.dir, { ...sandbox.env, ...secrets.env });
    const env: NodeJS.ProcessEnv = { ...withHelper.env, DOCKER_HOST: dockerd.host, DOCKER_CLI_HINTS: 'false' };
    const docker: DockerClient = {
      configDir: sandbox.dockerConfig,
      env,
      run: (args, input) => runCommand(DOCKER, args, env, input),
      useCredentialHelper: () => {
        throw new Error('the agent manages credHelpers in this stack');
      },
    };

    const policyPath = join(sandbox.policyRoot, 'usr/share/docker-desktop/registry/registry.json');
    const settingsPath = join(sandbox.policyRoot, 'etc/bosun/settings.json');
    const writePolicy = (orgs: string[]) => writeAdminFile(policyPath, JSON.stringify({ allowedOrgs: orgs }) + '\n');
    writePolicy(opts.allowedOrgs);
    writeAdminFile(settingsPath, JSON.stringify({ server: server.url, ...opts.settings }) + '\n');

    let agent: ChildProcess | undefined;
    let agentOut = '';
    const startAgent = async () => {
      agentOut = '';
      agent = spawn(process.execPath, [binPath('bosun'), 'agent'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      agent.stdout?.on('data', (d: Buffer) => (agentOut += d.toString()));
      agent.stderr?.on('data', (d: Buffer) => (agentOut += d.toString()));
      const deadline = Date.now() + 20_000;
      while (!/bosun agent: running/.test(agentOut)) {
        if (agent.exitCode !== null || Date.now() > deadline) throw new Error(`bosun agent did not start:\n${agentOut}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const stopAgent = async (): Promise<number | null> => {
      const a = agent;
      agent = undefined;
      if (!a) return null;
      await stopChild(a);
      return a.exitCode;
    };
    log('starting the agent (bosun agent)');
    await startAgent();
    cleanups.push(() => stopAgent());

    const ref = (repo: string) => `${registryHost}/${repo}:1`;
    return {
      sandbox,
      server,
      registry,
      registryHost,
      dockerd,
      docker,
      env,
      policyPath,
      settingsPath,
      writePolicy,
      startAgent,
      stopAgent,
      ref,
      pull: async (repo) => {
        const r = await docker.run(['pull', ref(repo)]);
        if (r.code === 0) await docker.run(['rmi', ref(repo)]);
        return r;
      },
      bosun: (args, input) => runBin('bosun', args, { env, input }),
      agentOutput: () => agentOut,
      stop: async () => {
        for (const c of cleanups.reverse()) await c().catch(() => {});
        sandbox.cleanup();
      },
    };
  } catch (err) {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    sandbox.cleanup();
    throw err;
  }
}
