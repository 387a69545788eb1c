// End-to-end proof of the registry token service (docs/registry-token-service.md): the real Bosun
// server, Debian's docker-registry 2.8 configured from `bosun server registry-config`, a private
// dockerd and the real docker CLI (credentials through a credential helper in a temporary
// DOCKER_CONFIG), plus skopeo. Each row asserts success or failure and the words the user sees. One
// server, one registry, one dockerd for the whole file; everything on 127.0.0.1, stopped by pid at
// the end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { parse } from 'yaml';
import { runBosun } from '../helpers/cli.js';
import { accountToken, ADMIN, startBosunServer, type BosunServerHandle } from '../helpers/bosunServer.js';
import { installStandInHelper, type StandInHelper } from '../helpers/real/credentialHelper.js';
import { dockerClient, importTestImage, type CommandResult, type DockerClient } from '../helpers/real/dockerCli.js';
import { dockerdUnavailable, startDockerd, type Dockerd } from '../helpers/real/dockerd.js';
import { freePort } from '../helpers/real/process.js';
import { startRegistry, type Registry, type TokenAuthConfig } from '../helpers/real/registry.js';
import { skopeoClient, type Skopeo } from '../helpers/real/skopeo.js';
import { Store } from '../../src/server/store/store.js';

const skip = dockerdUnavailable() ?? false;
const SERVICE = 'registry.test';
const PASSWORD = 'e2e-password-1';

let dir = '';
let host = '';
let server: BosunServerHandle | undefined;
let registry: Registry | undefined;
let dockerd: Dockerd | undefined;
let docker: DockerClient;
let helper: StandInHelper;
let skopeo: Skopeo;

const IAM = { enabled: true, allowOfficial: true, allowVerifiedPublishers: false, allowlist: ['community/allowed'] };
const READERS = ['carol', 'dave', 'erin'];

function seed(over: { iam?: Partial<typeof IAM>; anonymousPull?: boolean; disabled?: string[]; members?: string[] } = {}) {
  const members = over.members ?? ['bob', ...READERS];
  return {
    settings: { anonymousPull: over.anonymousPull ?? true, userNamespaces: false, verifiedPublishers: ['bitnami'] },
    registries: [{ host, service: SERVICE }],
    users: ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((name) => ({ name, password: PASSWORD, disabled: (over.disabled ?? []).includes(name) })),
    orgs: [
      {
        name: 'mycompany',
        members: [{ user: 'alice', role: 'owner' }, ...members.map((user) => ({ user, role: 'member' }))],
        teams: [
          { name: 'backend', members: ['bob'], grants: [{ repository: 'mycompany/api', level: 'write' }] },
          { name: 'readers', members: READERS.filter((m) => members.includes(m)), grants: [{ repository: 'mycompany/api', level: 'read' }] },
        ],
        imageAccess: { ...IAM, ...over.iam },
      },
      // carol is also in otherorg, whose IAM is off: an org session for otherorg must not lift mycompany's IAM.
      {
        name: 'otherorg',
        members: [
          { user: 'frank', role: 'owner' },
          { user: 'carol', role: 'member' },
        ],
      },
    ],
    repositories: [
      { name: 'mycompany/api', visibility: 'private' },
      { name: 'mycompany/secret', visibility: 'private' },
      { name: 'mycompany/public', visibility: 'public' },
      { name: 'library/alpine', visibility: 'public' },
      { name: 'bitnami/redis', visibility: 'public' },
      { name: 'community/tool', visibility: 'public' },
      { name: 'community/allowed', visibility: 'public' },
      { name: 'otherorg/tool', visibility: 'public' },
    ],
  };
}

async function apply(s: object, flags: string[] = []): Promise<void> {
  const r = await (server as BosunServerHandle).apply(s, flags);
  assert.equal(r.code, 0, `apply failed: ${r.stdout}\n${r.stderr}`);
}

