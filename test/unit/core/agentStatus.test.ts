import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentStatus, renderStatus, statusLine } from '../../../src/core/agent/agentStatus.js';
import { initialSnapshot, reduce, type AgentSnapshot, type PolicyView } from '../../../src/core/agent/agentState.js';

const enforced = (orgs: string[], insecure = false): PolicyView => ({ state: 'enforced', allowedOrgs: orgs, errors: [], insecure });
const session = { server: 'http://127.0.0.1:1', user: 'alice', org: 'mycompany' };

function after(...events: Parameters<typeof reduce>[1][]): AgentSnapshot {
  return events.reduce((s, e) => reduce(s, e).snapshot, initialSnapshot());
}

test('a fresh agent reports no-policy with null identity fields (the status --json contract)', () => {
  const s = agentStatus(initialSnapshot(), []);
  assert.deepEqual(
    { state: s.state, user: s.user, org: s.org, reason: s.reason, graceDeadline: s.graceDeadline },
    { state: 'no-policy', user: null, org: null, reason: null, graceDeadline: null },
  );
  assert.equal(statusLine(s), 'No sign-in policy on this machine');
});

test('signed in: user, org and server come from the session; the line reads like the tray', () => {
  const snap = after({ type: 'policy', policy: enforced(['mycompany']) }, { type: 'sign-in-started' }, { type: 'sign-in-succeeded', session, now: 1000 });
  const s = agentStatus(snap, ['127.0.0.1:5000']);
  assert.equal(s.state, 'signed-in');
  assert.equal(s.user, 'alice');
  assert.equal(s.org, 'mycompany');
  assert.equal(s.server, session.server);
  assert.equal(statusLine(s), 'Signed in as alice · mycompany');
  assert.match(renderStatus(s), /127\.0\.0\.1:5000/);
});

test('signed out after the policy drops the org: the reason and how to sign in are shown', () => {
  const snap = after(
    { type: 'policy', policy: enforced(['mycompany']) },
    { type: 'sign-in-started' },
    { type: 'sign-in-succeeded', session, now: 1000 },
    { type: 'policy', policy: enforced(['other']) },
  );
  const s = agentStatus(snap, []);
  assert.equal(s.state, 'signed-out');
  assert.equal(s.user, null);
  assert.match(s.reason ?? '', /no longer allows organization mycompany/);
  assert.match(renderStatus(s), /bosun login/);
  assert.equal(statusLine(s), 'Sign-in required by your organization');
});

test('offline grace shows its deadline as RFC 3339', () => {
  const snap = after(
    { type: 'policy', policy: enforced(['mycompany']) },
    { type: 'sign-in-started' },
    { type: 'sign-in-succeeded', session, now: 0 },
    { type: 'server-unreachable', now: 1000, graceMs: 60_000 },
  );
  const s = agentStatus(snap, []);
  assert.equal(s.state, 'offline-grace');
  assert.equal(s.graceDeadline, new Date(61_000).toISOString());
  assert.match(statusLine(s), /until 1970-01-01T00:01:01\.000Z/);
});

test('a policy error carries its errors as the reason; an insecure policy warns in any state', () => {
  const bad: PolicyView = { state: 'policy-error', allowedOrgs: [], errors: ['registry.json is not JSON'], insecure: true };
  const s = agentStatus(after({ type: 'policy', policy: bad }), []);
  assert.equal(s.state, 'policy-error');
  assert.equal(s.reason, 'registry.json is not JSON');
  assert.deepEqual(s.policyErrors, ['registry.json is not JSON']);
  assert.match(renderStatus(s), /non-admins/);
});
