// Guessing must not stop a real user's pulls, end to end: the real Bosun server, Debian's
// docker-registry 2.8 trusting it, a private dockerd and the docker CLI (credentials through a
// stand-in credential helper). dockerd reaches the token service from 127.0.0.1; the guesser plays
// from other loopback addresses (the server sees each as its own client), or from 127.0.0.1 itself
// to stand for others behind the same NAT.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runBosun } from '../helpers/cli.js';
import { ADMIN, startBosunServer, type BosunServerHandle } from '../helpers/bosunServer.js';
import { formFrom, registryTokenFrom } from '../helpers/fromAddress.js';
import { installStandInHelper, type StandInHelper } from '../helpers/real/credentialHelper.js';
import { dockerClient, importTestImage, type CommandResult, type DockerClient } from '../helpers/real/dockerCli.js';
import { dockerdUnavailable, startDockerd, type Dockerd } from '../helpers/real/dockerd.js';
import { freePort } from '../helpers/real/process.js';
import { startRegistry, type Registry, type TokenAuthConfig } from '../helpers/real/registry.js';

const skip = dockerdUnavailable() ?? false;
if (skip) console.log(`# skipping signInAbuse.e2e: ${skip}`);
const SERVICE = 'registry.test';
const REPO = 'mycompany/api';

let dir = '';
let host = '';
let server: BosunServerHandle | undefined;
let registry: Registry | undefined;
let dockerd: Dockerd | undefined;
let docker: DockerClient;
let helper: StandInHelper;

const seed = () => ({
  registries: [{ host, service: SERVICE }],
  users: ['alice', 'bob'].map((name) => ({ name, password: `${name}-password` })),
  orgs: [
    {
      name: 'mycompany',
      members: [
        { user: 'alice', role: 'member' },
        { user: 'bob', role: 'member' },
      ],
      teams: [{ name: 'readers', members: ['alice', 'bob'], grants: [{ repository: REPO, level: 'read' }] }],
    },
  ],
  repositories: [{ name: REPO, visibility: 'private' }],
});

const ref = () => `${host}/${REPO}:1`;
const pull = () => docker.run(['pull', ref()]);

function assertOk(r: CommandResult, what: string): void {
  assert.equal(r.code, 0, `${what} should succeed:\n${r.stdout}\n${r.stderr}`);
}

before(async () => {
  if (skip) return;
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'bosun-e2e-abuse-')));
  const port = await freePort();
  host = `127.0.0.1:${port}`;
  server = await startBosunServer({ seed: seed() });
  const config = await runBosun(['server', 'registry-config', '--data', server.dataDir, '--registry', host, '--realm', `${server.url}/token`]);
  assert.equal(config.code, 0, config.stderr);
  const { auth } = parse(config.stdout) as { auth: { token: TokenAuthConfig } };
  [registry, dockerd] = await Promise.all([startRegistry(join(dir, 'registry'), { auth, port }), startDockerd(join(dir, 'dockerd'))]);
  helper = installStandInHelper(dir);
  docker = dockerClient(dir, dockerd.host, helper.binDir);
  docker.useCredentialHelper(host, helper.name);
  helper.set(host, ADMIN.name, ADMIN.password);
  await importTestImage(docker, dir, ref(), REPO);
  assertOk(await docker.run(['push', ref()]), `push ${REPO}`);
  assertOk(await docker.run(['rmi', ref()]), 'remove the local copy');
});

after(async () => {
  await Promise.allSettled([registry?.stop(), dockerd?.stop(), server?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("a guesser at another address does not stop the real user's docker pull", { skip }, async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++)
    statuses.push((await registryTokenFrom(server!.url, '127.0.0.2', SERVICE, 'alice', `guess-${i}`, `&scope=repository:${REPO}:pull`)).status);
  assert.deepEqual(statuses.slice(10), [429, 429], 'the guesser is refused');
  helper.set(host, 'alice', 'alice-password');
  assertOk(await pull(), 'alice pulls from her own address while her account is being guessed');
  assertOk(await docker.run(['rmi', ref()]), 'remove the local copy');
});

test("bad refresh tokens from the daemon's own address (a NAT) do not stop a pull with a valid refresh token", { skip }, async () => {
  helper.remove(host);
  assertOk(await docker.run(['login', host, '-u', 'bob', '--password-stdin'], 'bob-password\n'), 'docker login');
  assert.equal(helper.read()[host]?.Username, '<token>', 'docker keeps a refresh token and will refresh with it');
  const statuses: number[] = [];
  for (let i = 0; i < 15; i++)
    statuses.push(
      (await formFrom(server!.url, '127.0.0.1', '/token', { grant_type: 'refresh_token', refresh_token: `bosun_rt_flood-${i}`, service: SERVICE })).status,
    );
  assert.deepEqual(statuses.slice(10), Array<number>(5).fill(429), 'the address is over its limit for bad refresh tokens');
  assertOk(await pull(), 'bob pulls with his refresh token from the same address');
});
