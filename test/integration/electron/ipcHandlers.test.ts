// The main-process IPC handlers over the real AgentCore (test/helpers/realAgent.ts: a real Bosun
// server, gnome-keyring, the policy feed and the Docker config manager). Only the `electron` module's
// ipcMain is faked, through constructor injection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEnvelope } from '../../../electron/bridge.js';
import { QUIT_NOTE, ShellHandlers, type PageName } from '../../../electron/handlers.js';
import { IPC_CHANNELS } from '../../../electron/ipcContract.js';
import { appPageSender, shortenArgs, TypedIpcMain } from '../../../electron/ipcMain.js';
import { FAKE_UI_DIR, FakeIpcMain, memoryLog } from '../../helpers/fakeElectron.js';
import { agentWorldPerFile, type RealAgent } from '../../helpers/realAgent.js';

const { skip, world } = agentWorldPerFile('the shell IPC tests');

async function setup(orgs = ['mycompany', 'partner']) {
  const agent = await world().agent(orgs);
  const ipcMain = new FakeIpcMain();
  const log = memoryLog();
  const opened: string[] = [];
  const copied: string[] = [];
  const shown: PageName[] = [];
  const broadcasts: [string, unknown][] = [];
  const handlers = new ShellHandlers({
    core: agent.core,
    orgSettings: {
      imageAccess: async (org) => {
        if (org !== 'mycompany') throw new Error(`${org} settings are not readable`);
        return { enabled: true, allowOfficialImages: true, allowVerifiedPublishers: false };
      },
    },
    policySources: {
      sources: async () => [{ location: '/usr/share/docker-desktop/registry/registry.json', found: true, protected: true, verdict: 'admin-only' }],
    },
    doctorChecks: async () => [{ id: 'helper-path', title: 'Credential helper', status: 'ok', detail: 'on PATH' }],
    version: '9.9.9',
    now: () => new Date('2030-01-01T00:00:00Z'),
    shell: {
      openExternal: async (url) => void opened.push(url),
      copyText: (t) => void copied.push(t),
      openLogs: async () => void opened.push('logs'),
      showWindow: (p) => void shown.push(p),
      closeSender: () => undefined,
      broadcast: (e, p) => void broadcasts.push([e, p]),
    },
  });
  const ipc = new TypedIpcMain(ipcMain, log, appPageSender(FAKE_UI_DIR));
  handlers.register(ipc);
  const call = async (channel: string, ...args: unknown[]) => decodeEnvelope<unknown>(await ipcMain.invoke(channel, ...args));
  return { agent, ipcMain, ipc, log, opened, copied, shown, broadcasts, call, handlers };
}
const done = (a: RealAgent) => a.dispose();

