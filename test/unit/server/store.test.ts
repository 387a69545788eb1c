// The store against a real SQLite file: the owners team is the owner role, facts for decideAccess,
// PATs (keyed-hash lookup, scopes, expiry, revocation), refresh-token sessions, audit, migrations.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src/server/store/store.js';
import { buildAccessFacts } from '../../../src/server/accessFactsBuilder.js';
import { decideAccess } from '../../../src/core/access/repositoryAccess.js';
import { Authenticator } from '../../../src/server/auth/authenticator.js';
import { AccountTokens } from '../../../src/server/auth/accountTokens.js';
import { SignInLimiter } from '../../../src/server/auth/signInLimiter.js';
import { hashPassword } from '../../../src/server/store/secrets.js';
import type { User } from '../../../src/server/store/users.js';

let dir: string;
let store: Store;
let auth: Authenticator;
let alice: User;
let bob: User;
let orgId: number;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bosun-store-'));
  store = Store.open(dir);
  auth = new Authenticator(
    store,
    new SignInLimiter(),
    new AccountTokens(
      store.keys.accessTokenSigning,
      () => 300,
      (name) => {
        const u = store.users.byName(name);
        return u && { id: u.id, createdAt: u.createdAt, epoch: store.users.tokenEpoch(u.id) };
      },
    ),
  );
  const hash = await hashPassword('pw-for-everyone');
  alice = store.users.create({ name: 'alice', passwordHash: hash });
  bob = store.users.create({ name: 'Bob', passwordHash: hash });
  orgId = store.orgs.create('acme').id;
  store.orgs.setRole(orgId, alice.id, 'owner');
  store.orgs.setRole(orgId, bob.id, 'member');
  store.repositories.create('acme/api', 'private');
  store.repositories.create('library/alpine', 'public');
});
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the data dir holds a WAL database and a private key file; reopening migrates nothing twice', () => {
  assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(statSync(join(dir, 'server.key')).mode & 0o077, 0);
  assert.equal(readFileSync(join(dir, 'server.key')).length, 64);
  const again = Store.open(dir);
  assert.equal(again.users.count(), store.users.count());
  again.close();
});

test('names are stored lowercase and looked up case-insensitively', () => {
  assert.equal(bob.name, 'bob');
  assert.equal(store.users.byName('BOB')?.id, bob.id);
});

test('the owners team IS the owner role', () => {
  const owners = store.orgs.ownersTeam(orgId);
  assert.deepEqual(
    store.orgs.teamMembers(owners.id).map((m) => m.user),
    ['alice'],
  );
  // Adding someone to the owners team makes them an owner …
  store.orgs.addTeamMember(owners, bob.id);
  assert.equal(store.orgs.roleOf(orgId, bob.id), 'owner');
  // … and demoting them takes them out of the team.
  store.orgs.setRole(orgId, bob.id, 'editor');
  assert.equal(store.orgs.roleOf(orgId, bob.id), 'editor');
  assert.deepEqual(
    store.orgs.teamMembers(owners.id).map((m) => m.user),
    ['alice'],
  );
  store.orgs.setRole(orgId, bob.id, 'member');
  assert.equal(store.orgs.deleteTeam(owners.id), false, 'the owners team cannot be deleted');
});

