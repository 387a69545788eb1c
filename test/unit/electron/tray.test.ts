import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trayIconFile } from '../../../electron/tray.js';
import { trayModel } from '../../../electron/trayModel.js';
import type { AgentSnapshot, PolicyView } from '../../../src/core/agent/agentState.js';

const enforced = (...orgs: string[]): PolicyView => ({ state: 'enforced', allowedOrgs: orgs, errors: [], insecure: false });
const alice = { server: 'https://bosun.example', user: 'alice', org: 'mycompany' };
const ids = (s: AgentSnapshot) => trayModel(s).items.map((i) => i.id);

test('signed out under enforcement: the status line asks for sign-in and the menu offers Sign in…', () => {
  const m = trayModel({ policy: enforced('mycompany'), state: { name: 'signed-out', allowedOrgs: ['mycompany'] } });
  assert.equal(m.items[0]!.label, 'Sign-in required by your organization');
  assert.equal(m.items[0]!.enabled, false);
  assert.deepEqual(
    m.items.map((i) => i.id),
    ['status', 'sign-in', 'permissions', 'diagnostics', 'open-logs', 'about', 'quit'],
  );
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
  const grace: AgentSnapshot = {
    policy: enforced('mycompany'),
    state: { name: 'offline-grace', allowedOrgs: ['mycompany'], session: alice, since: 0, deadline },
  };
  assert.match(trayModel(grace).items.find((i) => i.id === 'detail')!.label, /^Offline: signed in until /);
  assert.equal(trayModel(grace).icon, 'attention');
  const insecure: AgentSnapshot = { policy: { ...enforced('mycompany'), insecure: true }, state: { name: 'signed-out', allowedOrgs: ['mycompany'] } };
  assert.equal(trayModel(insecure).items[1]!.label, 'Warning: the policy files are not admin-only');
});

test('macOS uses template images; other platforms colour icons', () => {
  assert.equal(trayIconFile('/a', 'signed-in', 'darwin'), '/a/tray-signed-inTemplate.png');
  assert.equal(trayIconFile('/a', 'signed-in', 'win32'), '/a/tray-signed-in.png');
});
