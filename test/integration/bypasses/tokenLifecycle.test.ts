// The refresh-token lifecycle, replayed against the real `bosun server` process over HTTP:
//  - refresh tokens (agent sessions and `docker login` tokens) end after an absolute lifetime and
//    after an idle timeout (server settings), checked on every use by the token service and the
//    agent endpoints;
//  - a password change, a disable and "sign out everywhere" end every refresh token of the user
//    and the account access tokens issued before; disable and sign-out-everywhere end PATs too;
//  - a new agent session on a device replaces the user's earlier session there;
//  - the token service's former table (registry_refresh_tokens) moves into `sessions` by a
//    numbered migration, revoked (that table kept no PAT, so none of them can be trusted).
// The registry is not needed here: the token service's answer (200 with a grant, 401) is the decision.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { accountToken, ADMIN, startBosunServer, type BosunServerHandle } from '../../helpers/bosunServer.js';
import { MIGRATIONS } from '../../../src/server/store/migrations.js';
import { hashPassword, loadOrCreateKeys, newToken, tokenHash } from '../../../src/server/store/secrets.js';

const SERVICE = 'registry.test';
const USERS = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal', 'ivy'];
const password = (user: string, generation = 1) => `${user}-password-${generation}`;

let server: BosunServerHandle;

function seed(over: { passwords?: Record<string, string>; disabled?: string[]; settings?: Record<string, unknown> } = {}) {
  return {
    ...(over.settings ? { settings: over.settings } : {}),
    registries: [{ host: 'registry.test:5000', service: SERVICE }],
    users: USERS.map((name) => ({ name, password: over.passwords?.[name] ?? password(name), disabled: (over.disabled ?? []).includes(name) })),
    orgs: [
      {
        name: 'acme',
        members: USERS.map((user) => ({ user, role: 'member' })),
        teams: [{ name: 'all', members: USERS, grants: [{ repository: 'acme/api', level: 'write' }] }],
      },
    ],
    repositories: [{ name: 'acme/api', visibility: 'private' }],
  };
}

async function apply(s: object): Promise<void> {
  const r = await server.apply(s);
  assert.equal(r.code, 0, `apply failed: ${r.stdout}\n${r.stderr}`);
}

const DEFAULT_LIMITS = { refreshTokenMaxAgeSeconds: 30 * 86_400, refreshTokenIdleSeconds: 7 * 86_400 };

/** Everything a user can hold: an account access token, an agent session, a docker-login refresh token, a PAT. */
async function tokensOf(user: string, secret = password(user)) {
  const access = await accountToken(server.url, user, secret);
  const pat = (await (
    await fetch(`${server.url}/api/v1/users/${user}/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${access}` },
      body: JSON.stringify({ label: 'ci', scopes: ['read'] }),
    })
  ).json()) as { token: string };
  return { access, session: await agentSession(user, access), dockerLogin: await dockerLogin(user, secret), pat: pat.token };
}

