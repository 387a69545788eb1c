// Property: no refresh token grants more than the credential it came from. A refresh token minted
// from a PAT carries the PAT's scopes (src/core/access/credentialCap.ts), so over any facts:
//  - a `docker login` token from a PAT (no org session) decides exactly as that PAT does;
//  - an agent session from a PAT (org session + scopes) never grants an action outside the PAT's
//    scopes, nor more than the same org session signed in with a password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AccessFacts, AccessLevel, GlobalRole, ImageAccessSettings, OrgMembership, PatScope, RepoAction } from '../../../src/core/access/accessFacts.js';
import { patScopeActions } from '../../../src/core/access/permissionLevels.js';
import { decideAccess } from '../../../src/core/access/repositoryAccess.js';

const ORGS = ['acme', 'other'] as const;
const REPOSITORIES = ['acme/api', 'other/tool', 'library/alpine', 'bitnami/redis', 'community/tool', 'bob/own'];

const imageAccess: fc.Arbitrary<ImageAccessSettings> = fc.record({
  enabled: fc.boolean(),
  allowOfficial: fc.boolean(),
  allowVerifiedPublishers: fc.boolean(),
  allowlist: fc.subarray(REPOSITORIES),
});

const memberships: fc.Arbitrary<OrgMembership[]> = fc
  .subarray([...ORGS])
  .chain((orgs) =>
    fc.tuple(...orgs.map((org) => fc.record({ org: fc.constant(org), role: fc.constantFrom('member', 'editor', 'owner' as const), imageAccess }))),
  )
  .map((ms) => [...ms]);

const scopes: fc.Arbitrary<PatScope[]> = fc.subarray(['read', 'write', 'delete'] as PatScope[]);
const requested: fc.Arbitrary<RepoAction[]> = fc.subarray(['pull', 'push', 'delete'] as RepoAction[], { minLength: 1 });

/** Facts about bob and one repository, without the credential (set per case below). */
const factsWithout: fc.Arbitrary<Omit<AccessFacts, 'credential'>> = fc
  .record({
    role: fc.constantFrom<GlobalRole>('user', 'admin', 'superuser'),
    disabled: fc.boolean(),
    repository: fc.constantFrom(...REPOSITORIES),
    exists: fc.boolean(),
    visibility: fc.constantFrom('public', 'private' as const),
    grantLevel: fc.constantFrom<AccessLevel>('none', 'read', 'write', 'admin'),
    memberships,
    anonymousPull: fc.boolean(),
    userNamespaces: fc.boolean(),
  })
  .map((r) => {
    const ns = r.repository.split('/')[0] as string;
    const namespace: AccessFacts['namespace'] = (ORGS as readonly string[]).includes(ns)
      ? { kind: 'org', name: ns }
      : ns === 'bob'
        ? { kind: 'user', name: ns }
        : { kind: 'unowned', name: ns };
    return {
      principal: { kind: 'user', name: 'bob', role: r.role, disabled: r.disabled },
      repository: r.repository,
      ...(r.exists ? { repo: { visibility: r.visibility } } : {}),
      namespace,
      grantLevel: r.grantLevel,
      memberships: r.memberships,
      server: { anonymousPull: r.anonymousPull, userNamespaces: r.userNamespaces, verifiedPublishers: ['bitnami'] },
    };
  });

test('a docker-login refresh token minted from a PAT grants exactly what the PAT grants, never more', () => {
  fc.assert(
    fc.property(factsWithout, scopes, requested, (facts, patScopes, wanted) => {
      const fromPat = decideAccess({ ...facts, credential: { kind: 'pat', scopes: patScopes } }, wanted);
      const fromRefresh = decideAccess({ ...facts, credential: { kind: 'refresh', scopes: patScopes } }, wanted);
      for (const a of fromRefresh.granted)
        assert.ok(fromPat.granted.includes(a), `the refresh token granted ${a}; the PAT (${patScopes.join(',') || 'no scopes'}) would not`);
      assert.deepEqual(fromRefresh.granted, fromPat.granted);
    }),
    { numRuns: 2000 },
  );
});

test("an agent session minted from a PAT keeps the PAT's scopes and grants no more than its org session would", () => {
  fc.assert(
    fc.property(factsWithout, fc.constantFrom(...ORGS), scopes, requested, (facts, org, patScopes, wanted) => {
      const session = decideAccess({ ...facts, credential: { kind: 'refresh', orgSession: org, scopes: patScopes } }, wanted);
      const unscoped = decideAccess({ ...facts, credential: { kind: 'refresh', orgSession: org } }, wanted);
      const cap = patScopeActions(patScopes);
      for (const a of session.granted) {
        assert.ok(cap.includes(a), `granted ${a} outside the PAT's scopes (${patScopes.join(',') || 'none'})`);
        assert.ok(unscoped.granted.includes(a), `granted ${a}, which the org session alone would not`);
      }
    }),
    { numRuns: 2000 },
  );
});

test("a read-only PAT's refresh token is refused push and delete with the token-scope reason", () => {
  const d = decideAccess(
    {
      principal: { kind: 'user', name: 'bob', role: 'user', disabled: false },
      credential: { kind: 'refresh', scopes: ['read'] },
      repository: 'acme/api',
      repo: { visibility: 'private' },
      namespace: { kind: 'org', name: 'acme' },
      grantLevel: 'write',
      memberships: [{ org: 'acme', role: 'member', imageAccess: { enabled: false, allowOfficial: true, allowVerifiedPublishers: true, allowlist: [] } }],
      server: { anonymousPull: false, userNamespaces: false, verifiedPublishers: [] },
    },
    ['pull', 'push', 'delete'],
  );
  assert.deepEqual(d.granted, ['pull']);
  assert.equal(d.rule, 'deny.token-scope');
  assert.match(d.reason, /has scope read; pushing acme\/api needs a token with write scope/);
});
