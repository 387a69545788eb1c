// The real parts a bypass test replays an attack against: a `bosun server` process seeded with
// `bosun server apply`, Debian's docker-registry 2.8 configured from `bosun server
// registry-config`, a private dockerd and the docker CLI whose credentials come through a
// credential helper (as tokenService.e2e.test.ts wires them). Everything on 127.0.0.1; stop()
// stops each process by its pid.
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runBosun, type RunResult } from '../../helpers/cli.js';
import { accountToken, ADMIN, startBosunServer, type BosunServerHandle } from '../../helpers/bosunServer.js';
import { installStandInHelper, type StandInHelper } from '../../helpers/real/credentialHelper.js';
import { dockerClient, importTestImage, type CommandResult, type DockerClient } from '../../helpers/real/dockerCli.js';
import { startDockerd, type Dockerd } from '../../helpers/real/dockerd.js';
import { freePort } from '../../helpers/real/process.js';
import { startRegistry, type Registry, type TokenAuthConfig } from '../../helpers/real/registry.js';

export { dockerdUnavailable } from '../../helpers/real/dockerd.js';
export { ADMIN } from '../../helpers/bosunServer.js';

export interface IamStack {
  server: BosunServerHandle;
  /** The registry's host:port, as it appears in image references. */
  host: string;
  docker: DockerClient;
  ref(repo: string, tag?: string): string;
  /** Makes docker present these credentials (undefined: anonymous; "<token>": a refresh token). */
  as(user: string | undefined, secret?: string): void;
  pull(repo: string): Promise<CommandResult>;
  /** Builds a one-file image for `repo` offline and pushes it with the current credentials. */
  push(repo: string, content: string): Promise<CommandResult>;
  apply(seed: object, flags?: string[]): Promise<RunResult>;
  /** An account-API access token for the admin API. */
  token(user: string, secret: string): Promise<string>;
  /** An agent session's refresh token for `org` (POST /api/v1/agent/sessions). */
  agentSession(user: string, secret: string, org: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startIamStack(name: string, seed: (host: string) => object, images: readonly string[]): Promise<IamStack> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `bosun-${name}-`)));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  let server: BosunServerHandle | undefined;
  let registry: Registry | undefined;
  let dockerd: Dockerd | undefined;
  const stop = async () => {
    await Promise.allSettled([registry?.stop(), dockerd?.stop(), server?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    server = await startBosunServer({ seed: seed(host) });
    const config = await runBosun(['server', 'registry-config', '--data', server.dataDir, '--registry', host, '--realm', `${server.url}/token`]);
    assert.equal(config.code, 0, config.stderr);
    const { auth } = parse(config.stdout) as { auth: { token: TokenAuthConfig } };
    [registry, dockerd] = await Promise.all([startRegistry(join(dir, 'registry'), { auth, port }), startDockerd(join(dir, 'dockerd'))]);
    const helper: StandInHelper = installStandInHelper(dir);
    const docker = dockerClient(dir, dockerd.host, helper.binDir);
    docker.useCredentialHelper(host, helper.name);
    const ref = (repo: string, tag = '1') => `${host}/${repo}:${tag}`;
    const as = (user: string | undefined, secret = '') => (user === undefined ? helper.remove(host) : helper.set(host, user, secret));
    const push = async (repo: string, content: string) => {
      await importTestImage(docker, dir, ref(repo), content);
      return docker.run(['push', ref(repo)]);
    };
    // The admin pushes the images every test starts from (admins may create anywhere, and bypass IAM).
    as(ADMIN.name, ADMIN.password);
    for (const repo of images) {
      const r = await push(repo, `original ${repo}`);
      assert.equal(r.code, 0, `push ${repo}:\n${r.stdout}\n${r.stderr}`);
    }
    const url = server.url;
    const handle = server;
    return {
      server,
      host,
      docker,
      ref,
      as,
      push,
      pull: (repo) => docker.run(['pull', ref(repo)]),
      apply: (s, flags = []) => handle.apply(s, flags),
      token: (user, secret) => accountToken(url, user, secret),
      async agentSession(user, secret, org) {
        const res = await fetch(`${url}/api/v1/agent/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await accountToken(url, user, secret)}` },
          body: JSON.stringify({ org, device_id: `device-${user}`, device_name: 'bypass-test laptop' }),
        });
        assert.equal(res.status, 201, await res.clone().text());
        return ((await res.json()) as { refresh_token: string }).refresh_token;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export function assertOk(r: CommandResult, what: string): void {
  assert.equal(r.code, 0, `${what} should succeed:\n${r.stdout}\n${r.stderr}`);
}

export function assertDenied(r: CommandResult, message: string | RegExp): void {
  assert.notEqual(r.code, 0, `should fail:\n${r.stdout}`);
  if (typeof message === 'string') assert.ok(r.stderr.includes(message), `stderr should contain ${JSON.stringify(message)}:\n${r.stderr}`);
  else assert.match(r.stderr, message);
}
