// The agent end to end, every part real (test/helpers/agentStack.ts): the Bosun server and its token
// service, docker-registry 2.8, a private dockerd and the docker CLI 28, gnome-keyring, the headless
// agent and docker-credential-bosun on PATH. The steps run in order, as a developer's day would.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountToken, ADMIN } from '../../helpers/bosunServer.js';
import { binPath } from '../../helpers/cli.js';
import { agentStackUnavailable, startAgentStack, type AgentStack } from '../../helpers/agentStack.js';

const skip = agentStackUnavailable() ?? false;
if (skip) console.log(`# skipping the agent e2e tests: ${skip}`);

const PASSWORD = 'alice-password-1';
let stack: AgentStack;

before(async () => {
  if (skip) return;
  stack = await startAgentStack({
    allowedOrgs: ['mycompany'],
    images: ['mycompany/api', 'community/tool'],
    seed: () => ({
      settings: { anonymousPull: true, userNamespaces: false, verifiedPublishers: [] },
      users: [
        { name: 'alice', password: PASSWORD },
        { name: 'mallory', password: 'mallory-password-1' },
      ],
      orgs: [
        {
          name: 'mycompany',
          members: [{ user: 'alice', role: 'member' }],
          teams: [{ name: 'dev', members: ['alice'], grants: [{ namespace: 'mycompany', level: 'read' }] }],
          imageAccess: { enabled: true, allowOfficial: true, allowVerifiedPublishers: false },
        },
      ],
      repositories: [
        { name: 'mycompany/api', visibility: 'private' },
        { name: 'community/tool', visibility: 'public' },
      ],
    }),
  });
});

after(async () => {
  if (!skip) await stack?.stop();
});

