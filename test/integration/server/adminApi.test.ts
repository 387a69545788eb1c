// The admin API over HTTP against a real `bosun server` process: authorization on every route
// (an owner of one org cannot touch another; a member cannot make themselves owner), bodies
// validated with the field named, PATs, sessions, audit, OpenAPI, and browser sign-in.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBosunServer, ADMIN, type BosunServerHandle } from '../../helpers/bosunServer.js';

const SEED = {
  users: [
    { name: 'alice', password: 'alice-password' },
    { name: 'bob', password: 'bob-password' },
    { name: 'carol', password: 'carol-password' },
    { name: 'dave', password: 'dave-password' },
  ],
  orgs: [
    {
      name: 'acme',
      members: [
        { user: 'alice', role: 'owner' },
        { user: 'bob', role: 'member' },
        { user: 'dave', role: 'editor' },
      ],
      teams: [{ name: 'dev', members: ['bob'], grants: [{ repository: 'acme/api', level: 'read' }] }],
    },
    { name: 'globex', members: [{ user: 'carol', role: 'owner' }], teams: [{ name: 'ops', members: ['carol'] }] },
  ],
  repositories: [
    { name: 'acme/api', visibility: 'private' },
    { name: 'globex/secret', visibility: 'private' },
  ],
};

let server: BosunServerHandle;
const tokens = new Map<string, string>();
before(async () => {
  server = await startBosunServer({ seed: SEED });
});
after(async () => {
  await server?.stop();
});

