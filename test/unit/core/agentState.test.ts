import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  initialSnapshot,
  reduce,
  mayUseCredentials,
  NO_POLICY,
  type AgentEvent,
  type AgentSnapshot,
  type PolicyView,
  type Session,
} from '../../../src/core/agent/agentState.js';
import { sessionMismatch } from '../../../src/core/agent/storedSession.js';

const enforced = (...orgs: string[]): PolicyView => ({ state: 'enforced', allowedOrgs: orgs, errors: [], insecure: false });
const broken: PolicyView = { state: 'policy-error', allowedOrgs: [], errors: ['registry.json: not JSON'], insecure: false };
const alice: Session = { server: 'http://127.0.0.1:1', user: 'alice', org: 'mycompany' };
const T0 = 1_700_000_000_000;

function run(events: AgentEvent[], from: AgentSnapshot = initialSnapshot()) {
  let snapshot = from;
  const effects = [];
  for (const e of events) {
    const t = reduce(snapshot, e);
    snapshot = t.snapshot;
    effects.push(...t.effects);
  }
  return { snapshot, state: snapshot.state, effects };
}
const signedIn = [
  { type: 'policy', policy: enforced('mycompany', 'other') },
  { type: 'sign-in-started' },
  { type: 'sign-in-succeeded', session: alice, now: T0 },
] as AgentEvent[];

test('starts with no policy and hands out nothing', () => {
  const s = initialSnapshot();
  assert.equal(s.state.name, 'no-policy');
  assert.equal(mayUseCredentials(s.state), false);
});

test('an enforced policy with nobody signed in → signed-out, with a sign-in-required notification', () => {
  const r = run([{ type: 'policy', policy: enforced('mycompany') }]);
  assert.equal(r.state.name, 'signed-out');
  assert.equal(mayUseCredentials(r.state), false);
  assert.deepEqual(
    r.effects.map((e) => e.kind === 'notify' && e.topic),
    ['sign-in-required'],
  );
});

test('signed-out → signing-in → signed-in (user, org)', () => {
  const r = run(signedIn);
  assert.equal(r.state.name, 'signed-in');
  assert.ok(r.state.name === 'signed-in' && r.state.session.user === 'alice' && r.state.session.org === 'mycompany');
  assert.equal(mayUseCredentials(r.state), true);
});

test('signing-in → signed-out with the failure message', () => {
  const r = run([{ type: 'policy', policy: enforced('mycompany') }, { type: 'sign-in-started' }, { type: 'sign-in-failed', message: 'wrong password' }]);
  assert.equal(r.state.name, 'signed-out');
  assert.ok(r.state.name === 'signed-out' && r.state.reason === 'wrong password');
});

test('a sign-in to an org outside allowedOrgs is refused (the core revokes the unaccepted session)', () => {
  const r = run([
    { type: 'policy', policy: enforced('mycompany') },
    { type: 'sign-in-started' },
    { type: 'sign-in-succeeded', session: { ...alice, org: 'elsewhere' }, now: T0 },
  ]);
  assert.equal(r.state.name, 'signed-out');
  assert.equal(mayUseCredentials(r.state), false);
});

test('a sign-in while signed in keeps the held session in use until the new one succeeds', () => {
  const started = run([...signedIn, { type: 'sign-in-started' }]);
  assert.equal(started.state.name, 'signed-in');
  assert.equal(mayUseCredentials(started.state), true, 'still handed out during the attempt');
  const failed = run([{ type: 'sign-in-failed', message: 'wrong password' }], started.snapshot);
  assert.equal(failed.state.name, 'signed-in');
  assert.ok(failed.state.name === 'signed-in' && failed.state.session.user === 'alice');
  assert.deepEqual(failed.effects, [], 'nothing is erased');
  const bob: Session = { ...alice, user: 'bob', org: 'other' };
  const replaced = run([{ type: 'sign-in-succeeded', session: bob, now: T0 + 1, replaces: alice }], started.snapshot);
  assert.ok(replaced.state.name === 'signed-in' && replaced.state.session.user === 'bob' && replaced.state.verifiedAt === T0 + 1);
  const refused = run([{ type: 'sign-in-succeeded', session: { ...bob, org: 'not-allowed' }, now: T0 + 1, replaces: alice }], started.snapshot);
  assert.ok(refused.state.name === 'signed-in' && refused.state.session.user === 'alice', 'a refused new session leaves the held one');
  const late = run([{ type: 'sign-in-succeeded', session: bob, now: T0 + 1 }], started.snapshot);
  assert.ok(late.state.name === 'signed-in' && late.state.session.user === 'alice', 'a result not started from this session is ignored');
});

