import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BosunTray, trayIconFile, type TrayActions } from '../../../electron/tray.js';
import { trayModel } from '../../../electron/trayModel.js';
import type { AgentSnapshot } from '../../../src/policy/agentState.js';
import { enforced, startMemoryAgent, SERVER } from '../../helpers/memoryAgent.js';
import { fakeTrayElectron } from './fakeElectron.js';

const alice = { server: SERVER, user: 'alice', org: 'mycompany' };
const ids = (s: AgentSnapshot) => trayModel(s).items.map((i) => i.id);

function recordingActions() {
  const clicked: string[] = [];
  const actions = Object.fromEntries(
    ['sign-in', 'sign-out', 'switch-org', 'permissions', 'diagnostics', 'open-logs', 'about', 'quit'].map((id) => [id, () => void clicked.push(id)]),
  ) as TrayActions;
  return { clicked, actions };
}

test('signed out under enforcement: the status line asks for sign-in and the menu offers Sign in…', () => {
  const m = trayModel({ policy: enforced('mycompany'), state: { name: 'signed-out', allowedOrgs: ['mycompany'] } });
  assert.equal(m.items[0]!.label, 'Sign-in required by your organization');
  assert.equal(m.items[0]!.enabled, false);
  assert.deepEqual(m.items.map((i) => i.id), ['status', 'sign-in', 'permissions', 'diagnostics', 'open-logs', 'about', 'quit']);
  assert.equal(m.icon, 'signed-out');
});

test('signed in to one allowed org: "Signed in as alice · mycompany", Sign out, no Switch organization', () => {
  const s: AgentSnapshot = { policy: enforced('mycompany'), state: { name: 'signed-in', allowedOrgs: ['mycompany'], session: alice } };
  const m = trayModel(s);
  assert.equal(m.items[0]!.label, 'Signed in as alice · mycompany');
  assert.deepEqual(ids(s), ['status', 'sign-out', 'permissions', 'diagnostics', 'open-logs', 'about', 'quit']);
  assert.equal(m.icon, 'signed-in');
});

test('Switch organization appears only when several orgs are allowed', () => {
  const s: AgentSnapshot = { policy: enforced('mycompany', 'partner'), state: { name: 'signed-in', allowedOrgs: ['mycompany', 'partner'], session: alice } };
  assert.ok(ids(s).includes('switch-org'));
});

test('a policy error disables Sign in… and shows the attention icon', () => {
  const s: AgentSnapshot = {
    policy: { state: 'policy-error', allowedOrgs: [], errors: ['registry.json: not JSON'], insecure: false },
    state: { name: 'policy-error', errors: ['registry.json: not JSON'] },
  };
  const m = trayModel(s);
  assert.equal(m.items.find((i) => i.id === 'sign-in')!.enabled, false);
  assert.equal(m.icon, 'attention');
  assert.equal(m.items[0]!.label, 'Policy error: contact IT');
});

test('offline grace shows until when, and an insecure policy warns, both with the attention icon', () => {
  const deadline = Date.UTC(2030, 0, 1);
  const grace: AgentSnapshot = { policy: enforced('mycompany'), state: { name: 'offline-grace', allowedOrgs: ['mycompany'], session: alice, since: 0, deadline } };
  assert.match(trayModel(grace).items.find((i) => i.id === 'detail')!.label, /^Offline: signed in until /);
  assert.equal(trayModel(grace).icon, 'attention');
  const insecure: AgentSnapshot = { policy: { ...enforced('mycompany'), insecure: true }, state: { name: 'signed-out', allowedOrgs: ['mycompany'] } };
  assert.equal(trayModel(insecure).items[1]!.label, 'Warning: the policy files are not admin-only');
});

test('macOS uses template images; other platforms colour icons', () => {
  assert.equal(trayIconFile('/a', 'signed-in', 'darwin'), '/a/tray-signed-inTemplate.png');
  assert.equal(trayIconFile('/a', 'signed-in', 'win32'), '/a/tray-signed-in.png');
});

test('BosunTray follows the real core: sign-in and sign-out change icon and menu; clicks reach the actions; dispose stops updates', async () => {
  const agent = await startMemoryAgent(enforced('mycompany'));
  const electron = fakeTrayElectron('darwin');
  const { clicked, actions } = recordingActions();
  const tray = new BosunTray(electron, agent.core, actions, '/icons');
  const t = electron.trays[0]!;
  assert.equal(t.image, '/icons/tray-signed-outTemplate.png');
  assert.equal(t.menu.find((i) => i.id === 'status')!.label, 'Sign-in required by your organization');
  t.menu.find((i) => i.id === 'sign-in')!.click!();
  assert.deepEqual(clicked, ['sign-in']);

  assert.equal((await agent.core.login('alice', 'alice-password')).kind, 'signed-in');
  assert.equal(t.image, '/icons/tray-signed-inTemplate.png');
  assert.equal(t.menu.find((i) => i.id === 'status')!.label, 'Signed in as alice · mycompany');
  assert.match(t.tooltip, /alice · mycompany/);
  assert.ok(t.menu.some((i) => i.type === 'separator'));

  // Membership revoked on the server: the next check signs the user out and the tray says so.
  agent.account.users.get('alice')!.orgs = [];
  await agent.core.checkNow();
  assert.equal(t.menu.find((i) => i.id === 'status')!.label, 'Sign-in required by your organization');
  assert.equal(t.image, '/icons/tray-signed-outTemplate.png');

  tray.dispose();
  assert.equal(t.destroyed, true);
  assert.equal((await agent.core.login('alice', 'wrong')).kind, 'failed');
  assert.equal(electron.trays.length, 1, 'a disposed tray does not re-create itself on state changes');
  await agent.core.dispose();
});