async function tokenFor(user: string, secret = user === ADMIN.name ? ADMIN.password : `${user}-password`): Promise<string> {
  const key = `${user}:${secret}`;
  const cached = tokens.get(key);
  if (cached) return cached;
  const res = await fetch(`${server.url}/v2/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: user, secret }),
  });
  assert.equal(res.status, 200, `sign-in as ${user}`);
  const t = ((await res.json()) as { access_token: string }).access_token;
  tokens.set(key, t);
  return t;
}

async function call(as: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const token = as === null ? undefined : as.startsWith('eyJ') ? as : await tokenFor(as);
  const res = await fetch(server.url + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

test('an owner of one org can neither read nor change another org', async () => {
  const attempts: [string, string, unknown?][] = [
    ['GET', '/api/v1/orgs/globex'],
    ['GET', '/api/v1/orgs/globex/members'],
    ['GET', '/api/v1/orgs/globex/teams'],
    ['GET', '/api/v1/orgs/globex/image-access'],
    ['GET', '/api/v1/orgs/globex/sessions'],
    ['PATCH', '/api/v1/orgs/globex/image-access', { enabled: true }],
    ['PUT', '/api/v1/orgs/globex/members/alice', { role: 'owner' }],
    ['DELETE', '/api/v1/orgs/globex/members/carol'],
    ['POST', '/api/v1/orgs/globex/teams', { name: 'intruders' }],
    ['PUT', '/api/v1/orgs/globex/teams/ops/members/alice'],
    ['PUT', '/api/v1/orgs/globex/teams/ops/grants', { namespace: 'globex', level: 'admin' }],
    ['DELETE', '/api/v1/orgs/globex/teams/ops'],
    ['DELETE', '/api/v1/orgs/globex'],
    ['GET', '/v2/orgs/globex/members'],
    ['PUT', '/v2/orgs/globex/settings', { restricted_images: { enabled: true } }],
  ];
  for (const [method, path, body] of attempts) {
    const r = await call('alice', method, path, body);
    assert.equal(r.status, 403, `${method} ${path} answered ${r.status}`);
    assert.match(String(r.body.message), /alice is not a member of globex/);
  }
  // Repositories of the other org look absent.
  for (const [method, path, body] of [
    ['GET', '/api/v1/repositories/globex/secret'],
    ['PATCH', '/api/v1/repositories/globex/secret', { visibility: 'public' }],
    ['GET', '/api/v1/repositories/globex/secret/grants'],
  ] as const) {
    assert.equal((await call('alice', method, path, body)).status, 404, `${method} ${path}`);
  }
  const listed = await call('alice', 'GET', '/api/v1/repositories');
  assert.deepEqual(
    (listed.body.repositories as { name: string }[]).map((r) => r.name),
    ['acme/api'],
  );
  // Nothing changed in globex.
  const members = await call('carol', 'GET', '/api/v1/orgs/globex/members');
  assert.deepEqual(members.body.members, [{ user: 'carol', role: 'owner', disabled: false }]);
  assert.equal((await call('carol', 'GET', '/api/v1/orgs/globex/teams')).body.teams instanceof Array, true);
});

test('a member cannot escalate to owner (or to server admin); an editor cannot either', async () => {
  for (const who of ['bob', 'dave']) {
    const attempts: [string, string, unknown?][] = [
      ['PUT', `/api/v1/orgs/acme/members/${who}`, { role: 'owner' }],
      ['PUT', `/api/v1/orgs/acme/teams/owners/members/${who}`],
      ['PATCH', `/api/v1/users/${who}`, { role: 'admin' }],
      ['PATCH', '/api/v1/orgs/acme/image-access', { enabled: false }],
      ['PUT', '/v2/orgs/acme/settings', { restricted_images: { enabled: true } }],
      ['POST', '/api/v1/orgs/acme/teams', { name: 'mine' }],
      ['DELETE', '/api/v1/orgs/acme/members/alice'],
      ['PUT', '/api/v1/orgs/acme/teams/dev/grants', { namespace: 'acme', level: 'admin' }],
      ['GET', '/api/v1/audit'],
      ['POST', '/api/v1/apply', { config: { orgs: [{ name: 'acme', members: [{ user: who, role: 'owner' }] }] } }],
    ];
    for (const [method, path, body] of attempts) {
      const r = await call(who, method, path, body);
      assert.equal(r.status, 403, `${who}: ${method} ${path} answered ${r.status} ${JSON.stringify(r.body)}`);
    }
  }
  const members = (await call('alice', 'GET', '/api/v1/orgs/acme/members')).body.members as { user: string; role: string }[];
  assert.deepEqual(
    members.map((m) => [m.user, m.role]),
    [
      ['alice', 'owner'],
      ['bob', 'member'],
      ['dave', 'editor'],
    ],
  );
  const bob = (await call(ADMIN.name, 'GET', '/api/v1/users/bob')).body;
  assert.equal(bob.role, 'user');
});

test('editors manage repositories and their team grants; members do not', async () => {
  assert.equal((await call('bob', 'POST', '/api/v1/repositories', { name: 'acme/web' })).status, 403);
  const created = await call('dave', 'POST', '/api/v1/repositories', { name: 'acme/web', visibility: 'private' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal((await call('dave', 'PUT', '/api/v1/orgs/acme/teams/dev/grants', { repository: 'acme/web', level: 'Read Only' })).status, 200);
  const teams = (await call('bob', 'GET', '/api/v1/orgs/acme/teams')).body.teams as { name: string; grants: unknown[] }[];
  assert.deepEqual(teams.find((t) => t.name === 'dev')?.grants, [
    { repository: 'acme/api', level: 'read' },
    { repository: 'acme/web', level: 'read' },
  ]);
  assert.equal((await call('bob', 'PATCH', '/api/v1/repositories/acme/web', { visibility: 'public' })).status, 403);
  assert.equal((await call('dave', 'PATCH', '/api/v1/repositories/acme/web', { visibility: 'public' })).status, 200);
  // A direct user grant (collaborator), given by the owner.
  assert.equal((await call('alice', 'PUT', '/api/v1/repositories/acme/web/grants', { user: 'carol', level: 'Full Control' })).status, 200);
  assert.equal((await call('carol', 'PATCH', '/api/v1/repositories/acme/web', { visibility: 'private' })).status, 200);
  const grants = await call('alice', 'GET', '/api/v1/repositories/acme/web/grants');
  assert.deepEqual(grants.body.grants, [
    { team: 'acme/dev', on: 'repository acme/web', level: 'read' },
    { user: 'carol', on: 'repository acme/web', level: 'admin' },
  ]);
  assert.equal((await call('alice', 'DELETE', '/api/v1/repositories/acme/web/grants', { user: 'carol' })).status, 204);
  assert.equal((await call('carol', 'GET', '/api/v1/repositories/acme/web')).status, 404);
});

test('the admin API does not reveal which accounts exist', async () => {
  const existing = await call('bob', 'GET', '/api/v1/users/alice/tokens');
  const missing = await call('bob', 'GET', '/api/v1/users/no-such-user/tokens');
  assert.equal(existing.status, 403);
  assert.deepEqual(existing, missing);
  assert.equal((await call(ADMIN.name, 'GET', '/api/v1/users/no-such-user')).status, 404, 'admins do see it');
});

test('a bad body gets a 400 that names the field', async () => {
  const r = await call(ADMIN.name, 'POST', '/api/v1/users', { name: 'eve', role: 'god', extra: true });
  assert.equal(r.status, 400);
  const paths = (r.body.errors as { path: string }[]).map((e) => e.path);
  assert.ok(paths.includes('/role'), JSON.stringify(r.body));
  assert.ok(paths.includes('/extra'), JSON.stringify(r.body));
  assert.match(String(r.body.message), /\/role/);
  const bad = await call('alice', 'PUT', '/api/v1/orgs/acme/members/bob', { role: 'boss' });
  assert.equal(bad.status, 400);
  assert.match(String(bad.body.message), /\/role must be one of/);
});

test('server roles: admins manage users, only a superuser makes superusers; an org keeps an owner', async () => {
  assert.equal((await call(ADMIN.name, 'POST', '/api/v1/users', { name: 'frank', password: 'frank-password', role: 'admin' })).status, 201);
  assert.equal((await call('frank', 'PATCH', '/api/v1/users/bob', { role: 'superuser' })).status, 403);
  assert.equal((await call('frank', 'PATCH', '/api/v1/users/admin', { disabled: true })).status, 403);
  assert.equal((await call('frank', 'PATCH', '/api/v1/users/bob', { disabled: true })).status, 200);
  assert.equal((await call(null, 'POST', '/v2/auth/token', { identifier: 'bob', secret: 'bob-password' })).status, 403);
  assert.equal((await call('frank', 'PATCH', '/api/v1/users/bob', { disabled: false })).status, 200);
  // Disabling ended every token bob held: re-enabling does not bring back the one issued before.
  assert.equal((await call('bob', 'GET', '/v2/user/')).status, 401);
  tokens.delete('bob:bob-password');
  assert.equal((await call('bob', 'GET', '/v2/user/')).status, 200);
  const demote = await call('alice', 'PUT', '/api/v1/orgs/acme/members/alice', { role: 'member' });
  assert.equal(demote.status, 409);
  assert.match(String(demote.body.message), /without an owner/);
});

test('personal access tokens: shown once, scoped, cannot mint tokens, revocable', async () => {
  const created = await call('alice', 'POST', '/api/v1/users/alice/tokens', { label: 'laptop', scopes: ['read'], expiresInDays: 30 });
  assert.equal(created.status, 201);
  const secret = String(created.body.token);
  assert.match(secret, /^bosun_pat_/);
  const listed = await call('alice', 'GET', '/api/v1/users/alice/tokens');
  assert.ok(!JSON.stringify(listed.body).includes(secret), 'the secret is never listed');
  assert.equal((await call('bob', 'GET', '/api/v1/users/alice/tokens')).status, 403);
  const patToken = await tokenFor('alice', secret);
  assert.equal((await call(patToken, 'GET', '/v2/user/')).body.username, 'alice');
  assert.equal((await call(patToken, 'POST', '/api/v1/users/alice/tokens', { label: 'more', scopes: ['delete'] })).status, 403);
  assert.equal((await call(patToken, 'PATCH', '/api/v1/orgs/acme/image-access', { enabled: true })).status, 403, 'a read-only PAT changes nothing');
  assert.equal((await call('alice', 'DELETE', `/api/v1/users/alice/tokens/${String(created.body.id)}`)).status, 204);
  assert.equal((await call(patToken, 'GET', '/v2/user/')).status, 401, 'access tokens from a revoked PAT stop at once');
  assert.equal((await call(null, 'POST', '/v2/auth/token', { identifier: 'alice', secret })).status, 401);
});

test('agent sessions: listed for the user and the org owner, revocable by the owner', async () => {
  const made = await call('bob', 'POST', '/api/v1/agent/sessions', { org: 'acme', device_id: 'dev-9', device_name: 'bob laptop' });
  assert.equal(made.status, 201);
  const refresh = String(made.body.refresh_token);
  const mine = (await call('bob', 'GET', '/api/v1/users/bob/sessions')).body.sessions as { id: number; deviceName: string }[];
  assert.deepEqual(
    mine.map((s) => s.deviceName),
    ['bob laptop'],
  );
  const orgSessions = (await call('alice', 'GET', '/api/v1/orgs/acme/sessions')).body.sessions as { id: number }[];
  assert.ok(orgSessions.some((s) => s.id === mine[0]?.id));
  assert.equal((await call('carol', 'DELETE', `/api/v1/sessions/${mine[0]?.id}`)).status, 404, 'an outsider cannot revoke it');
  assert.equal((await call('alice', 'DELETE', `/api/v1/sessions/${mine[0]?.id}`)).status, 204);
  const check = await fetch(`${server.url}/api/v1/agent/sessions/current`, { headers: { authorization: `Bearer ${refresh}` } });
  assert.equal(check.status, 401);
});

test('the audit log records who did what, when and from where', async () => {
  const r = await call(ADMIN.name, 'GET', '/api/v1/audit?action=session.revoke&limit=5');
  const rec = (r.body.records as { actor: string; action: string; ip: string; at: string; detail: string }[])[0];
  assert.equal(rec?.actor, 'alice');
  assert.equal(rec?.ip, '127.0.0.1');
  assert.match(rec?.detail ?? '', /bob in acme on bob laptop/);
  assert.ok(Date.parse(rec?.at ?? '') > 0);
  const signIns = await call(ADMIN.name, 'GET', '/api/v1/audit?action=sign-in&actor=bob');
  assert.ok((signIns.body.records as unknown[]).length > 0);
});

test('OpenAPI is generated from the schemas, served, and every $ref resolves', async () => {
  const doc = (await call(null, 'GET', '/api/v1/openapi.json')).body as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, unknown> };
  };
  assert.equal(doc.openapi, '3.1.0');
  for (const p of ['/api/v1/orgs/{org}/members/{user}', '/api/v1/users/{user}/tokens', '/v2/auth/token', '/api/v1/apply', '/api/v1/audit'])
    assert.ok(doc.paths[p], `missing ${p}`);
  // Every admin route that answers a body documents its schema.
  for (const [path, ops] of Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/v1/') && !p.startsWith('/api/v1/agent') && p !== '/api/v1/apply')) {
    for (const [method, op] of Object.entries(ops)) {
      const responses = (op as { responses: Record<string, { content?: unknown }> }).responses;
      const ok = responses['200'] ?? responses['201'];
      if (ok) assert.ok(ok.content, `${method.toUpperCase()} ${path} documents no response schema`);
    }
  }
  const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
  assert.ok(refs.length > 10);
  for (const ref of refs) {
    const pointer = ref.slice('"$ref":"#/'.length, -1).split('/');
    let node: unknown = doc;
    for (const part of pointer) node = (node as Record<string, unknown> | undefined)?.[part];
    assert.ok(node, `unresolved ${ref}`);
  }
});

test('browser sign-in (device flow) with the account password yields a working access token', async () => {
  const form = (path: string, fields: Record<string, string>) =>
    fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  const code = (await (await form('/oauth/device/code', { client_id: 'bosun-agent' })).json()) as {
    device_code: string;
    user_code: string;
    verification_uri: string;
  };
  assert.equal(code.verification_uri, `${server.url}/device`);
  assert.equal((await form('/device', { user_code: code.user_code, username: 'carol', password: 'wrong', decision: 'approve' })).status, 401);
  assert.equal((await form('/device', { user_code: code.user_code, username: 'carol', password: 'carol-password', decision: 'approve' })).status, 200);
  let token: { access_token?: string; error?: string } = {};
  for (let i = 0; i < 20 && !token.access_token; i++) {
    token = (await (
      await form('/oauth/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: code.device_code, client_id: 'bosun-agent' })
    ).json()) as typeof token;
    if (!token.access_token) await new Promise((r) => setTimeout(r, 500));
  }
  assert.ok(token.access_token, JSON.stringify(token));
  assert.equal((await call(token.access_token, 'GET', '/v2/user/')).body.username, 'carol');
  const audit = await call(ADMIN.name, 'GET', '/api/v1/audit?action=device&actor=carol');
  assert.ok((audit.body.records as unknown[]).length > 0);
});
