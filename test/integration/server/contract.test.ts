// The server's external contract (README, "The server: `bosun server`"): `bosun server start` and
// `bosun server apply` as processes, the Hub-compatible account API through the agent's own
// clients, agent sessions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { HubAuthError, HubClient } from '../../../src/agent/hubClient.js';
import { BosunAccount } from '../../../src/agent/account/bosunAccount.js';
import type { SignInResult, StoredIdentity } from '../../../src/agent/ports.js';
import { startBosunServer, type BosunServerHandle } from '../../helpers/bosunServer.js';

const SEED = {
  settings: { anonymousPull: true, userNamespaces: false, verifiedPublishers: ['bitnami'] },
  registries: [{ host: '127.0.0.1:5000', service: 'registry.test' }],
  users: [
    { name: 'alice', password: 'alice-password' },
    { name: 'bob', password: 'bob-password', disabled: false },
    { name: 'carol', password: 'carol-password' },
  ],
  orgs: [
    {
      name: 'mycompany',
      members: [
        { user: 'alice', role: 'owner' },
        { user: 'bob', role: 'member' },
      ],
      teams: [
        {
          name: 'backend',
          members: ['bob'],
          grants: [
            { repository: 'mycompany/api', level: 'write' },
            { namespace: 'mycompany', level: 'read' },
          ],
        },
      ],
      imageAccess: { enabled: true, allowOfficial: true, allowVerifiedPublishers: false, allowlist: ['somebody/tool'] },
    },
    { name: 'otherco', members: [{ user: 'carol', role: 'owner' }] },
  ],
  repositories: [
    { name: 'mycompany/api', visibility: 'private' },
    { name: 'library/alpine', visibility: 'public' },
  ],
};

let server: BosunServerHandle;
before(async () => {
  server = await startBosunServer({ seed: SEED });
});
after(async () => {
  await server?.stop();
});

const json = (method: string, path: string, body?: unknown, token?: string) =>
  fetch(server.url + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

test('start prints the URL and what to do next', () => {
  const { stdout } = server.output();
  assert.match(stdout, new RegExp(`listening on ${server.url.replace(/[.:/]/g, '\\$&')}`));
  assert.match(stdout, /Next: .*bosun server apply -f/);
});

test('health and readiness answer', async () => {
  assert.deepEqual(await (await fetch(`${server.url}/healthz`)).json(), { status: 'ok' });
  assert.deepEqual(await (await fetch(`${server.url}/readyz`)).json(), { status: 'ready' });
});

test("the agent's HubClient signs in and reads user, orgs and Image Access Management", async () => {
  const hub = new HubClient({ baseUrl: server.url });
  const token = await hub.signIn('bob', 'bob-password');
  assert.equal(await hub.username(token), 'bob');
  assert.deepEqual(await hub.orgs(token), ['mycompany']);
  assert.deepEqual(await hub.orgImageAccess(token, 'mycompany'), { enabled: true, allowOfficialImages: true, allowVerifiedPublishers: false });
  await assert.rejects(hub.signIn('bob', 'wrong-password'), HubAuthError);
  await assert.rejects(hub.orgImageAccess(token, 'otherco'), /403/);
});

test('/v2/user/orgs/ pages with absolute next links the HubClient follows', async () => {
  const hub = new HubClient({ baseUrl: server.url });
  const token = await hub.signIn('admin', 'admin-password-for-tests');
  const r = await server.apply({
    orgs: [
      { name: 'pg1', members: [{ user: 'admin' }] },
      { name: 'pg2', members: [{ user: 'admin' }] },
      { name: 'pg3', members: [{ user: 'admin' }] },
    ],
  });
  assert.equal(r.code, 0, r.stderr);
  const page = (await (await json('GET', '/v2/user/orgs/?page_size=2', undefined, token)).json()) as { count: number; next: string; results: unknown[] };
  assert.equal(page.count, 3);
  assert.equal(page.results.length, 2);
  assert.equal(new URL(page.next).origin, new URL(server.url).origin);
  assert.deepEqual(await hub.orgs(token), ['pg1', 'pg2', 'pg3']);
});

test('members, groups and group members, visible to members only', async () => {
  const bob = ((await (await json('POST', '/v2/auth/token', { identifier: 'bob', secret: 'bob-password' })).json()) as { access_token: string }).access_token;
  const members = (await (await json('GET', '/v2/orgs/mycompany/members', undefined, bob)).json()) as { results: { username: string; role: string }[] };
  assert.deepEqual(
    members.results.map((m) => [m.username, m.role]),
    [
      ['alice', 'owner'],
      ['bob', 'member'],
    ],
  );
  const groups = (await (await json('GET', '/v2/orgs/mycompany/groups', undefined, bob)).json()) as { results: { name: string; member_count: number }[] };
  assert.deepEqual(
    groups.results.map((g) => [g.name, g.member_count]),
    [
      ['backend', 1],
      ['owners', 1],
    ],
  );
  const owners = (await (await json('GET', '/v2/orgs/mycompany/groups/owners/members', undefined, bob)).json()) as { results: { username: string }[] };
  assert.deepEqual(
    owners.results.map((m) => m.username),
    ['alice'],
  );
  assert.equal((await json('GET', '/v2/orgs/otherco/members', undefined, bob)).status, 403);
  assert.equal((await json('GET', '/v2/orgs/mycompany/members')).status, 401);
});

test('org settings: members read, only owners write', async () => {
  const token = async (u: string) =>
    ((await (await json('POST', '/v2/auth/token', { identifier: u, secret: `${u}-password` })).json()) as { access_token: string }).access_token;
  const bob = await token('bob');
  const alice = await token('alice');
  const denied = await json('PUT', '/v2/orgs/mycompany/settings', { restricted_images: { enabled: false } }, bob);
  assert.equal(denied.status, 403);
  assert.match(((await denied.json()) as { message: string }).message, /only owners of mycompany/);
  const bad = await json('PUT', '/v2/orgs/mycompany/settings', { restricted_images: { enabled: 'no' } }, alice);
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { message: string }).message, /restricted_images\/enabled/);
  const ok = await json('PUT', '/v2/orgs/mycompany/settings', { restricted_images: { allow_verified_publishers: true } }, alice);
  assert.deepEqual(await ok.json(), { restricted_images: { enabled: true, allow_official_images: true, allow_verified_publishers: true } });
  const read = await json('GET', '/v2/orgs/mycompany/settings', undefined, bob);
  assert.equal(((await read.json()) as { restricted_images: { allow_verified_publishers: boolean } }).restricted_images.allow_verified_publishers, true);
  // Put it back for the other tests.
  await json('PUT', '/v2/orgs/mycompany/settings', { restricted_images: { allow_verified_publishers: false } }, alice);
});

