import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseOrg } from '../../../src/core/agent/orgChoice.js';

test('one qualifying org binds the session to it', () => {
  assert.deepEqual(chooseOrg('alice', ['mycompany', 'hobby'], ['mycompany']), { kind: 'bound', org: 'mycompany' });
});

test('several qualifying orgs ask the user to pick, in policy order', () => {
  assert.deepEqual(chooseOrg('alice', ['b', 'a', 'c'], ['c', 'a']), { kind: 'pick', orgs: ['c', 'a'] });
});

test('a non-member is refused with a message naming the account and the allowed orgs', () => {
  const r = chooseOrg('alice', ['hobby'], ['mycompany', 'other']);
  assert.equal(r.kind, 'refused');
  assert.ok(r.kind === 'refused');
  assert.match(r.message, /^alice is not a member of any of mycompany, other/);
  assert.match(r.message, /ask an owner of mycompany or other to add alice/);
});

test('a requested org must be allowed and a membership of the user', () => {
  assert.deepEqual(chooseOrg('alice', ['a', 'b'], ['a', 'b'], 'B'), { kind: 'bound', org: 'b' });
  const notAllowed = chooseOrg('alice', ['a', 'x'], ['a'], 'x');
  assert.ok(notAllowed.kind === 'refused' && /not an organization this machine's policy allows/.test(notAllowed.message));
  const notMember = chooseOrg('alice', ['a'], ['a', 'b'], 'b');
  assert.ok(notMember.kind === 'refused' && /alice is not a member of b/.test(notMember.message));
});

test('org names from the server are compared case-insensitively', () => {
  assert.deepEqual(chooseOrg('alice', ['MyCompany'], ['mycompany']), { kind: 'bound', org: 'mycompany' });
});

test("without a policy any of the user's orgs qualifies", () => {
  assert.deepEqual(chooseOrg('alice', ['b', 'a'], []), { kind: 'pick', orgs: ['a', 'b'] });
  assert.equal(chooseOrg('alice', [], []).kind, 'refused');
});
