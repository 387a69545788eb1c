// Property: a member of an org whose Image Access Management is on can never pull what that IAM
// refuses, whatever credential, org session or client they use. Only an owner of that org (for
// that org's IAM) and a global admin bypass it. Random directories, memberships, roles, IAM
// settings, allowlists, Verified Publishers and credentials, including agent sessions for any org.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AccessFacts, AccessLevel, Credential, GlobalRole, OrgMembership, PatScope } from '../../../src/core/access/accessFacts.js';
import { decideImageAccess } from '../../../src/core/access/imageAccess.js';
import { classifyRepository } from '../../../src/core/access/imageCategory.js';
import { decideAccess } from '../../../src/core/access/repositoryAccess.js';

const ORGS = ['acme', 'beta', 'gamma'];
const NAMESPACES = [...ORGS, 'library', 'bitnami', 'community', 'alice', 'loner'];
const REPOS = NAMESPACES.flatMap((ns) => [`${ns}/tool`, `${ns}/app`]);

const settings = fc.record({
  enabled: fc.boolean(),
  allowOfficial: fc.boolean(),
  allowVerifiedPublishers: fc.boolean(),
  allowlist: fc.subarray(REPOS, { maxLength: 3 }),
});

const membership = (org: string) =>
  fc.record({ org: fc.constant(org), role: fc.constantFrom<OrgMembership['role']>('member', 'editor', 'owner'), imageAccess: settings });

const credential = fc.oneof(
  fc.constant<Credential>({ kind: 'password' }),
  fc.subarray<PatScope>(['read', 'write', 'delete']).map((scopes): Credential => ({ kind: 'pat', scopes })),
  fc.constant<Credential>({ kind: 'refresh' }),
  // An agent session for any org, member or not: the escape tried a session for an org without IAM.
  fc.constantFrom(...ORGS, 'unknownorg').map((orgSession): Credential => ({ kind: 'refresh', orgSession })),
);

const arbFacts: fc.Arbitrary<AccessFacts> = fc
  .record({
    role: fc.constantFrom<GlobalRole>('user', 'user', 'user', 'admin', 'superuser'),
    credential,
    repository: fc.constantFrom(...REPOS),
    visibility: fc.option(fc.constantFrom<'public' | 'private'>('public', 'private'), { nil: undefined }),
    grantLevel: fc.constantFrom<AccessLevel>('none', 'read', 'write', 'admin'),
    memberships: fc.subarray(ORGS, { minLength: 1 }).chain((orgs) => fc.tuple(...orgs.map(membership))),
    anonymousPull: fc.boolean(),
    userNamespaces: fc.boolean(),
    verifiedPublishers: fc.subarray(['bitnami', 'community', 'acme']),
  })
  .map((r): AccessFacts => {
    const ns = r.repository.split('/')[0] as string;
    return {
      principal: { kind: 'user', name: 'alice', role: r.role, disabled: false },
      credential: r.credential,
      repository: r.repository,
      ...(r.visibility ? { repo: { visibility: r.visibility } } : {}),
      namespace: ORGS.includes(ns) ? { kind: 'org', name: ns } : ns === 'alice' ? { kind: 'user', name: ns } : { kind: 'unowned', name: ns },
      grantLevel: r.grantLevel,
      memberships: [...r.memberships],
      server: { anonymousPull: r.anonymousPull, userNamespaces: r.userNamespaces, verifiedPublishers: r.verifiedPublishers },
    };
  });

test('property: no credential of a member of an IAM org yields a pull that org refuses (unless owner of that org or global admin)', () => {
  fc.assert(
    fc.property(arbFacts, (facts) => {
      const decision = decideAccess(facts, ['pull']);
      if (!decision.granted.includes('pull')) return;
      if (facts.principal.kind !== 'user' || facts.principal.role !== 'user') return; // global admins bypass every org's IAM
      for (const m of facts.memberships) {
        if (m.role === 'owner') continue; // owners bypass their own org's IAM, and only it
        // The category as this org sees it: its own namespace is an Organization image, another org's
        // (even one the user belongs to) is not, so no image is laundered through a second org.
        const category = classifyRepository(facts.repository, { organizations: [m.org], verifiedPublishers: facts.server.verifiedPublishers });
        const verdict = decideImageAccess({ repository: facts.repository, category, org: m.org, settings: m.imageAccess, isOwner: false });
        assert.ok(
          verdict.allowed,
          `${facts.repository} was granted to a member of ${m.org} with ${JSON.stringify(facts.credential)}, but ${m.org}'s IAM refuses it: ${verdict.reason}`,
        );
      }
    }),
    { numRuns: 5000 },
  );
});

test('property: the refusal names an org whose IAM refuses, so the user knows whom to ask', () => {
  fc.assert(
    fc.property(arbFacts, (facts) => {
      const decision = decideAccess(facts, ['pull']);
      if (!decision.rule.startsWith('iam.')) return;
      const named = /in org ([a-z]+) /.exec(decision.reason)?.[1];
      const m = facts.memberships.find((x) => x.org === named);
      assert.ok(m, `the denial names an org the user belongs to: ${decision.reason}`);
      assert.ok(m.imageAccess.enabled && m.role !== 'owner', `${named} has IAM on and does not exempt the user`);
    }),
    { numRuns: 3000 },
  );
});

test('property: under strictest (the default), no anonymous pull yields an image that an org of the directory with IAM on refuses', () => {
  const arbAnonymous = fc
    .record({
      repository: fc.constantFrom(...REPOS),
      visibility: fc.option(fc.constantFrom<'public' | 'private'>('public', 'private'), { nil: undefined }),
      directory: fc.subarray(ORGS).chain((orgs) => fc.tuple(...orgs.map((org) => fc.record({ org: fc.constant(org), imageAccess: settings })))),
      mode: fc.constantFrom<'strictest' | undefined>('strictest', undefined),
      verifiedPublishers: fc.subarray(['bitnami', 'community', 'acme']),
    })
    .map((r): AccessFacts => {
      const ns = r.repository.split('/')[0] as string;
      return {
        principal: { kind: 'anonymous' },
        credential: { kind: 'none' },
        repository: r.repository,
        ...(r.visibility ? { repo: { visibility: r.visibility } } : {}),
        namespace: ORGS.includes(ns) ? { kind: 'org', name: ns } : { kind: 'unowned', name: ns },
        grantLevel: 'none',
        memberships: [],
        directoryImageAccess: [...r.directory],
        server: {
          anonymousPull: true,
          ...(r.mode ? { anonymousPullImageAccess: r.mode } : {}),
          userNamespaces: false,
          verifiedPublishers: r.verifiedPublishers,
        },
      };
    });
  fc.assert(
    fc.property(arbAnonymous, (facts) => {
      if (!decideAccess(facts, ['pull']).granted.includes('pull')) return;
      const ns = facts.repository.split('/')[0] as string;
      for (const o of facts.directoryImageAccess ?? []) {
        if (!o.imageAccess.enabled) continue;
        // Each org judges the image as for its own members; official before organization, so an org
        // named library never makes library/ its own.
        const category =
          ns === 'library' ? 'official' : classifyRepository(facts.repository, { organizations: [o.org], verifiedPublishers: facts.server.verifiedPublishers });
        const verdict = decideImageAccess({ repository: facts.repository, category, org: o.org, settings: o.imageAccess, isOwner: false });
        assert.ok(verdict.allowed, `anonymous pull of ${facts.repository} granted though ${o.org}'s IAM refuses it: ${verdict.reason}`);
      }
    }),
    { numRuns: 3000 },
  );
});
