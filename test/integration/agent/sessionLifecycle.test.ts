// The agent's session lifecycle against real parts (test/helpers/realAgent.ts): a real `bosun server`,
// a real Secret Service (gnome-keyring) holding the keychain entries, the real AgentCore as
// wireAgent() wires it, with its policy and settings feeds, Docker config manager and BosunAccount,
// and the agent's side of the credential helper (createHelperHandler, which docker-credential-bosun
// asks over the agent socket).
// Needs `npm run build` first (the server is the built bin).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BosunAccount } from '../../../src/agent/account/bosunAccount.js';
import type { AgentCore, LoginOutcome } from '../../../src/agent/core.js';
import { createHelperHandler } from '../../../src/agent/helperHandler.js';
import type { StoredIdentity } from '../../../src/agent/ports.js';
import { SocketMethodError } from '../../../src/agent/socket/protocol.js';
import { agentWorldPerFile, USERS, type RealAgent } from '../../helpers/realAgent.js';

const { skip, world } = agentWorldPerFile('the agent session lifecycle tests');
const REGISTRY = '127.0.0.1:5000';

/** What the server says about a refresh token right now: 401 once it is revoked. */
async function serverStatusOf(secret: string): Promise<number> {
  const res = await fetch(`${world().server.url}/api/v1/agent/sessions/current`, { headers: { authorization: `Bearer ${secret}` } });
  await res.body?.cancel();
  return res.status;
}

/** The credential the agent's helper side hands to docker for the registry, or the refusal. */
function helperGet(core: AgentCore): { secret: string } | { refused: string } {
  try {
    const c = createHelperHandler(core).get({ serverURL: REGISTRY });
    return { secret: c.Secret };
  } catch (err) {
    if (err instanceof SocketMethodError) return { refused: err.message };
    throw err;
  }
}

async function signedIn(agent: RealAgent, user: keyof typeof USERS, org?: string): Promise<StoredIdentity> {
  const r: LoginOutcome = await agent.core.login(user, USERS[user].password, org);
  assert.equal(r.kind, 'signed-in', JSON.stringify(r));
  return (await agent.identity.load())!;
}

test('a session for another org planted under an allowed org’s label is signed out at start, revoked, and never handed out', { skip }, async () => {
  const agent = await world().agent(['mycompany']);
  // bob belongs to mycompany and partner; he mints a partner session (partner has no IAM) himself…
  const minted = await new BosunAccount({ serverUrl: world().server.url, deviceId: 'planted', deviceName: 'planted' }).signIn('bob', USERS.bob.password, [
    'partner',
  ]);
  assert.equal(minted.kind, 'signed-in');
  const partnerToken = minted.kind === 'signed-in' ? minted.identity.secret : '';
  assert.equal(await serverStatusOf(partnerToken), 200);
  // …and files it in his keychain under the allowed org's label.
  const label = { server: world().server.url, user: 'bob', org: 'mycompany' };
  await agent.identity.save({ kind: 'refresh', secret: partnerToken, session: label });

  // The agent starts over that keychain (what a restart or the next login session does).
  const restarted = await agent.restarted();
  const { core } = restarted;
  const served: string[] = [];
  core.bus.on('state', () => {
    const got = helperGet(core);
    if ('secret' in got) served.push(got.secret);
  });
  try {
    await restarted.start();
    const state = core.state.state;
    assert.equal(state.name, 'signed-out', `the planted session was accepted: ${JSON.stringify(state)}`);
    assert.match(state.name === 'signed-out' ? (state.reason ?? '') : '', /labelled bob · mycompany, but the server says it belongs to bob · partner/);
    const got = helperGet(core);
    assert.ok('refused' in got, 'the helper hands nothing out');
    assert.deepEqual(served, [], 'the planted token was never handed out, not even before the check');
    assert.equal(await agent.identity.load(), undefined, 'the planted entry left the keychain');
    assert.equal(await serverStatusOf(partnerToken), 401, 'the planted session was revoked on the server');
  } finally {
    await restarted.dispose();
  }
  await agent.dispose();
});