async function agentSession(user: string, access?: string, device = `laptop-of-${user}`): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/agent/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${access ?? (await accountToken(server.url, user, password(user)))}` },
    body: JSON.stringify({ org: 'acme', device_id: device, device_name: 'lifecycle test' }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { refresh_token: string }).refresh_token;
}

/** What `docker login` does against a token-auth registry (containerd's form): offline access with a password. */
async function dockerLogin(user: string, secret = password(user)): Promise<string> {
  const res = await tokenPost({ grant_type: 'password', username: user, password: secret, access_type: 'offline', scope: 'repository:acme/api:pull' });
  assert.equal(res.status, 200, await res.clone().text());
  const refresh = ((await res.json()) as { refresh_token?: string }).refresh_token;
  assert.match(refresh ?? '', /^bosun_rt_/);
  return refresh as string;
}

// The token service allows 10 failed refresh-token uses per address per minute, and these tests
// fail many on purpose: each test speaks to /token from its own loopback address (all of
// 127.0.0.0/8 reaches the server on 127.0.0.1), so one test's refusals never throttle the next.
let nextAddress = 10;
let from = '127.0.0.1';
test.beforeEach(() => {
  from = `127.0.0.${nextAddress++}`;
});

/** POST /token (form) from this test's address. */
function tokenPost(
  form: Record<string, string>,
  base = server.url,
): Promise<{ status: number; text(): Promise<string>; json(): Promise<unknown>; clone(): { text(): Promise<string> } }> {
  const body = new URLSearchParams({ service: SERVICE, client_id: 'lifecycle', ...form }).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/token`,
      { method: 'POST', localAddress: from, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          const answer = { status: res.statusCode ?? 0, text: async () => text, json: async () => JSON.parse(text) as unknown };
          resolve({ ...answer, clone: () => answer });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A registry grant with a refresh token: 200, or 401 once the token has ended. */
const refreshGrant = async (refreshToken: string) =>
  (await tokenPost({ grant_type: 'refresh_token', refresh_token: refreshToken, scope: 'repository:acme/api:pull' })).status;
/** The agent's periodic session check. */
const sessionCheck = async (refreshToken: string) => {
  const res = await fetch(`${server.url}/api/v1/agent/sessions/current`, { headers: { authorization: `Bearer ${refreshToken}` } });
  return { status: res.status, body: await res.text() };
};
const accountApi = async (access: string) => (await fetch(`${server.url}/v2/user/`, { headers: { authorization: `Bearer ${access}` } })).status;
const patSignIn = async (user: string, pat: string) =>
  (
    await fetch(`${server.url}/v2/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: user, secret: pat }),
    })
  ).status;

async function assertAllWork(user: string, t: Awaited<ReturnType<typeof tokensOf>>): Promise<void> {
  assert.equal(await refreshGrant(t.session), 200, 'agent session at the token service');
  assert.equal((await sessionCheck(t.session)).status, 200, 'agent session check');
  assert.equal(await refreshGrant(t.dockerLogin), 200, 'docker-login refresh token');
  assert.equal(await accountApi(t.access), 200, 'account access token');
  assert.equal(await patSignIn(user, t.pat), 200, 'PAT');
}

async function assertRevoked(user: string, t: Awaited<ReturnType<typeof tokensOf>>, pat: 'pat-revoked' | 'pat-kept'): Promise<void> {
  assert.equal(await refreshGrant(t.session), 401, 'agent session at the token service');
  assert.equal((await sessionCheck(t.session)).status, 401, 'agent session check');
  assert.equal(await refreshGrant(t.dockerLogin), 401, 'docker-login refresh token');
  assert.equal(await accountApi(t.access), 401, 'account access token issued before');
  assert.equal(await patSignIn(user, t.pat), pat === 'pat-revoked' ? 401 : 200, pat === 'pat-revoked' ? 'the PAT is revoked' : 'the PAT is kept');
}

const adminCall = async (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await accountToken(server.url, ADMIN.name, ADMIN.password)}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

before(async () => {
  server = await startBosunServer({ seed: seed() });
});

after(async () => {
  await server?.stop();
});

test('an admin changes a password: every refresh token and earlier access token ends; the PAT is kept', async () => {
  const t = await tokensOf('ann');
  await assertAllWork('ann', t);
  assert.equal((await adminCall('PATCH', '/api/v1/users/ann', { password: password('ann', 2) })).status, 200);
  await assertRevoked('ann', t, 'pat-kept');
  assert.equal(await accountApi(await accountToken(server.url, 'ann', password('ann', 2))), 200, 'a sign-in with the new password works');
});

test('a user changes their own password: their other sign-ins end', async () => {
  const t = await tokensOf('ben');
  const res = await fetch(`${server.url}/api/v1/users/ben`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await accountToken(server.url, 'ben', password('ben'))}` },
    body: JSON.stringify({ password: password('ben', 2) }),
  });
  assert.equal(res.status, 200, await res.text());
  await assertRevoked('ben', t, 'pat-kept');
});

test('a password changed by apply ends every refresh token and earlier access token', async () => {
  const t = await tokensOf('cat');
  await apply(seed({ passwords: { ann: password('ann', 2), ben: password('ben', 2), cat: password('cat', 2) } }));
  await assertRevoked('cat', t, 'pat-kept');
});

test('disabled then re-enabled by an admin: nothing issued before comes back, PATs included', async () => {
  const t = await tokensOf('dan');
  assert.equal((await adminCall('PATCH', '/api/v1/users/dan', { disabled: true })).status, 200);
  assert.equal((await adminCall('PATCH', '/api/v1/users/dan', { disabled: false })).status, 200);
  await assertRevoked('dan', t, 'pat-revoked');
  await assertAllWork('dan', await tokensOf('dan'));
});

