// Registry aliases, failed logins and a planted session, every part real (test/helpers/agentStack.ts): the Bosun server
// and its token service, docker-registry 2.8, a private dockerd with the docker CLI, gnome-keyring, the
// headless agent and docker-credential-bosun on PATH. The steps run in order.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BosunAccount } from '../../../src/agent/account/bosunAccount.js';
import { KeychainIdentityStore } from '../../../src/agent/keychain.js';
import { agentStackUnavailable, startAgentStack, type AgentStack } from '../../helpers/agentStack.js';
import { accountToken } from '../../helpers/bosunServer.js';
import { run } from '../../helpers/real/dockerCli.js';

const skip = agentStackUnavailable() ?? false;
if (skip) console.log(`# skipping the registry alias and login e2e tests: ${skip}`);

const PASSWORD = 'alice-password-1';
let stack: AgentStack;
let configPath: string;
/** The same registry, spelled as a developer may: `localhost:PORT` for the listed `127.0.0.1:PORT`. */
let alias: string;

before(async () => {
  if (skip) return;
  stack = await startAgentStack({
    allowedOrgs: ['mycompany'],
    images: ['mycompany/api'],
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
        },
        // alice's second org: not allowed by the policy, and without Image Access Management.
        { name: 'partner', members: [{ user: 'alice', role: 'member' }] },
      ],
      repositories: [{ name: 'mycompany/api', visibility: 'private' }],
    }),
  });
  configPath = join(stack.sandbox.dockerConfig, 'config.json');
  alias = stack.registryHost.replace('127.0.0.1', 'localhost');
});

after(async () => {
  if (!skip) await stack?.stop();
});

const readConfig = () =>
  JSON.parse(readFileSync(configPath, 'utf8')) as { auths?: Record<string, unknown>; credHelpers?: Record<string, string>; [k: string]: unknown };

