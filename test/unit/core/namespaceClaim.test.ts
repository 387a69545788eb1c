import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideOrgCreation, namespaceOccupiedBecause, type NamespaceOccupancy } from '../../../src/core/access/namespaceClaim.js';

const free = (name: string, over: Partial<NamespaceOccupancy> = {}): NamespaceOccupancy => ({
  name,
  repositories: 0,
  grants: 0,
  verifiedPublishers: ['Bitnami'],
  ...over,
});

test("a free name is anyone's; nothing to audit as a takeover", () => {
  assert.deepEqual(decideOrgCreation(free('newco'), false), { allowed: true, occupied: [] });
});

test('library, Verified Publishers (any case), namespaces with repositories or grants are reserved for administrators', () => {
  const reserved: Array<[NamespaceOccupancy, string]> = [
    [free('library'), 'library is the namespace of Docker Official Images'],
    [free('bitnami'), 'bitnami is a Verified Publisher namespace'],
    [free('acme', { repositories: 2 }), 'the acme namespace already holds 2 repositories'],
    [free('acme', { grants: 1 }), '1 grant names the acme namespace or repositories in it'],
  ];
  for (const [o, why] of reserved) {
    const user = decideOrgCreation(o, false);
    assert.equal(user.allowed, false, o.name);
    if (!user.allowed) {
      assert.equal(
        user.reason,
        `the org name ${o.name} is reserved: ${why}. Its owners would own what is already there, so only a Bosun administrator may create this org. Choose another name, or ask a Bosun administrator.`,
      );
    }
    assert.deepEqual(decideOrgCreation(o, true), { allowed: true, occupied: [why] });
  }
  assert.equal(namespaceOccupiedBecause(free('library', { repositories: 1, grants: 3 })).length, 3);
});