test('facts feed decideAccess: team grants, namespace grants, the highest wins, removal counts at once', () => {
  const team = store.orgs.createTeam(orgId, 'backend');
  store.orgs.addTeamMember(team, bob.id);
  const caller = { kind: 'user' as const, user: bob };
  let facts = buildAccessFacts(store, caller, { kind: 'password' }, 'acme/api');
  assert.equal(facts.grantLevel, 'none');
  assert.deepEqual(facts.namespace, { kind: 'org', name: 'acme' });
  assert.deepEqual(facts.repo, { visibility: 'private' });
  assert.deepEqual(decideAccess(facts, ['pull']).granted, []);

  store.grants.set({ team: team.id }, { kind: 'namespace', name: 'acme' }, 'read');
  store.grants.set({ user: bob.id }, { kind: 'repository', name: 'acme/api' }, 'write');
  facts = buildAccessFacts(store, caller, { kind: 'password' }, 'acme/api');
  assert.equal(facts.grantLevel, 'write');
  assert.deepEqual(decideAccess(facts, ['pull', 'push']).granted, ['pull', 'push']);

  store.grants.remove({ user: bob.id }, { kind: 'repository', name: 'acme/api' });
  facts = buildAccessFacts(store, caller, { kind: 'password' }, 'acme/api');
  assert.equal(facts.grantLevel, 'read');
  const d = decideAccess(facts, ['pull', 'push']);
  assert.deepEqual(d.granted, ['pull']);
  assert.equal(d.rule, 'deny.needs-write');
});

test('facts carry IAM of every membership; anonymous facts have none', () => {
  store.orgs.setImageAccess(orgId, { enabled: true, allowOfficial: false, allowVerifiedPublishers: false, allowlist: [] });
  const facts = buildAccessFacts(store, { kind: 'user', user: bob }, { kind: 'refresh', orgSession: 'acme' }, 'library/alpine');
  assert.deepEqual(facts.memberships, [
    { org: 'acme', role: 'member', imageAccess: { enabled: true, allowOfficial: false, allowVerifiedPublishers: false, allowlist: [] } },
  ]);
  assert.equal(decideAccess(facts, ['pull']).granted.length, 0);
  const ownerFacts = buildAccessFacts(store, { kind: 'user', user: alice }, { kind: 'refresh', orgSession: 'acme' }, 'library/alpine');
  assert.deepEqual(decideAccess(ownerFacts, ['pull']).granted, ['pull'], 'owners bypass IAM');
  const anon = buildAccessFacts(store, { kind: 'anonymous' }, { kind: 'password' }, 'library/alpine');
  assert.deepEqual(anon.credential, { kind: 'none' });
  assert.deepEqual(anon.memberships, []);
  store.orgs.setImageAccess(orgId, { enabled: false, allowOfficial: true, allowVerifiedPublishers: true, allowlist: [] });
});

test('PATs: found by keyed hash, scoped, bound to their user, revocable, expiring', async () => {
  const { token, secret } = store.pats.create(bob.id, 'ci', ['read']);
  assert.match(secret, /^bosun_pat_[A-Za-z0-9_-]{43}$/);
  for (const f of ['bosun-server.db', 'bosun-server.db-wal']) {
    if (existsSync(join(dir, f))) assert.ok(!readFileSync(join(dir, f)).includes(Buffer.from(secret)), `the secret is not in ${f}`);
  }
  const ok = await auth.signIn('bob', secret, '127.0.0.9', 'test');
  assert.ok(ok.ok);
  assert.deepEqual(ok.ok && ok.credential, { kind: 'pat', scopes: ['read'] });
  const facts = buildAccessFacts(store, { kind: 'user', user: bob }, ok.ok ? ok.credential : { kind: 'none' }, 'acme/api');
  store.grants.set({ user: bob.id }, { kind: 'repository', name: 'acme/api' }, 'write');
  assert.equal(decideAccess(buildAccessFacts(store, { kind: 'user', user: bob }, facts.credential, 'acme/api'), ['push']).rule, 'deny.token-scope');
  store.grants.remove({ user: bob.id }, { kind: 'repository', name: 'acme/api' });

  assert.equal((await auth.signIn('alice', secret, '127.0.0.9', 'test')).ok, false, "another user's name");
  store.pats.revoke(token.id);
  assert.equal((await auth.signIn('bob', secret, '127.0.0.9', 'test')).ok, false, 'revoked');
  const expired = store.pats.create(bob.id, 'old', ['read'], new Date(Date.now() - 1000));
  assert.equal((await auth.signIn('bob', expired.secret, '127.0.0.9', 'test')).ok, false, 'expired');
});