test('disabled then re-enabled by apply: nothing issued before comes back', async () => {
  const t = await tokensOf('eve');
  const passwords = { ann: password('ann', 2), ben: password('ben', 2), cat: password('cat', 2) };
  await apply(seed({ passwords, disabled: ['eve'] }));
  await apply(seed({ passwords }));
  await assertRevoked('eve', t, 'pat-revoked');
});

test('sign out everywhere, by the user and by an admin: everything ends, PATs included, and it is audited', async () => {
  const mine = await tokensOf('fay');
  const res = await fetch(`${server.url}/api/v1/users/fay/sign-out-everywhere`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await accountToken(server.url, 'fay', password('fay'))}` },
  });
  assert.equal(res.status, 204, await res.text());
  await assertRevoked('fay', mine, 'pat-revoked');

  const theirs = await tokensOf('gus');
  const other = await fetch(`${server.url}/api/v1/users/gus/sign-out-everywhere`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await accountToken(server.url, 'fay', password('fay'))}` },
  });
  assert.equal(other.status, 403, 'a user may not sign out someone else');
  await assertAllWork('gus', theirs);
  assert.equal((await adminCall('POST', '/api/v1/users/gus/sign-out-everywhere')).status, 204);
  await assertRevoked('gus', theirs, 'pat-revoked');

  const audit = (await (await adminCall('GET', '/api/v1/audit?action=user.sign-out-everywhere')).json()) as {
    records: Array<{ actor: string; target: string; detail: string }>;
  };
  assert.deepEqual(
    audit.records.map((r) => [r.actor, r.target]),
    [
      ['admin', 'user gus'],
      ['fay', 'user fay'],
    ],
  );
  assert.match(audit.records[0]?.detail ?? '', /1 session\(s\) and refresh token\(s\)|2 session\(s\) and refresh token\(s\)/);
});

test('an access token of a deleted account does not work for a new account of the same name', async () => {
  assert.equal((await adminCall('POST', '/api/v1/users', { name: 'zed', password: 'zed-password-1' })).status, 201);
  const old = await accountToken(server.url, 'zed', 'zed-password-1');
  assert.equal(await accountApi(old), 200);
  assert.equal((await adminCall('DELETE', '/api/v1/users/zed')).status, 204);
  assert.equal((await adminCall('POST', '/api/v1/users', { name: 'zed', password: 'zed-password-2' })).status, 201);
  assert.equal(await accountApi(old), 401);
  assert.equal(await accountApi(await accountToken(server.url, 'zed', 'zed-password-2')), 200);
});

test("a new agent session on a device revokes the user's earlier one there; another device keeps its own", async () => {
  const first = await agentSession('hal');
  const otherDevice = await agentSession('hal', undefined, 'desktop-of-hal');
  const second = await agentSession('hal');
  assert.equal(await refreshGrant(first), 401, 'the replaced session ends');
  assert.equal((await sessionCheck(first)).status, 401);
  assert.equal(await refreshGrant(second), 200);
  assert.equal(await refreshGrant(otherDevice), 200);
});

test('absolute lifetime: every refresh token ends after refreshTokenMaxAgeSeconds, however often it is used', async () => {
  const passwords = { ann: password('ann', 2), ben: password('ben', 2), cat: password('cat', 2) };
  await apply(seed({ passwords, settings: { refreshTokenMaxAgeSeconds: 3, refreshTokenIdleSeconds: 3600 } }));
  try {
    const session = await agentSession('ivy');
    const login = await dockerLogin('ivy');
    const start = Date.now();
    while (Date.now() - start < 2000) {
      assert.equal(await refreshGrant(session), 200);
      assert.equal(await refreshGrant(login), 200);
      await new Promise((r) => setTimeout(r, 400));
    }
    await new Promise((r) => setTimeout(r, 3200 - (Date.now() - start)));
    assert.equal(await refreshGrant(session), 401, 'the agent session at the token service');
    assert.equal(await refreshGrant(login), 401, 'the docker-login token');
    const check = await sessionCheck(session);
    assert.equal(check.status, 401);
    assert.match(check.body, /older than the server's limit of 3 seconds; sign in again/);
  } finally {
    await apply(seed({ passwords, settings: DEFAULT_LIMITS }));
  }
});

test('idle timeout: a refresh token in use lives on; one left unused for refreshTokenIdleSeconds ends', async () => {
  const passwords = { ann: password('ann', 2), ben: password('ben', 2), cat: password('cat', 2) };
  await apply(seed({ passwords, settings: { refreshTokenMaxAgeSeconds: 3600, refreshTokenIdleSeconds: 3 } }));
  try {
    const session = await agentSession('ivy', undefined, 'idle-test');
    const login = await dockerLogin('ivy');
    const checked = await agentSession('ivy', undefined, 'idle-test-2');
    // Used every 1.5 s for 4.5 s: longer than the idle timeout in all, never idle for it.
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(await refreshGrant(session), 200, `use ${i + 1} of the agent session`);
      assert.equal(await refreshGrant(login), 200, `use ${i + 1} of the docker-login token`);
      assert.equal((await sessionCheck(checked)).status, 200, `session check ${i + 1}`);
    }
    await new Promise((r) => setTimeout(r, 3500));
    assert.equal(await refreshGrant(session), 401);
    assert.equal(await refreshGrant(login), 401);
    const check = await sessionCheck(checked);
    assert.equal(check.status, 401);
    assert.match(check.body, /was not used for 3 seconds; sign in again/);
  } finally {
    await apply(seed({ passwords, settings: DEFAULT_LIMITS }));
  }
});