test("the agent's BosunAccount: discovery, an org-bound session, its check, revocation", async () => {
  const account = new BosunAccount({ serverUrl: server.url, deviceId: 'device-1', deviceName: 'test laptop' });
  assert.deepEqual(await account.registries(), ['127.0.0.1:5000']);
  const discovery = (await (await fetch(`${server.url}/.well-known/bosun`)).json()) as { registries: unknown };
  assert.deepEqual(discovery.registries, [{ host: '127.0.0.1:5000', service: 'registry.test' }]);

  const result = (await account.signIn('bob', 'bob-password', ['mycompany'])) as SignInResult;
  assert.equal(result.kind, 'signed-in');
  const identity = (result as Extract<SignInResult, { kind: 'signed-in' }>).identity as StoredIdentity;
  assert.equal(identity.session.org, 'mycompany');
  assert.match(identity.secret, /^bosun_rt_/);
  assert.deepEqual(await account.check(identity, ['mycompany']), { ok: true });

  // Not a member of the requested org: no session.
  const refused = await json(
    'POST',
    '/api/v1/agent/sessions',
    { org: 'otherco', device_id: 'd', device_name: 'n' },
    ((await (await json('POST', '/v2/auth/token', { identifier: 'bob', secret: 'bob-password' })).json()) as { access_token: string }).access_token,
  );
  assert.equal(refused.status, 403);

  // Membership removed → 403 with a message; disabled → disabled.
  assert.equal(
    (await server.apply({ orgs: [{ name: 'mycompany', members: [{ user: 'alice', role: 'owner' }], teams: [{ name: 'backend', members: [] }] }] }, ['--prune']))
      .code,
    0,
  );
  const check = await account.check(identity, ['mycompany']);
  assert.equal(check.ok, false);
  assert.equal((check as { why: string }).why, 'membership-revoked');
  assert.equal((await server.apply(SEED)).code, 0);
  assert.deepEqual(await account.check(identity, ['mycompany']), { ok: true });

  await account.revoke(identity);
  const revoked = await account.check(identity, ['mycompany']);
  assert.equal((revoked as { why: string }).why, 'token-revoked');
});

test('sign-in answers do not reveal whether an account exists', async () => {
  const unknown = await json('POST', '/v2/auth/token', { identifier: 'nobody-here', secret: 'whatever' });
  const wrong = await json('POST', '/v2/auth/token', { identifier: 'carol', secret: 'whatever' });
  assert.equal(unknown.status, 401);
  assert.equal(wrong.status, 401);
  assert.deepEqual(await unknown.json(), await wrong.json());
  const malformed = await json('POST', '/v2/auth/token', { identifier: 'carol' });
  assert.equal(malformed.status, 400);
  assert.match(((await malformed.json()) as { message: string }).message, /\/secret is required/);
});