test('a restored session is handed out only once the server confirmed it; unreachable keeps it dormant', () => {
  const restored = run([
    { type: 'policy', policy: enforced('mycompany') },
    { type: 'restored', session: alice },
  ]);
  assert.equal(restored.state.name, 'signed-in');
  assert.equal(mayUseCredentials(restored.state), false);
  assert.equal(mayUseCredentials(run([{ type: 'check-passed', now: T0 }], restored.snapshot).state), true);
  const offline = run([{ type: 'server-unreachable', now: T0, graceMs: 1000 }], restored.snapshot);
  assert.ok(offline.state.name === 'signed-out' && offline.state.dormant?.user === 'alice', 'no offline grace for an unconfirmed session');
  assert.equal(mayUseCredentials(offline.state), false);
  const mismatch = run([{ type: 'session-invalid', why: 'session-mismatch', message: 'belongs to alice · elsewhere' }], restored.snapshot);
  assert.ok(mismatch.state.name === 'signed-out' && mismatch.state.reason === 'belongs to alice · elsewhere');
  assert.ok(mismatch.effects.some((e) => e.kind === 'erase-credentials' && e.revoke));
});

test('a session the agent stops using for good is revoked on the server, not only erased', () => {
  const dropped = run([...signedIn, { type: 'policy', policy: enforced('other') }]);
  assert.ok(dropped.effects.some((e) => e.kind === 'erase-credentials' && e.revoke && e.session.org === 'mycompany'));
  const revoked = run([...signedIn, { type: 'session-invalid', why: 'membership-revoked', message: 'gone' }]);
  assert.ok(revoked.effects.some((e) => e.kind === 'erase-credentials' && e.revoke));
  const policyChange = run([...signedIn, { type: 'check-passed', now: T0 + 5 }, { type: 'policy', policy: enforced('mycompany') }]);
  assert.equal(mayUseCredentials(policyChange.state), true, 'a confirmed session stays usable across a policy change');
});

test('the policy dropping the session org → signed-out and credentials erased', () => {
  const r = run([...signedIn, { type: 'policy', policy: enforced('other') }]);
  assert.equal(r.state.name, 'signed-out');
  assert.ok(r.effects.some((e) => e.kind === 'erase-credentials' && e.session.org === 'mycompany'));
  assert.ok(r.effects.some((e) => e.kind === 'notify' && e.topic === 'signed-out' && /no longer allows mycompany/.test(e.message)));
});

test('a policy change that still allows the org keeps the session and re-checks membership', () => {
  const r = run([...signedIn, { type: 'policy', policy: enforced('mycompany') }]);
  assert.equal(r.state.name, 'signed-in');
  assert.ok(r.effects.some((e) => e.kind === 'check-session'));
});

test('re-reading an identical policy changes nothing', () => {
  const r1 = run(signedIn);
  const t = reduce(r1.snapshot, { type: 'policy', policy: enforced('mycompany', 'other') });
  assert.deepEqual(t.snapshot.state, r1.snapshot.state);
  assert.deepEqual(t.effects, []);
});

test('an invalid policy fails closed: policy-error, nothing handed out, identity kept', () => {
  const r = run([...signedIn, { type: 'policy', policy: broken }]);
  assert.equal(r.state.name, 'policy-error');
  assert.equal(mayUseCredentials(r.state), false);
  assert.ok(!r.effects.some((e) => e.kind === 'erase-credentials'));
  // Fixing the policy brings the session back, re-checked.
  const fixed = reduce(r.snapshot, { type: 'policy', policy: enforced('mycompany') });
  assert.equal(fixed.snapshot.state.name, 'signed-in');
  assert.ok(fixed.effects.some((e) => e.kind === 'check-session'));
});

test('sign-in cannot start while the policy is in error', () => {
  const r = run([{ type: 'policy', policy: broken }, { type: 'sign-in-started' }]);
  assert.equal(r.state.name, 'policy-error');
});

test('membership revoked → signed-out, credentials erased, the reason shown', () => {
  const r = run([...signedIn, { type: 'session-invalid', why: 'membership-revoked', message: 'alice is no longer a member of mycompany.' }]);
  assert.equal(r.state.name, 'signed-out');
  assert.ok(r.state.name === 'signed-out' && r.state.reason === 'alice is no longer a member of mycompany.');
  assert.ok(r.effects.some((e) => e.kind === 'erase-credentials'));
});