async function status(): Promise<{ state: string; user: string | null; org: string | null }> {
  const r = await stack.bosun(['status', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { state: string; user: string | null; org: string | null };
}

async function within(ms: number, ok: () => boolean, what: string): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) assert.fail(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What docker-credential-bosun hands docker for a registry name: the secret, or undefined. */
async function helperSecret(serverURL: string): Promise<string | undefined> {
  const r = await run('docker-credential-bosun', ['get'], stack.env, serverURL);
  if (r.code !== 0) return undefined;
  return (JSON.parse(r.stdout) as { Secret: string }).Secret;
}

async function pullThrough(host: string): Promise<{ code: number; stderr: string }> {
  const ref = `${host}/mycompany/api:1`;
  const r = await stack.docker.run(['pull', ref]);
  if (r.code === 0) await stack.docker.run(['rmi', ref]);
  return r;
}

test(
  'static auths credentials for an alias of a protected registry are removed while signed out, and the pull gets none',
  { skip, timeout: 60_000 },
  async () => {
    assert.equal((await status()).state, 'signed-out');
    const before = readConfig();
    const basic = Buffer.from(`alice:${PASSWORD}`).toString('base64');
    // What `docker login localhost:PORT` writes without a credential store, beside keys that are not Bosun's.
    writeFileSync(
      configPath,
      JSON.stringify(
        {
          ...before,
          auths: { [alias]: { auth: basic }, [`https://${alias}/v2/`]: { auth: basic }, 'gcr.io': { auth: 'b3RoZXI6c2VjcmV0' } },
          proxies: { default: { noProxy: '*.internal' } },
          someFutureKey: { kept: true },
        },
        null,
        2,
      ),
    );
    await within(2000, () => !readConfig().auths?.[alias], 'the static credentials being removed');
    const after = readConfig();
    assert.deepEqual(after.auths, { 'gcr.io': { auth: 'b3RoZXI6c2VjcmV0' } }, 'only the protected registry’s credentials are removed');
    assert.deepEqual(after.proxies, { default: { noProxy: '*.internal' } });
    assert.deepEqual(after.someFutureKey, { kept: true });
    assert.equal(after.credHelpers?.[stack.registryHost], 'bosun');
    assert.equal(after.credHelpers?.[alias], 'bosun', 'the alias asks Bosun now');
    const backup = readFileSync(`${configPath}.bosun-backup`, 'utf8');
    assert.match(backup, new RegExp(basic.replace(/[+/=]/g, '\\$&')), 'the previous file is kept as the backup');
    // Docker CLI 28 ignores the helper's refusal and pulls anonymously: denied by the token service.
    const pulled = await pullThrough(alias);
    assert.notEqual(pulled.code, 0, 'the pull through the alias used static credentials');
    assert.match(pulled.stderr, /denied/i, pulled.stderr);
    assert.match(stack.agentOutput(), /removed static credentials for a Bosun registry/);
  },
);

test('signed in, a pull through the alias is served by Bosun', { skip, timeout: 60_000 }, async () => {
  const r = await stack.bosun(['login', '--username', 'alice', '--password-stdin'], PASSWORD);
  assert.equal(r.code, 0, r.stderr);
  const secret = await helperSecret(stack.registryHost);
  assert.ok(secret, 'the helper hands out the session');
  assert.equal(await helperSecret(alias), secret, 'the alias gets the same credential');
  assert.equal(await helperSecret(`http://${alias.toUpperCase()}/v2/`), secret);
  const pulled = await pullThrough(alias);
  assert.equal(pulled.code, 0, pulled.stderr);
});

test('a docker login refused by Bosun while signed in keeps the session, served and unchanged', { skip, timeout: 60_000 }, async () => {
  const secret = await helperSecret(stack.registryHost);
  assert.ok(secret);
  // A wrong password: the daemon's login check fails.
  const wrong = await stack.docker.run(['login', stack.registryHost, '-u', 'alice', '--password-stdin'], 'not-the-password');
  assert.notEqual(wrong.code, 0);
  // Valid registry credentials of a non-member: the daemon accepts them and the CLI stores the identity
  // token the token service issued; the helper's store refuses it.
  const nonMember = await stack.docker.run(['login', stack.registryHost, '-u', 'mallory', '--password-stdin'], 'mallory-password-1');
  assert.notEqual(nonMember.code, 0, 'docker login of a non-member was accepted');
  assert.match(nonMember.stderr, /identity token cannot be checked for membership|mallory is not a member of mycompany/, nonMember.stderr);
  // The refresh token the token service issued to that docker login is not left live on the server.
  const malloryToken = await accountToken(stack.server.url, 'mallory', 'mallory-password-1');
  const listed = await fetch(`${stack.server.url}/api/v1/registry/refresh-tokens`, { headers: { authorization: `Bearer ${malloryToken}` } });
  assert.equal(listed.status, 200);
  assert.deepEqual(((await listed.json()) as { refresh_tokens: unknown[] }).refresh_tokens, [], 'no live docker login token of mallory is left');
  // A wrong password straight into the helper's store (what a client that stores the password does):
  // the agent tries to sign in with it, and fails.
  const store = await run(
    'docker-credential-bosun',
    ['store'],
    stack.env,
    JSON.stringify({ ServerURL: stack.registryHost, Username: 'alice', Secret: 'not-the-password' }),
  );
  assert.equal(store.code, 1);
  assert.match(store.stdout + store.stderr, /password|credentials|401|not accept/i, store.stdout + store.stderr);
  const s = await status();
  assert.deepEqual({ state: s.state, user: s.user, org: s.org }, { state: 'signed-in', user: 'alice', org: 'mycompany' });
  assert.equal(await helperSecret(stack.registryHost), secret, 'the helper still hands out the same session');
  const pulled = await pullThrough(stack.registryHost);
  assert.equal(pulled.code, 0, pulled.stderr);
});

test('static credentials in a read-only config.json are reported, not removed', { skip, timeout: 60_000 }, async () => {
  const basic = Buffer.from(`alice:${PASSWORD}`).toString('base64');
  writeFileSync(configPath, JSON.stringify({ ...readConfig(), auths: { [alias]: { auth: basic } } }, null, 2));
  chmodSync(configPath, 0o444);
  try {
    await within(3000, () => /holds static credentials for a Bosun registry .*is read-only/.test(stack.agentOutput()), 'the report');
    assert.deepEqual(readConfig().auths, { [alias]: { auth: basic } }, 'a read-only file keeps what the user put there');
    const doctor = await stack.bosun(['doctor', '--json']);
    assert.match(doctor.stdout, /static credentials for a Bosun registry/);
  } finally {
    chmodSync(configPath, 0o600);
  }
  assert.ok(existsSync(configPath));
});

test(
  'a partner session planted in the keychain under mycompany’s label: the restarted agent signs out, revokes it, and the helper hands nothing out',
  { skip, timeout: 60_000 },
  async () => {
    await stack.stopAgent();
    // alice mints a session for partner (no Image Access Management) with her own password…
    const minted = await new BosunAccount({ serverUrl: stack.server.url, deviceId: 'planted-device', deviceName: 'planted' }).signIn('alice', PASSWORD, [
      'partner',
    ]);
    assert.equal(minted.kind, 'signed-in');
    const token = minted.kind === 'signed-in' ? minted.identity.secret : '';
    // …and files it in her own keychain (the agent's service) under the allowed org's label.
    process.env.DBUS_SESSION_BUS_ADDRESS = stack.env.DBUS_SESSION_BUS_ADDRESS;
    await new KeychainIdentityStore().save({ kind: 'refresh', secret: token, session: { server: stack.server.url, user: 'alice', org: 'mycompany' } });
    await stack.startAgent();
    const s = await stack.bosun(['status', '--json']);
    const st = JSON.parse(s.stdout) as { state: string; reason: string | null };
    assert.equal(st.state, 'signed-out', `the planted session was accepted: ${s.stdout}`);
    assert.match(st.reason ?? '', /labelled alice · mycompany, but the server says it belongs to alice · partner/);
    assert.equal(await helperSecret(stack.registryHost), undefined, 'the helper handed out the planted token');
    const get = await run('docker-credential-bosun', ['get'], stack.env, stack.registryHost);
    assert.match(get.stderr, /sign in to mycompany/, get.stderr);
    const res = await fetch(`${stack.server.url}/api/v1/agent/sessions/current`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 401, 'the planted session is still live on the server');
    assert.doesNotMatch(stack.agentOutput(), new RegExp(token), 'the token never reaches the agent output');
  },
);