test('failed sign-ins are rate limited per account, for unknown accounts too', async () => {
  let last = 0;
  for (let i = 0; i < 11; i++) last = (await json('POST', '/v2/auth/token', { identifier: 'ghost-account', secret: `guess-${i}` })).status;
  assert.equal(last, 429);
  const res = await json('POST', '/v2/auth/token', { identifier: 'ghost-account', secret: 'guess' });
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get('retry-after')) > 0);
  // Another account from the same address is still served.
  assert.equal((await json('POST', '/v2/auth/token', { identifier: 'carol', secret: 'carol-password' })).status, 200);
});

test('apply is idempotent, prints what changed, and --dry-run changes nothing', async () => {
  const again = await server.apply(SEED);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /no changes/);
  const plan = { ...SEED, repositories: [...SEED.repositories, { name: 'mycompany/web', visibility: 'public' }] };
  const dry = await server.apply(plan, ['--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^\+ repository mycompany\/web: public$/m);
  assert.match(dry.stdout, /dry run/);
  const real = await server.apply(plan);
  assert.match(real.stdout, /^\+ repository mycompany\/web: public$/m);
  assert.match((await server.apply(plan)).stdout, /no changes/);
});

test('a malformed file changes nothing and reports every error', async () => {
  const schemaBad = await server.apply({ users: [{ name: 'Upper Case' }], orgs: [{ name: 'x', members: [{ user: 'a', role: 'boss' }] }], extra: 1 });
  assert.equal(schemaBad.code, 1);
  assert.match(schemaBad.stderr, /\/users\/0\/name/);
  assert.match(schemaBad.stderr, /\/orgs\/0\/members\/0\/role/);
  assert.match(schemaBad.stderr, /\/extra: is not an allowed property/);

  // Valid shape, wrong references: the server reports them all and applies none of the file.
  const semanticBad = await server.apply({
    users: [{ name: 'dave', password: 'dave-password' }],
    orgs: [{ name: 'newco', members: [{ user: 'nosuchuser' }], teams: [{ name: 't', grants: [{ repository: 'newco/x', level: 'superpowers' }] }] }],
  });
  assert.equal(semanticBad.code, 1);
  assert.match(semanticBad.stderr, /\/orgs\/0\/members\/0\/user: there is no user nosuchuser/);
  assert.match(semanticBad.stderr, /\/orgs\/0\/teams\/0\/grants\/0\/level: "superpowers" is not an access level/);
  const admin = ((await (await json('POST', '/v2/auth/token', { identifier: 'admin', secret: 'admin-password-for-tests' })).json()) as { access_token: string })
    .access_token;
  const orgs = (await (await json('GET', '/v2/user/orgs/', undefined, admin)).json()) as { results: { orgname: string }[] };
  assert.ok(!orgs.results.some((o) => o.orgname === 'newco'));
  assert.equal((await json('POST', '/v2/auth/token', { identifier: 'dave', secret: 'dave-password' })).status, 401);
});

test('only administrators may apply', async () => {
  const alice = ((await (await json('POST', '/v2/auth/token', { identifier: 'alice', secret: 'alice-password' })).json()) as { access_token: string })
    .access_token;
  const res = await json('POST', '/api/v1/apply', { config: { users: [{ name: 'alice', role: 'superuser' }] } }, alice);
  assert.equal(res.status, 403);
});

test("an agent session's refresh token reads its own org's settings (read-only), and nothing else", async () => {
  const access = ((await (await json('POST', '/v2/auth/token', { identifier: 'bob', secret: 'bob-password' })).json()) as { access_token: string })
    .access_token;
  const created = await json('POST', '/api/v1/agent/sessions', { org: 'mycompany', device_id: 'laptop-1', device_name: 'bob laptop' }, access);
  assert.equal(created.status, 201);
  const refresh = ((await created.json()) as { refresh_token: string }).refresh_token;
  const read = await json('GET', '/v2/orgs/mycompany/settings', undefined, refresh);
  assert.equal(read.status, 200);
  assert.equal(((await read.json()) as { restricted_images: { enabled: boolean } }).restricted_images.enabled, true);
  assert.equal((await json('GET', '/v2/orgs/otherco/settings', undefined, refresh)).status, 401, 'another org: the session does not count');
  assert.equal((await json('PUT', '/v2/orgs/mycompany/settings', { restricted_images: { enabled: false } }, refresh)).status, 401, 'never for writes');
  assert.equal((await json('GET', '/v2/user/orgs/', undefined, refresh)).status, 401, 'not an account token elsewhere');
});
