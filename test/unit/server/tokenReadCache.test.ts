// The token service's directory read cache must never answer with stale data: every change to the
// directory counts on the very next refresh-token grant, whether this server process made it, a
// second connection in the same process made it, or another process wrote the SQLite file. Each
// scenario first makes two grants (the second one is answered from the cache), then changes the
// directory and expects the next grant to reflect it. Every decision is still audited.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import { buildServer } from '../../../src/server/app.js';
import { localWriteCount } from '../../../src/server/store/database.js';
import { DirectoryReadCache } from '../../../src/server/store/readCache.js';
import { Store } from '../../../src/server/store/store.js';
import { TOKEN_AUDIT_ACTION } from '../../../src/server/token/serverRoutes.js';
import { packageRoot } from '../../../src/common/packageRoot.js';

const SERVICE = 'registry.test';
const IAM_ON = { enabled: true, allowOfficial: true, allowVerifiedPublishers: false, allowlist: [] };
const IAM_OFF = { ...IAM_ON, enabled: false };

/** A real server (in process, app.inject) on a temp data dir: org mycompany, team dev with read on the namespace, user alice with an agent session. */
async function start(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-token-cache-'));
  const logger = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
  const server = await buildServer({ dataDir: dir, logger });
  const { store } = server.ctx;
  store.settings.upsertRegistry({ host: '127.0.0.1:5000', service: SERVICE });
  const org = store.orgs.create('mycompany');
  store.orgs.setImageAccess(org.id, IAM_OFF);
  const team = store.orgs.createTeam(org.id, 'dev');
  store.grants.set({ team: team.id }, { kind: 'namespace', name: 'mycompany' }, 'read');
  store.repositories.create('mycompany/api', 'private');
  store.repositories.create('community/tool', 'public');
  const alice = store.users.create({ name: 'alice', passwordHash: null });
  store.orgs.addTeamMember(team, alice.id);
  const { session, refreshToken } = store.sessions.issue({ userId: alice.id, orgId: org.id, deviceId: 'laptop', deviceName: 'laptop' });
  // A second connection to the same database file, as another process would have.
  let other: Store | undefined;
  t.after(async () => {
    other?.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const grant = async (repository = 'mycompany/api', token = refreshToken) => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/token',
      payload: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: token,
        service: SERVICE,
        client_id: 'test',
        scope: `repository:${repository}:pull`,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };
  /** Two grants: the second one is answered from the cache. */
  const grantTwice = async (repository?: string) => {
    for (let i = 0; i < 2; i++) assert.equal((await grant(repository)).status, 200, `grant ${i + 1} of ${repository ?? 'mycompany/api'} before the change`);
  };
  return {
    dir,
    server,
    store,
    ids: { org: org.id, team: team.id, alice: alice.id, session: session.id },
    refreshToken,
    grant,
    grantTwice,
    otherConnection: () => (other ??= Store.open(dir)),
  };
}

type Started = Awaited<ReturnType<typeof start>>;

/** A change, made through `store` (the server's own connection or a second one), and how the next grant must answer. */
const CHANGES: { name: string; repository?: string; change(store: Store, s: Started): void; expect: number; message?: RegExp }[] = [
  { name: 'the refresh token is revoked', change: (store, s) => store.sessions.revoke(s.ids.session), expect: 401 },
  { name: 'the user is disabled', change: (store, s) => store.users.setDisabled(s.ids.alice, true), expect: 403, message: /disabled/ },
  { name: 'the user is removed from the org', change: (store, s) => store.orgs.removeMember(s.ids.org, s.ids.alice), expect: 403 },
  { name: 'the team loses its grant', change: (store, s) => store.grants.remove({ team: s.ids.team }, { kind: 'namespace', name: 'mycompany' }), expect: 403 },
  { name: 'the user leaves the team', change: (store, s) => store.orgs.removeTeamMember(s.ids.team, s.ids.alice), expect: 403 },
  {
    name: "Image Access Management is turned on in the session's org",
    repository: 'community/tool',
    change: (store, s) => store.orgs.setImageAccess(s.ids.org, IAM_ON),
    expect: 403,
    message: /Community image/,
  },
  { name: 'the registry is removed from the applied file', change: (store) => store.settings.deleteRegistry('127.0.0.1:5000'), expect: 400 },
];

for (const writer of ['this server process', 'a second connection'] as const) {
  for (const c of CHANGES) {
    test(`token cache: ${c.name} (by ${writer}) counts on the next grant`, async (t) => {
      const s = await start(t);
      await s.grantTwice(c.repository);
      c.change(writer === 'this server process' ? s.store : s.otherConnection(), s);
      const next = await s.grant(c.repository);
      assert.equal(next.status, c.expect, JSON.stringify(next.body));
      if (c.message) assert.match(JSON.stringify(next.body), c.message);
      assert.equal(next.body.token, undefined, 'no token after the change');
    });
  }
}

for (const writer of ['this server process', 'a second connection'] as const) {
  test(`token cache: anonymous pulls see an org's IAM and the anonymous-pull settings change (by ${writer}) on the next grant`, async (t) => {
    const s = await start(t);
    s.store.settings.update({ anonymousPull: true });
    const anonymous = async () =>
      (await s.server.app.inject({ method: 'GET', url: `/token?service=${SERVICE}&scope=repository:community/tool:pull` })).statusCode;
    const writes = () => (writer === 'this server process' ? s.store : s.otherConnection());
    for (let i = 0; i < 2; i++) assert.equal(await anonymous(), 200, 'no org has IAM on');
    writes().orgs.setImageAccess(s.ids.org, IAM_ON);
    for (let i = 0; i < 2; i++) assert.equal(await anonymous(), 403, "mycompany's IAM refuses community images, signed in or not");
    writes().settings.update({ anonymousPullImageAccess: 'ignore' });
    for (let i = 0; i < 2; i++) assert.equal(await anonymous(), 200, 'relaxed');
    writes().settings.update({ anonymousPullImageAccess: 'strictest' });
    assert.equal(await anonymous(), 403, 'strict again');
    writes().orgs.delete(s.ids.org);
    assert.equal(await anonymous(), 200, 'the org with IAM is gone');
  });
}

test('token cache: a change written by another process (plain SQLite on the same file) counts on the next grant', async (t) => {
  const s = await start(t);
  await s.grantTwice();
  const script = `const db = new (require('better-sqlite3'))(process.argv[1]); db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ?').run(new Date().toISOString(), Number(process.argv[2])); db.close();`;
  const child = spawnSync(process.execPath, ['-e', script, join(s.dir, 'bosun-server.db'), String(s.ids.session)], { cwd: packageRoot(), encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  assert.equal((await s.grant()).status, 401);
});

test('token cache: changes that grant more count too (re-enabled user, new grant, IAM off)', async (t) => {
  const s = await start(t);
  s.store.orgs.setImageAccess(s.ids.org, IAM_ON);
  for (let i = 0; i < 2; i++) assert.equal((await s.grant('community/tool')).status, 403);
  s.otherConnection().orgs.setImageAccess(s.ids.org, IAM_OFF);
  assert.equal((await s.grant('community/tool')).status, 200);
  s.store.users.setDisabled(s.ids.alice, true);
  for (let i = 0; i < 2; i++) assert.equal((await s.grant()).status, 403);
  s.otherConnection().users.setDisabled(s.ids.alice, false);
  assert.equal((await s.grant()).status, 200);
});

test('token cache: a session made from a PAT stops at the PAT expiry without any write', async (t) => {
  const s = await start(t);
  // 3 s leaves a loaded machine time for the two grants before the expiry; then wait past it.
  const expiresAt = Date.now() + 3000;
  const { token: pat } = s.store.pats.create(s.ids.alice, 'short', ['read'], new Date(expiresAt));
  const { refreshToken } = s.store.sessions.issue({ userId: s.ids.alice, orgId: s.ids.org, deviceId: 'pat-device', deviceName: 'pat', patId: pat.id });
  for (let i = 0; i < 2; i++) assert.equal((await s.grant('mycompany/api', refreshToken)).status, 200);
  await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 100));
  assert.equal((await s.grant('mycompany/api', refreshToken)).status, 401);
});

test('token cache: grants and last-use bookkeeping make no write that empties the cache; the last use is still recorded', async (t) => {
  const s = await start(t);
  await s.grantTwice();
  const usedAt = s.store.sessions.byId(s.ids.session)?.lastUsedAt;
  assert.ok(usedAt, "the first grant records the session's last use");
  const writes = localWriteCount(s.store.db);
  for (let i = 0; i < 5; i++) assert.equal((await s.grant()).status, 200);
  await new Promise((r) => setTimeout(r, 5)); // a later millisecond, so the new last use differs
  s.store.sessions.markUsed(s.ids.session); // what the agent's periodic session check does
  await new Promise((r) => setImmediate(r)); // the audit batch
  assert.equal(localWriteCount(s.store.db), writes, 'audit inserts and last-use times do not count as changes');
  assert.equal(s.store.sessions.byId(s.ids.session)?.lastUsedAt === usedAt, false, 'markUsed did write');
  // …and a real change right after still counts.
  s.store.sessions.revoke(s.ids.session);
  assert.equal((await s.grant()).status, 401);
});

test('token cache: every decision is still audited, cached or not', async (t) => {
  const s = await start(t);
  const before = s.store.audit.list({ action: TOKEN_AUDIT_ACTION, limit: 1000 }).length;
  for (let i = 0; i < 5; i++) await s.grant();
  await s.grant('community/tool');
  await new Promise((r) => setImmediate(r)); // the audit batch is written on the next turn of the event loop
  const records = s.store.audit.list({ action: TOKEN_AUDIT_ACTION, limit: 1000 });
  assert.equal(records.length - before, 6);
  assert.deepEqual(
    records.slice(0, 6).map((r) => [r.actor, r.target, r.outcome]),
    [['alice', 'repository:community/tool:pull', 'ok'], ...Array.from({ length: 5 }, () => ['alice', 'repository:mycompany/api:pull', 'ok'])],
  );
});

test("DirectoryReadCache: hits skip the load; own writes and (at the request's check) other connections' commits drop it; audit inserts and undefined do not stay", (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-read-cache-'));
  const store = Store.open(dir);
  const other = Store.open(dir);
  t.after(() => {
    other.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const cache = new DirectoryReadCache(store.db);
  let loads = 0;
  // As the token service does: one check for other connections' commits when a request starts.
  const read = () => {
    cache.checkForChanges();
    return cache.read('users', () => (loads++, store.users.count()));
  };
  assert.equal(read(), 0);
  assert.equal(read(), 0);
  assert.equal(loads, 1, 'the second read is a hit');
  store.audit.write({ action: 'test.event' });
  read();
  assert.equal(loads, 1, 'an audit insert does not drop the cache');
  store.users.create({ name: 'bob', passwordHash: null });
  assert.equal(
    cache.read('users', () => (loads++, store.users.count())),
    1,
    'a write on this connection counts even within a request',
  );
  assert.equal(loads, 2, 'a write on this connection drops it');
  other.users.create({ name: 'carol', passwordHash: null });
  assert.equal(read(), 2);
  assert.equal(loads, 3, 'a commit by another connection drops it');
  other.transaction(() => {
    other.users.create({ name: 'dave', passwordHash: null });
    assert.equal(read(), 2, 'an uncommitted write elsewhere is not visible');
  });
  assert.equal(read(), 3, 'and counts once committed');
  let misses = 0;
  cache.read('nobody', () => (misses++, undefined));
  cache.read('nobody', () => (misses++, undefined));
  assert.equal(misses, 2, 'undefined is not cached');
});
