// Docker Hub mode (docs/app.md): sign in with a personal access token, membership from /v2/user/orgs/,
// and the PAT handed to docker for https://index.docker.io/v1/. Hub itself cannot be reached from
// this machine, so this runs against Bosun's own Hub-compatible API (the same client and the same
// field names), as the README says.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentCore } from '../../../src/agent/core.js';
import { SettingsAccount } from '../../../src/agent/account/settingsAccount.js';
import { SETTINGS_DEFAULTS } from '../../../src/core/workstationPolicy/adminSettingsRules.js';
import { accountToken, startBosunServer, type BosunServerHandle } from '../../helpers/bosunServer.js';
import { MemoryDockerConfig, MemoryIdentity, MemoryPolicy } from '../../helpers/memoryPorts.js';

const PASSWORD = 'hub-mode-password-1';
let server: BosunServerHandle;

const seed = (members: string[]) => ({
  users: [{ name: 'alice', password: PASSWORD }],
  orgs: [{ name: 'mycompany', members: members.map((user) => ({ user, role: 'member' })) }],
});

before(async () => {
  server = await startBosunServer({ seed: seed(['alice']) });
});
after(async () => {
  await server?.stop();
});

async function createPat(): Promise<{ id: number; secret: string }> {
  const access_token = await accountToken(server.url, 'alice', PASSWORD);
  const res = await fetch(`${server.url}/api/v1/users/alice/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
    body: JSON.stringify({ label: 'hub mode test', scopes: ['read'] }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const body = (await res.json()) as { id: number; token: string };
  assert.match(body.token, /^bosun_pat_/);
  return { id: body.id, secret: body.token };
}

function agent() {
  const account = new SettingsAccount({
    settings: () => ({ server: server.url, hubMode: true, ...SETTINGS_DEFAULTS }),
    missingSettings: () => 'no settings',
    deviceId: '00000000-0000-4000-8000-000000000000',
    deviceName: 'test',
  });
  const identity = new MemoryIdentity();
  const dockerConfig = new MemoryDockerConfig();
  const core = new AgentCore({ policy: new MemoryPolicy({ state: 'enforced', allowedOrgs: ['mycompany'], errors: [], insecure: false }), identity, dockerConfig, account });
  return { core, identity, dockerConfig };
}

test('Hub mode: a PAT signs in, the helper serves index.docker.io with the PAT, and only Hub is configured', async () => {
  const pat = await createPat();
  const { core, identity, dockerConfig } = agent();
  await core.start();
  try {
    const outcome = await core.login('alice', pat.secret);
    assert.deepEqual(outcome, { kind: 'signed-in', session: { server: server.url, user: 'alice', org: 'mycompany' } });
    assert.equal(identity.stored?.kind, 'pat');
    await core.idle();
    assert.deepEqual(dockerConfig.registries, ['index.docker.io']);
    assert.deepEqual(core.credentialsFor('https://index.docker.io/v1/'), { username: 'alice', secret: pat.secret });
    assert.throws(() => core.credentialsFor('127.0.0.1:5000'), /not a registry Bosun manages/);
  } finally {
    await core.dispose();
  }
});

test('Hub mode: browser sign-in is refused with a message that says to use a token', async () => {
  const { core } = agent();
  await core.start();
  try {
    const r = await core.loginWithBrowser(() => {});
    assert.equal(r.kind, 'failed');
    assert.match((r as { message: string }).message, /personal access token/);
  } finally {
    await core.dispose();
  }
});

test('Hub mode: removal from the org signs out at the next check and erases the PAT', async () => {
  const pat = await createPat();
  const { core, identity } = agent();
  await core.start();
  try {
    assert.equal((await core.login('alice', pat.secret)).kind, 'signed-in');
    const applied = await server.apply(seed([]), ['--prune']);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    await core.checkNow();
    assert.equal(core.state.state.name, 'signed-out');
    assert.match((core.state.state as { reason?: string }).reason ?? '', /no longer a member of mycompany/);
    assert.equal(identity.stored, undefined);
  } finally {
    await core.dispose();
    await server.apply(seed(['alice']));
  }
});