async function status(): Promise<{ state: string; user: string | null; org: string | null }> {
  const r = await stack.bosun(['status', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { state: string; user: string | null; org: string | null };
}

function assertStatus(
  expected: { state: string; user: string | null; org: string | null },
  actual: { state: string; user: string | null; org: string | null },
): void {
  assert.deepEqual({ state: actual.state, user: actual.user, org: actual.org }, expected);
}

async function waitForState(state: string, withinMs: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const s = await status();
    if (s.state === state) return Date.now() - t0;
    if (Date.now() - t0 > withinMs) assert.fail(`state stayed ${s.state}, expected ${state} within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const login = (user: string, secret: string) => stack.bosun(['login', '--username', user, '--password-stdin'], secret);

test('signed out: the agent points docker at Bosun, and a pull is denied with the explanation', { skip }, async () => {
  assertStatus({ state: 'signed-out', user: null, org: null }, await status());
  const config = JSON.parse(readFileSync(join(stack.sandbox.dockerConfig, 'config.json'), 'utf8')) as { credHelpers: Record<string, string> };
  assert.equal(config.credHelpers[stack.registryHost], 'bosun');
  const r = await stack.pull('mycompany/api');
  assert.notEqual(r.code, 0);
  // Docker CLI 28 ignores the helper's error and goes anonymous; the token service's denial says why.
  assert.match(r.stderr, /denied: .*sign/i, r.stderr);
});

test('a non-member cannot sign in, and is told which orgs and which account', { skip }, async () => {
  const r = await login('mallory', 'mallory-password-1');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /mallory is not a member of mycompany/);
  assert.equal((await status()).state, 'signed-out');
});

test('sign in, then a pull of a private org image works; the secret is only in the keychain', { skip }, async () => {
  const r = await login('alice', PASSWORD);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Signed in as alice · mycompany/);
  assertStatus({ state: 'signed-in', user: 'alice', org: 'mycompany' }, await status());
  const pulled = await stack.pull('mycompany/api');
  assert.equal(pulled.code, 0, pulled.stderr);
  const config = readFileSync(join(stack.sandbox.dockerConfig, 'config.json'), 'utf8');
  assert.doesNotMatch(config, /auths|Secret|token/i, 'no credential is written into config.json');
  const logs = await stack.bosun(['logs', '-n', '200', '--json']);
  assert.doesNotMatch(logs.stdout, new RegExp(PASSWORD));
  assert.match(logs.stdout, /audit sign-in/);
});

test('Image Access Management: a Community image is denied with the org rule in the terminal', { skip }, async () => {
  const r = await stack.pull('community/tool');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Community image.*Image Access Management.*mycompany/s, r.stderr);
});

test('tampering with config.json is repaired within 500 ms, and pulls keep working', { skip }, async () => {
  const path = join(stack.sandbox.dockerConfig, 'config.json');
  const before = JSON.parse(readFileSync(path, 'utf8')) as { credHelpers: Record<string, string> };
  writeFileSync(path, JSON.stringify({ ...before, credHelpers: { [stack.registryHost]: 'desktop' }, mine: true }, null, 2));
  const t0 = Date.now();
  for (;;) {
    const now = JSON.parse(readFileSync(path, 'utf8')) as { credHelpers: Record<string, string>; mine?: boolean };
    if (now.credHelpers[stack.registryHost] === 'bosun') {
      assert.equal(now.mine, true, "the user's own key survives the repair");
      break;
    }
    assert.ok(Date.now() - t0 < 500, 'repaired within 500 ms');
    await new Promise((r) => setTimeout(r, 10));
  }
  const pulled = await stack.pull('mycompany/api');
  assert.equal(pulled.code, 0, pulled.stderr);
});

test('revoking the device session on the server denies the next pull', { skip }, async () => {
  const auth = { authorization: `Bearer ${await accountToken(stack.server.url, ADMIN.name, ADMIN.password)}` };
  const list = (await (await fetch(`${stack.server.url}/api/v1/users/alice/sessions`, { headers: auth })).json()) as {
    sessions: { id: number; org: string }[];
  };
  assert.ok(list.sessions.length >= 1, 'the agent session is listed on the server');
  for (const s of list.sessions) {
    const del = await fetch(`${stack.server.url}/api/v1/sessions/${s.id}`, { method: 'DELETE', headers: auth });
    assert.ok(del.status === 204 || del.status === 200, `revoke answered ${del.status}`);
  }
  const r = await stack.pull('mycompany/api');
  assert.notEqual(r.code, 0, 'the revoked refresh token no longer pulls');
  // The agent notices on its next check, signs out and erases the identity.
  const check = await stack.bosun(['status', '--json']);
  assert.equal(check.code, 0);
});

test('signing in again, then removing the org from allowedOrgs signs out within 1 s', { skip }, async () => {
  await stack.bosun(['logout']);
  const r = await login('alice', PASSWORD);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await status()).state, 'signed-in');
  stack.writePolicy(['someotherorg']);
  const ms = await waitForState('signed-out', 1000);
  assert.ok(ms <= 1000);
  const pulled = await stack.pull('mycompany/api');
  assert.notEqual(pulled.code, 0);
  stack.writePolicy(['mycompany']);
});

test('sign out, then a pull is denied with the explanation', { skip }, async () => {
  const r = await login('alice', PASSWORD);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await stack.pull('mycompany/api')).code, 0);
  const out = await stack.bosun(['logout']);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /Signed out/);
  const denied = await stack.pull('mycompany/api');
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /denied: /);
  const helper = await stack.bosun(['status']);
  assert.match(helper.stdout, /Sign-in required by your organization/);
});

test('browser sign-in: bosun login --device shows a code; approving it on the server signs in', { skip }, async () => {
  const child = spawn(process.execPath, [binPath('bosun'), 'login', '--device'], { env: stack.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const t0 = Date.now();
  let m: RegExpMatchArray | null = null;
  while (!(m = /open (\S+) and enter the code (\S+)/.exec(out))) {
    assert.ok(Date.now() - t0 < 15_000, `no code shown:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const [, uri, code] = m;
  assert.equal(uri, `${stack.server.url}/device`);
  const approve = await fetch(uri!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user_code: code!, username: 'alice', password: PASSWORD, decision: 'approve' }),
  });
  assert.equal(approve.status, 200);
  assert.equal(await exited, 0, out);
  assert.match(out, /Signed in as alice · mycompany/);
  assert.equal((await status()).state, 'signed-in');
  assert.equal((await stack.pull('mycompany/api')).code, 0);
});

test('server unreachable: offline grace with a visible deadline, and pulls from cache keep the identity', { skip }, async () => {
  assert.equal((await status()).state, 'signed-in');
  await stack.server.stop();
  const r = await stack.bosun(['status', '--check', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { state: string; graceDeadline: string | null; user: string };
  assert.equal(s.state, 'offline-grace');
  assert.equal(s.user, 'alice');
  assert.ok(s.graceDeadline && Date.parse(s.graceDeadline) > Date.now(), 'the deadline is in the future');
  const text = await stack.bosun(['status']);
  assert.match(text.stdout, /Offline: signed in as alice · mycompany until /);
});

test('the agent stops on SIGTERM with exit 0; status then says signed-out with the agent not running', { skip }, async () => {
  assert.equal(await stack.stopAgent(), 0);
  const r = await stack.bosun(['status', '--json']);
  assert.equal(r.code, 0);
  const s = JSON.parse(r.stdout) as { state: string; agentRunning: boolean };
  assert.deepEqual({ state: s.state, agentRunning: s.agentRunning }, { state: 'signed-out', agentRunning: false });
  await stack.startAgent();
});