async function until<T>(what: string, get: () => T | undefined, withinMs = 10_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() - t0 > withinMs) assert.fail(`${what} did not happen within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('every channel of the contract has a handler and a schema', { skip }, async () => {
  const s = await setup();
  assert.deepEqual([...s.ipcMain.handlers.keys()].sort(), [...IPC_CHANNELS].sort());
  s.ipc.dispose();
  assert.equal(s.ipcMain.handlers.size, 0, 'dispose removes every handler');
  await done(s.agent);
});

test('password sign-in: success, wrong password, non-member; errors are the core’s words', { skip }, async () => {
  const s = await setup(['mycompany']);
  assert.deepEqual(await s.call('signin:password', { username: 'alice', secret: 'alice-password' }), { kind: 'signed-in', user: 'alice', org: 'mycompany' });
  assert.equal(((await s.call('status:get')) as { headline: string }).headline, 'Signed in as alice · mycompany');
  const wrong = (await s.call('signin:password', { username: 'alice', secret: 'nope' })) as { kind: string; message: string };
  assert.deepEqual(wrong, { kind: 'failed', message: 'the username or password/token was not accepted' });
  const outsider = (await s.call('signin:password', { username: 'mallory', secret: 'mallory-password' })) as { kind: string; message: string };
  assert.equal(outsider.kind, 'failed');
  assert.match(outsider.message, /mallory is not a member of mycompany/);
  await done(s.agent);
});

test('several qualifying orgs: pick-org, then the chosen org binds the session', { skip }, async () => {
  const s = await setup();
  assert.deepEqual(await s.call('signin:password', { username: 'bob', secret: 'bob-password' }), { kind: 'pick-org', orgs: ['mycompany', 'partner'] });
  assert.deepEqual(await s.call('signin:password', { username: 'bob', secret: 'bob-password', org: 'partner' }), {
    kind: 'signed-in',
    user: 'bob',
    org: 'partner',
  });
  assert.equal((await s.agent.identity.load())?.session.org, 'partner', 'the keychain holds the partner session');
  await done(s.agent);
});

test('a wrong payload is refused before any handler runs, as a real Error named IpcPayloadError', { skip }, async () => {
  const s = await setup();
  await assert.rejects(s.call('signin:password', { username: 'alice' }), (e: Error) => e.name === 'IpcPayloadError' && /\/secret is required/.test(e.message));
  await assert.rejects(s.call('signin:password', { username: 'alice', secret: 'x', extra: 1 }), /\/extra is not an allowed property/);
  await assert.rejects(s.call('signin:password', { username: 'alice', secret: 'x', org: 'Not An Org!' }), /\/org/);
  await assert.rejects(s.call('status:get', { sneaky: true }), /invalid payload/);
  await assert.rejects(s.call('status:get', null, 'second argument'), /unexpected extra arguments/);
  assert.equal(s.agent.core.state.state.name, 'signed-out', 'nothing was attempted');
  await done(s.agent);
});

test('calls are logged with arguments shortened and secrets masked', { skip }, async () => {
  const s = await setup();
  await s.call('signin:password', { username: 'alice', secret: 'alice-password' });
  const line = s.log.lines.find((l) => l.includes('signin:password'))!;
  assert.match(line, /"username":"alice"/);
  assert.ok(!s.log.lines.join('\n').includes('alice-password'), 'the password never reaches the log');
  assert.ok(shortenArgs({ username: 'x'.repeat(500) }).length <= 121);
  await done(s.agent);
});

test('a frame that is not one of the app’s pages is refused', { skip }, async () => {
  const s = await setup();
  const h = s.ipcMain.handlers.get('status:get')!;
  const env = (await h({ sender: { id: 1 }, senderFrame: { url: 'https://evil.example/' } })) as { error?: { message: string } };
  assert.match(env.error!.message, /refused a call from https:\/\/evil\.example/);
  await done(s.agent);
});

test('no channel result carries the stored secret', { skip }, async () => {
  const s = await setup(['mycompany']);
  await s.call('signin:password', { username: 'alice', secret: 'alice-password' });
  const secret = (await s.agent.identity.load())!.secret;
  assert.ok(secret.length >= 16, 'the server issued a refresh token and the keychain holds it');
  for (const c of ['status:get', 'permissions:get', 'diagnostics:get', 'about:get']) {
    assert.ok(!JSON.stringify(await s.call(c)).includes(secret), `${c} leaks the refresh token`);
  }
  await done(s.agent);
});

test('device sign-in: the code is pushed to windows, the verification page opens, approval on the server signs in', { skip, timeout: 30_000 }, async () => {
  const s = await setup(['mycompany']);
  const pending = s.call('signin:device-start', {});
  const [event, prompt] = await until('the device prompt', () => s.broadcasts[0] as [string, { userCode: string; verificationUri: string }] | undefined);
  assert.equal(event, 'signin:device-prompt');
  assert.equal(prompt.verificationUri, `${world().server.url}/device`);
  assert.deepEqual(s.opened, [`${prompt.verificationUri}?user_code=${encodeURIComponent(prompt.userCode)}`]);
  // Re-opening: only the page of the running sign-in.
  await s.call('signin:open-verification', { url: prompt.verificationUri });
  await assert.rejects(s.call('signin:open-verification', { url: 'https://elsewhere.example/device' }), /no browser sign-in waiting/);
  await world().approveDevice(prompt.userCode, 'alice');
  assert.deepEqual(await pending, { kind: 'signed-in', user: 'alice', org: 'mycompany' });
  await assert.rejects(s.call('signin:open-verification', { url: prompt.verificationUri }), /no browser sign-in waiting/);
  await done(s.agent);
});

test('device sign-in can be cancelled', { skip }, async () => {
  const s = await setup(['mycompany']);
  const pending = s.call('signin:device-start', {});
  await until('the device prompt', () => s.broadcasts[0]);
  await s.call('signin:device-cancel');
  assert.deepEqual(await pending, { kind: 'failed', message: 'browser sign-in was cancelled' });
  assert.equal(s.agent.core.state.state.name, 'signed-out');
  await done(s.agent);
});

test('sign-out, switch organization, logs, about', { skip }, async () => {
  const s = await setup();
  await s.call('signin:password', { username: 'bob', secret: 'bob-password', org: 'mycompany' });
  const { secret } = (await s.agent.identity.load())!;
  await s.call('session:switch-org');
  assert.deepEqual(s.shown, ['signin']);
  const after = (await s.call('session:sign-out')) as { state: string; headline: string };
  assert.equal(after.state, 'signed-out');
  assert.equal(await s.agent.identity.load(), undefined, 'the keychain entry is erased');
  const check = await fetch(`${world().server.url}/api/v1/agent/sessions/current`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(check.status, 401, 'the server revoked the session');
  await s.call('logs:open');
  assert.deepEqual(s.opened, ['logs']);
  assert.deepEqual(await s.call('about:get'), { version: '9.9.9', enforced: true, quitNote: QUIT_NOTE });
  await done(s.agent);
});

test('permissions: IAM categories of the session org, the policy verdict and sources; signed out explains why', { skip }, async () => {
  const s = await setup(['mycompany']);
  const out = (await s.call('permissions:get')) as { imageAccessUnavailable?: string; policy: { verdict: string } };
  assert.match(out.imageAccessUnavailable!, /Sign in to see/);
  assert.match(out.policy.verdict, /Sign-in to mycompany is required/);
  await s.call('signin:password', { username: 'alice', secret: 'alice-password' });
  const v = (await s.call('permissions:get')) as {
    org: string;
    imageAccess: { enabled: boolean; categories: { id: string; allowed: boolean }[] };
    sources: unknown[];
  };
  assert.equal(v.org, 'mycompany');
  assert.deepEqual(
    v.imageAccess.categories.map((c) => [c.id, c.allowed]),
    [
      ['organization', true],
      ['official', true],
      ['verified', false],
      ['community', false],
    ],
  );
  assert.equal(v.sources.length, 1);
  await done(s.agent);
});

test('diagnostics: doctor report with the agent state; copy for IT puts the rendered text on the clipboard', { skip }, async () => {
  const s = await setup(['mycompany']);
  const d = (await s.call('diagnostics:get')) as { report: { checks: { id: string; status: string }[]; healthy: boolean }; text: string };
  assert.deepEqual(
    d.report.checks.map((c) => c.id),
    ['agent', 'registries', 'helper-path'],
  );
  assert.equal(d.report.checks[0]!.status, 'warn');
  assert.match(d.text, /^Bosun doctor — 2030-01-01T00:00:00.000Z/);
  assert.deepEqual(await s.call('diagnostics:copy'), { copied: true });
  assert.equal(s.copied[0], d.text);
  await done(s.agent);
});
