// applyDirectory against a real store: prune, the owners team as the owner role, name collisions,
// self-lockout, dry runs that roll back, and every problem reported at once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src/server/store/store.js';
import { applyDirectory, formatChange } from '../../../src/server/apply/applyDirectory.js';
import { DirectoryFileError } from '../../../src/server/apply/directoryFile.js';
import type { User } from '../../../src/server/store/users.js';

let dir: string;
let store: Store;
let admin: User;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'bosun-apply-'));
  store = Store.open(dir);
  admin = store.users.create({ name: 'root', passwordHash: null, role: 'superuser' });
});
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const apply = (file: unknown, opts: { dryRun?: boolean; prune?: boolean } = {}) => applyDirectory(store, file, { actor: admin, ...opts });
const lines = async (file: unknown, opts: { dryRun?: boolean; prune?: boolean } = {}) => (await apply(file, opts)).changes.map(formatChange);

test('the owners team and role: owner are one fact', async () => {
  await apply({
    users: [{ name: 'ann' }, { name: 'ben' }],
    orgs: [{ name: 'acme', members: [{ user: 'ann', role: 'owner' }], teams: [{ name: 'owners', members: ['ben'] }] }],
  });
  const org = store.orgs.byName('acme');
  assert.ok(org);
  assert.deepEqual(
    store.orgs.members(org.id).map((m) => [m.user, m.role]),
    [
      ['ann', 'owner'],
      ['ben', 'owner'],
    ],
  );
  await assert.rejects(
    apply({ orgs: [{ name: 'acme', members: [{ user: 'ben', role: 'member' }], teams: [{ name: 'owners', members: ['ben'] }] }] }),
    (err: unknown) =>
      err instanceof DirectoryFileError && err.issues.some((i) => i.path === '/orgs/0/teams/0/members/0' && /owners team but listed as member/.test(i.message)),
  );
});

test('prune removes what the file leaves out, but never the account applying it', async () => {
  await apply({
    repositories: [{ name: 'acme/a' }, { name: 'acme/b', visibility: 'public' }],
    orgs: [{ name: 'acme', teams: [{ name: 'dev', members: ['ann'], grants: [{ namespace: 'acme', level: 'read-write' }] }] }],
  });
  assert.equal(store.repositories.byName('acme/a')?.visibility, 'private', 'new repositories are private by default');
  assert.equal(store.orgs.roleOf(store.orgs.byName('acme')?.id ?? 0, store.users.byName('ann')?.id ?? 0), 'owner', 'joining a team does not demote an owner');
  const planned = await lines(
    {
      users: [{ name: 'ann' }],
      orgs: [{ name: 'acme', members: [{ user: 'ann', role: 'owner' }], teams: [{ name: 'dev', members: [], grants: [] }] }],
      repositories: [{ name: 'acme/a' }],
    },
    { prune: true, dryRun: true },
  );
  // ben's membership goes with his account (users are pruned first).
  assert.deepEqual(planned.sort(), ['- grant team acme/dev on namespace acme', '- repository acme/b', '- team-member acme/dev/ann', '- user ben']);
  assert.ok(store.users.byName('ben'), 'a dry run changes nothing');
  assert.ok(store.repositories.byName('acme/b'));
  const done = await lines(
    {
      users: [{ name: 'ann' }],
      orgs: [{ name: 'acme', members: [{ user: 'ann', role: 'owner' }], teams: [{ name: 'dev', members: [], grants: [] }] }],
      repositories: [{ name: 'acme/a' }],
    },
    { prune: true },
  );
  assert.deepEqual(done.sort(), planned.sort());
  assert.equal(store.users.byName('ben'), undefined);
  assert.ok(store.users.byName('root'), 'the applying admin survives prune');
  assert.deepEqual(await lines({ users: [{ name: 'ann' }] }, { prune: true }), [], 'prune only touches the sections the file has');
});

test('every problem is reported at once, with its path', async () => {
  await assert.rejects(
    apply({
      users: [{ name: 'acme' }, { name: 'root', disabled: true }, { name: 'zed' }, { name: 'zed' }],
      orgs: [{ name: 'root' }, { name: 'neworg', teams: [{ name: 't', members: ['ghost'], grants: [{ namespace: 'neworg', level: 'godlike' }] }] }],
    }),
    (err: unknown) => {
      assert.ok(err instanceof DirectoryFileError);
      const paths = err.issues.map((i) => i.path).sort();
      assert.deepEqual(paths, [
        '/orgs/0/name',
        '/orgs/1/teams/0/grants/0/level',
        '/orgs/1/teams/0/members/0',
        '/users/0/name',
        '/users/1/disabled',
        '/users/1/name',
        '/users/3/name',
      ]);
      return true;
    },
  );
  assert.equal(store.orgs.byName('neworg'), undefined);
});

test('settings and registries: changes are printed old → new, then nothing', async () => {
  const first = await lines({ settings: { userNamespaces: true, tokenLifetimeSeconds: 600 }, registries: [{ host: 'reg.example:5000', service: 'reg' }] });
  assert.deepEqual(first, ['~ setting userNamespaces: false → true', '~ setting tokenLifetimeSeconds: 300 → 600', '+ registry reg.example:5000: service reg']);
  assert.deepEqual(
    await lines({ settings: { userNamespaces: true, tokenLifetimeSeconds: 600 }, registries: [{ host: 'reg.example:5000', service: 'reg' }] }),
    [],
  );
  assert.equal(store.settings.serviceOf('REG.example:5000'), 'reg');
});