test('a restored session is confirmed with the server before the helper hands it out', { skip }, async () => {
  const agent = await world().agent(['mycompany']);
  const identity = await signedIn(agent, 'alice');
  const restarted = await agent.restarted();
  const { core } = restarted;
  try {
    await restarted.start();
    assert.equal(core.state.state.name, 'signed-in');
    assert.deepEqual(helperGet(core), { secret: identity.secret });
  } finally {
    await restarted.dispose();
  }
  await agent.dispose();
});

test('the policy dropping the org revokes the session on the server, not only in the keychain', { skip }, async () => {
  const agent = await world().agent(['mycompany', 'partner']);
  const { secret } = await signedIn(agent, 'bob', 'partner');
  agent.writePolicy(['mycompany']);
  await until('the sign-out', () => agent.core.state.state.name === 'signed-out');
  await agent.core.idle();
  assert.equal(await agent.identity.load(), undefined);
  assert.equal(await serverStatusOf(secret), 401, 'the dropped session is still live on the server');
  await agent.dispose();
});

test('a membership revoked on the server: the re-check signs out and revokes the session', { skip }, async () => {
  const agent = await world().agent(['partner']);
  const { secret } = await signedIn(agent, 'bob', 'partner');
  assert.equal((await world().admin('DELETE', '/api/v1/orgs/partner/members/bob')).status, 204);
  try {
    await agent.core.checkNow();
    assert.equal(agent.core.state.state.name, 'signed-out');
    assert.equal(await serverStatusOf(secret), 401, 'the session is still live on the server');
  } finally {
    assert.equal((await world().admin('PUT', '/api/v1/orgs/partner/members/bob', { role: 'member' })).status, 200);
  }
  await agent.dispose();
});

test('a wrong password while signed in keeps the session, served and live', { skip }, async () => {
  const agent = await world().agent(['mycompany']);
  const { secret } = await signedIn(agent, 'alice');
  const r = await agent.core.login('alice', 'not-the-password');
  assert.equal(r.kind, 'failed');
  assert.equal(agent.core.state.state.name, 'signed-in');
  assert.deepEqual(helperGet(agent.core), { secret }, 'the helper still hands out the working session');
  assert.equal((await agent.identity.load())?.secret, secret, 'the keychain still holds it');
  assert.equal(await serverStatusOf(secret), 200);
  await agent.dispose();
});

test('signing in again replaces the session only on success, then revokes the old one', { skip }, async () => {
  const agent = await world().agent(['mycompany', 'partner']);
  const old = await signedIn(agent, 'bob', 'mycompany');
  const fresh = await signedIn(agent, 'bob', 'partner');
  assert.notEqual(fresh.secret, old.secret);
  assert.deepEqual(helperGet(agent.core), { secret: fresh.secret });
  assert.equal(await serverStatusOf(old.secret), 401, 'the replaced session is still live on the server');
  assert.equal(await serverStatusOf(fresh.secret), 200);
  await agent.dispose();
});

test('a browser sign-in that the policy no longer allows when it completes leaves no live session', { skip, timeout: 30_000 }, async () => {
  const agent = await world().agent(['mycompany', 'partner']);
  const livePartnerSessions = async () => {
    const list = await world().admin('GET', '/api/v1/users/bob/sessions'); // revoked ones are not listed
    return (list.body as { sessions: { id: number; org: string | null }[] }).sessions.filter((s) => s.org === 'partner').map((s) => s.id);
  };
  const before = await livePartnerSessions();
  let code: string | undefined;
  const pending = agent.core.loginWithBrowser((p) => (code = p.userCode), 'partner');
  await until('the device prompt', () => code !== undefined);
  agent.writePolicy(['mycompany']); // IT narrows the policy while the user is approving.
  await until('the policy change', () => agent.core.state.policy.allowedOrgs.join() === 'mycompany');
  await world().approveDevice(code!, 'bob');
  const r = await pending;
  assert.equal(r.kind, 'failed', JSON.stringify(r));
  assert.match(r.kind === 'failed' ? r.message : '', /partner is not an allowed organization/);
  assert.equal(await agent.identity.load(), undefined);
  const added = (await livePartnerSessions()).filter((id) => !before.includes(id));
  assert.deepEqual(added, [], 'the refused partner session is still live on the server');
  await agent.dispose();
});

async function until(what: string, ok: () => boolean, withinMs = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > withinMs) assert.fail(`${what} did not happen within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