test("migration: docker-login tokens in the old registry_refresh_tokens table move into sessions, revoked (they may have lost a PAT's scopes)", async () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'bosun-migrate-rt-')));
  const dataDir = join(root, 'data');
  // A data dir as the previous release left it: schema 2, plus the table the token service created itself.
  mkdirSync(dataDir, { mode: 0o700 });
  const keys = loadOrCreateKeys(dataDir);
  const live = newToken('bosun_rt_');
  const revoked = newToken('bosun_rt_');
  const db = new Database(join(dataDir, 'bosun-server.db'));
  for (const m of MIGRATIONS.slice(0, 2)) db.exec(m);
  db.pragma('user_version = 2');
  db.prepare("INSERT INTO users (id, name, password_hash, created_at) VALUES (1, 'old', ?, ?)").run(
    await hashPassword('old-password-1'),
    new Date().toISOString(),
  );
  db.exec(`CREATE TABLE registry_refresh_tokens (
    id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, client_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, last_used_at TEXT, revoked_at TEXT);`);
  const insert = db.prepare('INSERT INTO registry_refresh_tokens (user_id, client_id, token_hash, created_at, revoked_at) VALUES (1, ?, ?, ?, ?)');
  insert.run('docker', tokenHash(keys.tokenHmac, live), new Date().toISOString(), null);
  insert.run('docker', tokenHash(keys.tokenHmac, revoked), new Date().toISOString(), new Date().toISOString());
  db.close();

  const old = await startBosunServer({ dataDir });
  try {
    const r = await old.apply({ registries: [{ host: 'registry.test:5000', service: SERVICE }] });
    assert.equal(r.code, 0, r.stderr);
    const grant = async (token: string) =>
      (await tokenPost({ grant_type: 'refresh_token', refresh_token: token, scope: 'repository:old/app:pull' }, old.url)).status;
    // The old table kept no PAT, so a moved token may have lost a read-only PAT's scopes: revoked.
    assert.equal(await grant(live), 401, 'a moved token is revoked: it cannot be trusted');
    assert.equal(await grant(revoked), 401, 'a revoked one stays revoked');
    const bearer = { authorization: `Bearer ${await accountToken(old.url, 'old', 'old-password-1')}` };
    const list = (await (await fetch(`${old.url}/api/v1/registry/refresh-tokens`, { headers: bearer })).json()) as {
      refresh_tokens: Array<{ id: number; client_id: string }>;
    };
    assert.deepEqual(list.refresh_tokens, [], 'nothing live is listed');

    const after = new Database(join(dataDir, 'bosun-server.db'), { readonly: true });
    try {
      assert.equal(after.pragma('user_version', { simple: true }), MIGRATIONS.length);
      assert.equal(after.prepare("SELECT name FROM sqlite_master WHERE name = 'registry_refresh_tokens'").get(), undefined, 'the old table is gone');
      assert.deepEqual(
        after.prepare('SELECT kind, client_id AS clientId, org_id AS orgId, revoked_at IS NOT NULL AS revoked FROM sessions ORDER BY id').all(),
        [
          { kind: 'docker-login', clientId: 'docker', orgId: null, revoked: 1 },
          { kind: 'docker-login', clientId: 'docker', orgId: null, revoked: 1 },
        ],
      );
    } finally {
      after.close();
    }
    assert.ok(existsSync(join(dataDir, 'bosun-server.db.schema-2.bak')), 'the schema-2 data was backed up before the migration');
  } finally {
    await old.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
