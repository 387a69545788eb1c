// Docker Hub mode (docs/app.md): sign in with a personal access token, membership from /v2/user/orgs/,
// and the PAT handed to docker for https://index.docker.io/v1/. Hub itself cannot be reached from
// this machine, so this runs against Bosun's own Hub-compatible API (the same client and the same
// field names), as the README says.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { SettingsAccount } from '../../../src/agent/account/settingsAccount.js';
import { currentPathContext, logsDir } from '../../../src/agent/paths.js';
import { wireAgent } from '../../../src/agent/wireAgent.js';
import { createLogger } from '../../../src/common/log.js';
import { openAdminSettingsFeed, openPolicyFeed } from '../../../src/platform/workstationPolicy/policyFeed.js';
import { writeAdminFile } from '../../helpers/agentStack.js';
import { accountToken, startBosunServer, type BosunServerHandle } from '../../helpers/bosunServer.js';
import { MemoryDockerConfig, MemoryIdentity } from '../../helpers/memoryPorts.js';
import { makeSandbox } from '../../helpers/sandbox.js';

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

/** An agent wired as the product wires it, over a policy enforcing mycompany and settings in Hub mode. */
async function agent() {
  const sandbox = makeSandbox('bosun-hub-mode-');
  // The policy root stands in for "/": admin-only, like the real one.
  for (const d of [sandbox.dir, sandbox.policyRoot]) chmodSync(d, 0o755);
  writeAdminFile(join(sandbox.policyRoot, 'usr/share/docker-desktop/registry/registry.json'), JSON.stringify({ allowedOrgs: ['mycompany'] }) + '\n');
  writeAdminFile(join(sandbox.policyRoot, 'etc/bosun/settings.json'), JSON.stringify({ server: server.url, hubMode: true }) + '\n');
  const settings = await openAdminSettingsFeed({ env: sandbox.env });
  const account = new SettingsAccount({
    settings: () => settings.current().settings,
    missingSettings: () => 'no settings',
    deviceId: '00000000-0000-4000-8000-000000000000',
    deviceName: 'test',
  });
  const identity = new MemoryIdentity();
  const dockerConfig = new MemoryDockerConfig();
  const logger = createLogger({ dir: logsDir({ ...currentPathContext(), env: sandbox.env }) });
  const wired = wireAgent({ policy: await openPolicyFeed({ env: sandbox.env }), settings, identity, dockerConfig, account, logger });
  return {
    core: wired.core,
    identity,
    dockerConfig,
    start: () => wired.start(),
    async dispose() {
      await wired.dispose();
      await logger.close();
      sandbox.cleanup();
    },
  };
}

test('Hub mode: a PAT signs in, the helper serves index.docker.io with the PAT, and only Hub is configured', async () => {
  const pat = await createPat();
  const a = await agent();
  const { core, identity, dockerConfig } = a;
  await a.start();
  try {
    const outcome = await core.login('alice', pat.secret);
    assert.deepEqual(outcome, { kind: 'signed-in', session: { server: server.url, user: 'alice', org: 'mycompany' } });
    assert.equal(identity.stored?.kind, 'pat');
    await core.idle();
    assert.deepEqual(dockerConfig.registries, ['index.docker.io']);
    assert.deepEqual(core.credentialsFor('https://index.docker.io/v1/'), { username: 'alice', secret: pat.secret });
    assert.throws(() => core.credentialsFor('127.0.0.1:5000'), /not a registry Bosun manages/);
  } finally {
    await a.dispose();
  }
});

test('Hub mode: browser sign-in is refused with a message that says to use a token', async () => {
  const a = await agent();
  const { core } = a;
  await a.start();
  try {
    const r = await core.loginWithBrowser(() => {});
    assert.equal(r.kind, 'failed');
    assert.match((r as { message: string }).message, /personal access token/);
  } finally {
    await a.dispose();
  }
});

test('Hub mode: removal from the org signs out at the next check and erases the PAT', async () => {
  const pat = await createPat();
  const a = await agent();
  const { core, identity } = a;
  await a.start();
  try {
    assert.equal((await core.login('alice', pat.secret)).kind, 'signed-in');
    const applied = await server.apply(seed([]), ['--prune']);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    await core.checkNow();
    assert.equal(core.state.state.name, 'signed-out');
    assert.match((core.state.state as { reason?: string }).reason ?? '', /no longer a member of mycompany/);
    assert.equal(identity.stored, undefined);
  } finally {
    await a.dispose();
    await server.apply(seed(['alice']));
  }
});