const ref = (repo: string) => `${host}/${repo}:1`;
const as = (user: string | undefined, secret = PASSWORD) => (user === undefined ? helper.remove(host) : helper.set(host, user, secret));
const pull = (repo: string) => docker.run(['pull', ref(repo)]);

function assertOk(r: CommandResult, what: string): void {
  assert.equal(r.code, 0, `${what} should succeed:\n${r.stdout}\n${r.stderr}`);
}

function assertDenied(r: CommandResult, message: string | RegExp): void {
  assert.notEqual(r.code, 0, `should fail:\n${r.stdout}`);
  if (typeof message === 'string') assert.ok(r.stderr.includes(message), `stderr should contain ${JSON.stringify(message)}:\n${r.stderr}`);
  else assert.match(r.stderr, message);
}

const signInToken = (user: string, secret = PASSWORD) => accountToken(server?.url ?? '', user, secret);

async function agentSession(user: string, org: string): Promise<string> {
  const res = await fetch(`${server?.url}/api/v1/agent/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await signInToken(user)}` },
    body: JSON.stringify({ org, device_id: `device-${user}`, device_name: 'e2e laptop' }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { refresh_token: string }).refresh_token;
}

before(async () => {
  if (skip) return;
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'bosun-e2e-token-')));
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
  skopeo = skopeoClient(dir, docker);
  // The admin pushes every test image (admins may create and push anywhere, and bypass IAM).
  as(ADMIN.name, ADMIN.password);
  for (const repo of seed().repositories.map((r) => r.name)) {
    await importTestImage(docker, dir, ref(repo), repo);
    assertOk(await docker.run(['push', ref(repo)]), `push ${repo}`);
  }
});

