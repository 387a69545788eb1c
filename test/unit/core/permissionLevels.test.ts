import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccessLevel } from '../../../src/core/access/accessFacts.js';
import {
  ACCESS_LEVELS,
  accessLevelAtLeast,
  actionsForLevel,
  formatAccessLevel,
  highestAccessLevel,
  levelAllows,
  minimumLevelForAction,
  orgRoleAtLeast,
  parseAccessLevel,
  parseOrgRole,
  parsePatScope,
  patScopeActions,
  patScopeFor,
} from '../../../src/core/access/permissionLevels.js';

test('levels form a chain none < read < write < admin; the highest grant wins', () => {
  assert.equal(highestAccessLevel(), 'none');
  assert.equal(highestAccessLevel('read', 'admin', 'write'), 'admin');
  assert.equal(highestAccessLevel('none', 'read'), 'read');
  for (const a of ACCESS_LEVELS)
    for (const b of ACCESS_LEVELS) {
      assert.equal(accessLevelAtLeast(a, b), ACCESS_LEVELS.indexOf(a) >= ACCESS_LEVELS.indexOf(b), `${a} ≥ ${b}`);
    }
});

test('what each level allows', () => {
  assert.deepEqual(actionsForLevel('none'), []);
  assert.deepEqual(actionsForLevel('read'), ['pull']);
  assert.deepEqual(actionsForLevel('write'), ['pull', 'push', 'delete']);
  assert.deepEqual(actionsForLevel('admin'), ['pull', 'push', 'delete']);
  assert.equal(levelAllows('read', 'view'), true);
  assert.equal(levelAllows('read', 'push'), false);
  assert.equal(levelAllows('write', 'delete-tags'), true);
  assert.equal(levelAllows('write', 'change-visibility'), false);
  assert.equal(levelAllows('admin', 'delete-repository'), true);
  assert.equal(levelAllows('admin', 'manage-access'), true);
  assert.equal(minimumLevelForAction('pull'), 'read');
  assert.equal(minimumLevelForAction('delete'), 'write');
  // Monotone: a higher level never allows less.
  for (const l of ACCESS_LEVELS.slice(1)) {
    const lower = ACCESS_LEVELS[ACCESS_LEVELS.indexOf(l) - 1] as AccessLevel;
    for (const a of actionsForLevel(lower)) assert.ok(actionsForLevel(l).includes(a));
  }
});

test('level names in plain, Docker Hub/DTR and UCP form, case-insensitive', () => {
  const table: Array<[string, AccessLevel | undefined]> = [
    ['none', 'none'],
    ['READ', 'read'],
    ['write', 'write'],
    ['Admin', 'admin'],
    ['read-only', 'read'],
    ['Read-Write', 'write'],
    ['read_only', 'read'],
    ['  read only ', 'read'],
    ['No Access', 'none'],
    ['view only', 'read'],
    ['Restricted Control', 'write'],
    ['FULL CONTROL', 'admin'],
    ['full-control', 'admin'],
    ['owner', undefined],
    ['', undefined],
    ['readwrite', undefined],
    ['constructor', undefined],
    ['__proto__', undefined],
  ];
  for (const [text, level] of table) assert.equal(parseAccessLevel(text), level, text);
  for (const l of ACCESS_LEVELS) {
    for (const form of ['plain', 'hub', 'ucp'] as const) assert.equal(parseAccessLevel(formatAccessLevel(l, form)), l, `${l} ${form}`);
  }
  assert.equal(formatAccessLevel('write', 'ucp'), 'Restricted Control');
  assert.equal(formatAccessLevel('read', 'hub'), 'read-only');
});

test('org roles member < editor < owner', () => {
  assert.equal(orgRoleAtLeast('owner', 'editor'), true);
  assert.equal(orgRoleAtLeast('member', 'editor'), false);
  assert.equal(parseOrgRole(' Owner '), 'owner');
  assert.equal(parseOrgRole('admin'), undefined);
});

test('PAT scopes cap: read → pull; write → pull, push; delete → pull, push, delete; none → nothing', () => {
  assert.deepEqual(patScopeActions([]), []);
  assert.deepEqual(patScopeActions(['read']), ['pull']);
  assert.deepEqual(patScopeActions(['write']), ['pull', 'push']);
  assert.deepEqual(patScopeActions(['delete']), ['pull', 'push', 'delete']);
  assert.deepEqual(patScopeActions(['read', 'write']), ['pull', 'push']);
  assert.equal(patScopeFor('push'), 'write');
  assert.equal(parsePatScope('Read & Write'), 'write');
  assert.equal(parsePatScope('Read, Write, Delete'), 'delete');
  assert.equal(parsePatScope('read-only'), 'read');
  assert.equal(parsePatScope('admin'), undefined);
});