test('token revoked → signed-out', () => {
  const r = run([...signedIn, { type: 'session-invalid', why: 'token-revoked', message: 'revoked' }]);
  assert.equal(r.state.name, 'signed-out');
});

test('server unreachable → offline grace with a visible deadline; repeated failures do not extend it', () => {
  const r = run([
    ...signedIn,
    { type: 'server-unreachable', now: T0 + 10, graceMs: 60_000 },
    { type: 'server-unreachable', now: T0 + 20_000, graceMs: 60_000 },
  ]);
  assert.equal(r.state.name, 'offline-grace');
  assert.ok(r.state.name === 'offline-grace' && r.state.deadline === T0 + 10 + 60_000);
  assert.equal(mayUseCredentials(r.state), true);
});

test('offline grace ends → signed-out, identity kept dormant; back online → signed-in again', () => {
  const r = run([...signedIn, { type: 'server-unreachable', now: T0, graceMs: 1000 }, { type: 'tick', now: T0 + 999 }]);
  assert.equal(r.state.name, 'offline-grace');
  const ended = run([{ type: 'tick', now: T0 + 1000 }], r.snapshot);
  assert.equal(ended.state.name, 'signed-out');
  assert.equal(mayUseCredentials(ended.state), false);
  assert.ok(ended.effects.some((e) => e.kind === 'notify' && e.topic === 'grace-ended'));
  const back = run([{ type: 'check-passed', now: T0 + 5000 }], ended.snapshot);
  assert.equal(back.state.name, 'signed-in');
});

test('offline grace → signed-in when a check passes', () => {
  const r = run([...signedIn, { type: 'server-unreachable', now: T0, graceMs: 1000 }, { type: 'check-passed', now: T0 + 1 }]);
  assert.equal(r.state.name, 'signed-in');
});

test('a restored identity is signed-in pending a check; one for a disallowed org is erased', () => {
  const ok = run([
    { type: 'policy', policy: enforced('mycompany') },
    { type: 'restored', session: alice },
  ]);
  assert.equal(ok.state.name, 'signed-in');
  assert.ok(ok.effects.some((e) => e.kind === 'check-session'));
  const bad = run([
    { type: 'policy', policy: enforced('other') },
    { type: 'restored', session: alice },
  ]);
  assert.equal(bad.state.name, 'signed-out');
  assert.ok(bad.effects.some((e) => e.kind === 'erase-credentials'));
});

test('sign-out erases the identity', () => {
  const r = run([...signedIn, { type: 'sign-out-requested' }]);
  assert.equal(r.state.name, 'signed-out');
  assert.ok(r.effects.some((e) => e.kind === 'erase-credentials' && e.session.user === 'alice'));
});

test('the policy going away keeps the session but enforces nothing', () => {
  const r = run([...signedIn, { type: 'policy', policy: NO_POLICY }]);
  assert.equal(r.state.name, 'no-policy');
  assert.ok(r.state.name === 'no-policy' && r.state.session?.user === 'alice');
  assert.ok(r.effects.some((e) => e.kind === 'notify' && e.topic === 'policy-changed'));
});

test('a late sign-in result after sign-out is ignored', () => {
  const r = run([
    { type: 'policy', policy: enforced('mycompany') },
    { type: 'sign-in-succeeded', session: alice, now: T0 },
  ]);
  assert.equal(r.state.name, 'signed-out');
});

test('a stored token is the session its keychain label names only when the server says so', () => {
  const label: Session = { server: 'http://127.0.0.1:1', user: 'bob', org: 'mycompany' };
  assert.equal(sessionMismatch(label, { user: 'bob', org: 'mycompany' }), undefined);
  assert.match(sessionMismatch(label, { user: 'bob', org: 'partner' }) ?? '', /labelled bob · mycompany, but the server says it belongs to bob · partner/);
  assert.match(sessionMismatch(label, { user: 'mallory', org: 'mycompany' }) ?? '', /belongs to mallory · mycompany/);
  assert.match(sessionMismatch(label, { user: 'bob', org: null }) ?? '', /belongs to bob · no organization/);
  assert.match(sessionMismatch(label, {}) ?? '', /an unknown user · no organization/, 'an answer without user and org is not a confirmation');
});