after(async () => {
  await Promise.allSettled([registry?.stop(), dockerd?.stop(), server?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('registry-config prints the auth block with the declared service and an absolute bundle path', { skip }, async () => {
  const r = await runBosun(['server', 'registry-config', '--data', server?.dataDir ?? '', '--registry', host, '--realm', `${server?.url}/token`]);
  const token = (parse(r.stdout) as { auth: { token: TokenAuthConfig } }).auth.token;
  assert.deepEqual(Object.keys(token).sort(), ['issuer', 'realm', 'rootcertbundle', 'service']);
  assert.equal(token.service, SERVICE);
  assert.ok(token.rootcertbundle.startsWith(`${server?.dataDir}/`));
  const unknown = await runBosun([
    'server',
    'registry-config',
    '--data',
    server?.dataDir ?? '',
    '--registry',
    'elsewhere:5000',
    '--realm',
    `${server?.url}/token`,
  ]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /registry elsewhere:5000 is not declared under `registries`.*declared: 127\.0\.0\.1:\d+/);
});

test('a member pulls a private org repository their team can read', { skip }, async () => {
  as('carol');
  assertOk(await pull('mycompany/api'), 'carol pull mycompany/api');
});

test('a member with no grant is denied a private repository, and docker shows why', { skip }, async () => {
  as('bob');
  assertDenied(
    await pull('mycompany/secret'),
    'denied: bob may not pull mycompany/secret: it does not exist or bob has no access to it. Ask an owner of mycompany for read access.',
  );
});

test('push needs write: a writer pushes; a read-only member is denied with a message', { skip }, async () => {
  as('bob');
  assertOk(await docker.run(['push', ref('mycompany/api')]), 'bob push');
  as('carol');
  await importTestImage(docker, dir, `${host}/mycompany/api:carol`, 'carol was here');
  // The token grants pull only (requested ∩ allowed; a 403 is only for "nothing at all"), so it is
  // the registry that refuses the upload, in docker's words; the reason is in the audit log.
  assertDenied(await docker.run(['push', `${host}/mycompany/api:carol`]), 'denied: requested access to the resource is denied');
  const store = Store.open(server?.dataDir ?? '');
  try {
    const record = store.audit
      .list({ actor: 'carol', action: 'registry.token', limit: 20 })
      .find((r) => /^repository:mycompany\/api:(pull,push|push,pull)$/.test(r.target ?? ''));
    assert.match(
      record?.detail ?? '',
      /rule deny\.needs-write; granted pull; .*carol has read access to mycompany\/api; pushing needs write\. Ask an owner of mycompany for write access\./,
    );
  } finally {
    store.close();
  }
});

test("IAM: Official allowed, Community denied, allowlisted allowed, owner bypasses, another org's image is Community", { skip }, async () => {
  as('carol');
  assertOk(await pull('library/alpine'), 'official allowed');
  assertDenied(
    await pull('community/tool'),
    'denied: community/tool is a Community image; Image Access Management in org mycompany allows only organization images and Docker Official Images. Ask an owner of mycompany to allow-list it.',
  );
  assertOk(await pull('community/allowed'), 'allowlisted');
  // An Organization image only to its own org: to mycompany, otherorg's images are Community images.
  assertDenied(
    await pull('otherorg/tool'),
    /denied: otherorg\/tool is a Community image; Image Access Management in org mycompany .*otherorg included, are Community images/,
  );
  as('alice');
  assertOk(await pull('community/tool'), 'owner bypass');
});

test('IAM: Verified Publisher restricted then allowed; Official restricted', { skip }, async () => {
  as('carol');
  assertDenied(
    await pull('bitnami/redis'),
    /denied: bitnami\/redis is a Verified Publisher image; .*Ask an owner of mycompany to allow-list it or to allow Verified Publisher images\./,
  );
  await apply(seed({ iam: { allowVerifiedPublishers: true, allowOfficial: false } }));
  assertOk(await pull('bitnami/redis'), 'verified allowed');
  assertDenied(await pull('library/alpine'), /denied: library\/alpine is a Docker Official Image; .*allow Docker Official Images\./);
  await apply(seed());
});

test('which IAM applies: every org of the user, in an agent org session for otherorg (IAM off) too', { skip }, async () => {
  as('<token>', await agentSession('carol', 'otherorg'));
  assertDenied(await pull('community/tool'), 'denied: community/tool is a Community image; Image Access Management in org mycompany');
  assertDenied(await pull('otherorg/tool'), 'Image Access Management in org mycompany');
  assertOk(await pull('mycompany/public'), "otherorg session: mycompany's own image");
  as('<token>', await agentSession('carol', 'mycompany'));
  assertDenied(await pull('community/tool'), 'denied: community/tool is a Community image');
  as('carol');
  assertDenied(await pull('community/tool'), 'denied: community/tool is a Community image');
});

test('anonymous pulls of a public repository follow the server setting; private is denied anonymously', { skip }, async () => {
  as(undefined);
  assertOk(await pull('mycompany/public'), 'anonymous public pull');
  assertDenied(await pull('mycompany/api'), 'denied: sign-in required: this registry accepts pulls only from members of mycompany signed in with Bosun.');
  await apply(seed({ anonymousPull: false }));
  assertDenied(await pull('mycompany/public'), 'denied: sign-in required: this registry accepts pulls only from members of mycompany signed in with Bosun.');
  await apply(seed());
});

test('a revoked agent refresh token stops working on the next pull', { skip }, async () => {
  const refresh = await agentSession('dave', 'mycompany');
  as('<token>', refresh);
  assertOk(await pull('mycompany/api'), 'dave with an org session');
  const res = await fetch(`${server?.url}/api/v1/agent/sessions/current`, { method: 'DELETE', headers: { authorization: `Bearer ${refresh}` } });
  assert.equal(res.status, 204);
  assertDenied(await pull('mycompany/api'), /unauthorized|refresh token is unknown, expired or revoked/);
});

test('docker login gets a refresh token bound to the user; revoking it stops the next pull', { skip }, async () => {
  as(undefined);
  const login = await docker.run(['login', host, '-u', 'dave', '--password-stdin'], `${PASSWORD}\n`);
  assertOk(login, 'docker login');
  const stored = helper.read()[host];
  assert.equal(stored?.Username, '<token>', 'docker stores the refresh token, not the password');
  assert.match(stored?.Secret ?? '', /^bosun_rt_/);
  assertOk(await pull('mycompany/api'), 'pull after docker login');
  const bearer = { authorization: `Bearer ${await signInToken('dave')}` };
  const list = (await (await fetch(`${server?.url}/api/v1/registry/refresh-tokens`, { headers: bearer })).json()) as { refresh_tokens: Array<{ id: number }> };
  for (const t of list.refresh_tokens) {
    assert.equal((await fetch(`${server?.url}/api/v1/registry/refresh-tokens/${t.id}`, { method: 'DELETE', headers: bearer })).status, 204);
  }
  assertDenied(await pull('mycompany/api'), /unauthorized|refresh token is unknown, expired or revoked/);
});

test('a revoked PAT stops working on the next pull', { skip }, async () => {
  const store = Store.open(server?.dataDir ?? '');
  try {
    const dave = store.users.byName('dave');
    assert.ok(dave);
    const { token, secret } = store.pats.create(dave.id, 'e2e', ['read']);
    as('dave', secret);
    assertOk(await pull('mycompany/api'), 'pull with a PAT');
    store.pats.revoke(token.id);
    assertDenied(await pull('mycompany/api'), /unauthorized|incorrect authentication credentials/i);
  } finally {
    store.close();
  }
});

test('a disabled user is denied, with the reason', { skip }, async () => {
  as('erin');
  assertOk(await pull('mycompany/api'), 'erin before');
  await apply(seed({ disabled: ['erin'] }));
  assertDenied(await pull('mycompany/api'), /denied: account erin is disabled/);
  await apply(seed());
});

test('a user removed from the org loses access on the next pull', { skip }, async () => {
  as('dave');
  assertOk(await pull('mycompany/api'), 'dave before');
  await apply(seed({ members: ['bob', 'carol', 'erin'] }), ['--prune']);
  assertDenied(await pull('mycompany/api'), 'denied: dave may not pull mycompany/api');
  await apply(seed());
});

// skopeo 1.9 (containers/image) reports a token refusal as "invalid status code from registry 403
// (Forbidden)" without the body, so its rows assert the 403 (a decision, not a credential problem).
test('skopeo obeys too: allowed, private denied, community denied, anonymous denied, allowed again after the allowlist', { skip }, async () => {
  const forbidden = /Requesting bearer token: invalid status code from registry 403 \(Forbidden\)/;
  as('carol');
  assert.equal((await skopeo.inspect(ref('mycompany/api'))).code, 0);
  const secret = await skopeo.inspect(ref('mycompany/secret'));
  assert.notEqual(secret.code, 0);
  assert.match(secret.stderr, forbidden);
  const community = await skopeo.inspect(ref('community/tool'));
  assert.notEqual(community.code, 0);
  assert.match(community.stderr, forbidden);
  assert.equal((await skopeo.inspect(ref('community/allowed'))).code, 0);
  as(undefined);
  const anon = await skopeo.inspect(ref('mycompany/api'));
  assert.notEqual(anon.code, 0);
  assert.match(anon.stderr, forbidden);
  assert.equal((await skopeo.inspect(ref('mycompany/public'))).code, 0);
});

test('every decision is audited and queryable over the API', { skip }, async () => {
  const res = await fetch(`${server?.url}/api/v1/registry/decisions?user=carol&limit=500`, {
    headers: { authorization: `Bearer ${await signInToken(ADMIN.name, ADMIN.password)}` },
  });
  assert.equal(res.status, 200);
  const { decisions } = (await res.json()) as { decisions: Array<{ actor: string; target: string; outcome: string; detail: string }> };
  const denial = decisions.find((d) => d.target === 'repository:community/tool:pull' && d.outcome === 'denied');
  assert.ok(denial, 'the community denial is recorded');
  assert.match(denial.detail, /rule iam\.community-disabled; granted nothing; credential (password|refresh)/);
  assert.ok(
    decisions.some((d) => /org session otherorg/.test(d.detail) && d.outcome === 'ok'),
    'the org session is recorded',
  );
  // A user sees only their own decisions.
  const mine = await fetch(`${server?.url}/api/v1/registry/decisions?user=carol`, { headers: { authorization: `Bearer ${await signInToken('bob')}` } });
  assert.equal(mine.status, 403);
});

test("security: A's refresh token acts as A, whatever name comes with it", { skip }, async () => {
  const refresh = await agentSession('dave', 'mycompany');
  const res = await fetch(`${server?.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refresh,
      username: 'alice',
      service: SERVICE,
      scope: 'repository:mycompany/secret:pull repository:mycompany/api:pull',
    }),
  });
  assert.equal(res.status, 200);
  const claims = decodeJwt(((await res.json()) as { token: string }).token);
  assert.equal(claims.sub, 'dave');
  assert.deepEqual(claims.access, [{ type: 'repository', name: 'mycompany/api', actions: ['pull'] }]);
  const viaGet = await fetch(`${server?.url}/token?service=${SERVICE}&account=alice&scope=repository:mycompany/secret:pull`, {
    headers: { authorization: `Basic ${Buffer.from(`dave:${PASSWORD}`).toString('base64')}` },
  });
  assert.equal(viaGet.status, 403);
});

test('security: fuzzed scopes never crash the server and never grant more than asked', { skip }, async () => {
  const parts = [
    'repository',
    'registry',
    'catalog',
    'mycompany/api',
    'mycompany/secret',
    'community/tool',
    host,
    'pull',
    'push',
    'delete',
    '*',
    ':',
    ',',
    '/',
    ' ',
    '(plugin)',
    '%00',
    '..',
    'A',
  ];
  let seedValue = 42;
  const rnd = (n: number) => ((seedValue = (seedValue * 1103515245 + 12345) % 2 ** 31), seedValue % n);
  // A refresh token, not a password: each request is then one HMAC lookup instead of one scrypt.
  const refresh = await agentSession('carol', 'mycompany');
  for (let i = 0; i < 300; i++) {
    const scopes = Array.from({ length: 1 + rnd(3) }, () => Array.from({ length: 1 + rnd(7) }, () => parts[rnd(parts.length)]).join(''));
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refresh, service: SERVICE, scope: scopes.join(' ') });
    const res = await fetch(`${server?.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    assert.ok(res.status < 500, `scope ${JSON.stringify(scopes)} → ${res.status}`);
    if (res.status !== 200) continue;
    const access = decodeJwt(((await res.json()) as { token: string }).token).access as Array<{ type: string; name: string; actions: string[] }>;
    for (const a of access) {
      const asked = scopes
        .join(' ')
        .split(' ')
        .filter((s) => s.startsWith(`${a.type}:${a.name}:`));
      assert.ok(asked.length > 0, `granted unasked ${a.name}`);
      for (const action of a.actions)
        assert.ok(
          asked.some((s) =>
            s
              .slice(s.lastIndexOf(':') + 1)
              .split(',')
              .includes(action),
          ),
          `granted ${action} beyond ${asked.join(' ')}`,
        );
      assert.ok(!(a.name === 'mycompany/secret'), 'never grants carol the secret repository');
      assert.ok(
        a.actions.every((x) => x === 'pull'),
        'carol never gets more than pull',
      );
    }
  }
});

test(
  'security: brute force against /token is rate-limited per account and address (run last: it holds frank back on 127.0.0.1, where dockerd pulls from too)',
  { skip },
  async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${server?.url}/token?service=${SERVICE}&scope=repository:mycompany/api:pull`, {
        headers: { authorization: `Basic ${Buffer.from(`frank:guess-${i}`).toString('base64')}` },
      });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401));
    assert.equal(statuses[11], 429);
    as('frank');
    assertDenied(await pull('otherorg/tool'), /too many failed sign-ins|toomanyrequests/i);
  },
);