test('refresh tokens: bound to user, org and device; verified; never rotated; revoked; listed', () => {
  const { session, refreshToken } = store.sessions.issue({ userId: bob.id, orgId, deviceId: 'dev-1', deviceName: 'laptop' });
  assert.match(refreshToken, /^bosun_rt_/);
  const found = auth.refresh(refreshToken);
  assert.equal(found?.session.id, session.id);
  assert.deepEqual(found?.credential, { kind: 'refresh', orgSession: 'acme' });
  assert.equal(auth.refresh(refreshToken)?.session.id, session.id, 'the same token keeps working');
  assert.deepEqual(
    store.sessions.list({ userId: bob.id }).map((s) => [s.org, s.deviceId]),
    [['acme', 'dev-1']],
  );
  store.sessions.revoke(session.id);
  assert.equal(auth.refresh(refreshToken), undefined);
  assert.deepEqual(store.sessions.list({ userId: bob.id }), []);
  assert.equal(store.sessions.list({ userId: bob.id, includeRevoked: true }).length, 1);

  const pat = store.pats.create(bob.id, 'agent', ['read']);
  const fromPat = store.sessions.issue({ userId: bob.id, orgId, deviceId: 'dev-2', deviceName: 'ci', patId: pat.token.id });
  assert.deepEqual(
    auth.refresh(fromPat.refreshToken)?.credential,
    { kind: 'refresh', orgSession: 'acme', scopes: ['read'] },
    'a PAT session keeps its org session and the cap',
  );
  store.pats.revoke(pat.token.id);
  assert.equal(auth.refresh(fromPat.refreshToken), undefined, 'and dies with the PAT');
});

test('sign-ins and their refusals are audited with who and from where', async () => {
  await auth.signIn('alice', 'pw-for-everyone', '10.1.2.3', 'test');
  await auth.signIn('alice', 'wrong', '10.1.2.3', 'test');
  const [refused, ok] = store.audit.list({ actor: 'alice', action: 'sign-in', limit: 2 });
  assert.equal(refused?.outcome, 'denied');
  assert.equal(refused?.ip, '10.1.2.3');
  assert.equal(ok?.outcome, 'ok');
  assert.match(ok?.detail ?? '', /password/);
});

test('a session without an org (token service, docker login) decides with every org; a v1 store migrates', () => {
  const { refreshToken } = store.sessions.issue({ userId: bob.id, orgId: null, deviceId: 'docker', deviceName: 'docker login' });
  const found = auth.refresh(refreshToken);
  assert.equal(found?.session.org, null);
  assert.deepEqual(found?.credential, { kind: 'refresh' });
  assert.equal(store.db.pragma('user_version', { simple: true }), 3);
});

test('migration 2 keeps the sessions a version-1 store holds', async () => {
  const { default: Database } = await import('better-sqlite3');
  const { MIGRATIONS } = await import('../../../src/server/store/migrations.js');
  const old = mkdtempSync(join(tmpdir(), 'bosun-store-v1-'));
  try {
    const db = new Database(join(old, 'bosun-server.db'));
    db.exec(MIGRATIONS[0] as string);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO users (id, name, created_at) VALUES (1, 'ann', 'x')").run();
    db.prepare("INSERT INTO orgs (id, name, created_at) VALUES (1, 'acme', 'x')").run();
    db.prepare("INSERT INTO sessions (user_id, org_id, device_id, device_name, token_hash, created_at) VALUES (1, 1, 'd', 'n', 'h', 'x')").run();
    db.close();
    const migrated = Store.open(old);
    assert.deepEqual(
      migrated.sessions.list().map((s) => [s.user, s.org, s.deviceId]),
      [['ann', 'acme', 'd']],
    );
    migrated.close();
    // The version-1 data was copied aside before the migration.
    const backup = new Database(join(old, 'bosun-server.db.schema-1.bak'), { readonly: true });
    assert.equal(backup.pragma('user_version', { simple: true }), 1);
    assert.equal((backup.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n, 1);
    backup.close();
  } finally {
    rmSync(old, { recursive: true, force: true });
  }
});
