// Named cases: one or more per rule of decideAccess, with the exact words the user sees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type {
  AccessFacts,
  AccessLevel,
  Credential,
  GlobalRole,
  ImageAccessSettings,
  OrgMembership,
  PatScope,
  RepoAction,
} from '../../../src/core/access/accessFacts.js';
import { applicableOrgs, decideAccess, decideCatalogAccess } from '../../../src/core/access/repositoryAccess.js';

const IAM_OFF: ImageAccessSettings = { enabled: false, allowOfficial: false, allowVerifiedPublishers: false, allowlist: [] };
const IAM_OFFICIAL: ImageAccessSettings = { enabled: true, allowOfficial: true, allowVerifiedPublishers: false, allowlist: ['somebody/tool'] };
const IAM_STRICT: ImageAccessSettings = { enabled: true, allowOfficial: false, allowVerifiedPublishers: false, allowlist: [] };

const alice = { kind: 'user', name: 'alice', role: 'user', disabled: false } as const;

/** mycompany/api, private, alice a member of mycompany with no grant, password sign-in. */
function facts(over: Partial<AccessFacts> = {}): AccessFacts {
  return {
    principal: alice,
    credential: { kind: 'password' },
    repository: 'mycompany/api',
    repo: { visibility: 'private' },
    namespace: { kind: 'org', name: 'mycompany' },
    grantLevel: 'none',
    memberships: [{ org: 'mycompany', role: 'member', imageAccess: IAM_OFFICIAL }],
    server: { anonymousPull: true, userNamespaces: false, verifiedPublishers: ['bitnami'] },
    ...over,
  };
}
const member = (org: string, role: OrgMembership['role'], imageAccess = IAM_OFF): OrgMembership => ({ org, role, imageAccess });

test('request.empty: asking for nothing grants nothing', () => {
  const d = decideAccess(facts({ grantLevel: 'admin' }), []);
  assert.deepEqual(d.granted, []);
  assert.equal(d.rule, 'request.empty');
});

test('account.disabled: a disabled account gets nothing, even as superuser', () => {
  const d = decideAccess(facts({ principal: { ...alice, role: 'superuser', disabled: true } }), ['pull']);
  assert.deepEqual(d, { granted: [], rule: 'account.disabled', reason: 'account alice is disabled. Ask a Bosun administrator to re-enable it.' });
});

test('session.not-a-member: an org session whose org the user left is void', () => {
  const d = decideAccess(facts({ credential: { kind: 'refresh', orgSession: 'oldco' }, repo: { visibility: 'public' } }), ['pull']);
  assert.equal(d.rule, 'session.not-a-member');
  assert.deepEqual(d.granted, []);
  assert.match(d.reason, /session is for org oldco, but alice is no longer a member of oldco\. Sign in again with Bosun/);
});

test('anonymous: public pull when allowed; the sign-in message otherwise, in the issue’s words', () => {
  const anon = {
    principal: { kind: 'anonymous' } as const,
    credential: { kind: 'none' } as const,
    memberships: [],
    directoryImageAccess: [{ org: 'mycompany', imageAccess: IAM_OFFICIAL }],
  };
  const pub = decideAccess(facts({ ...anon, repo: { visibility: 'public' } }), ['pull']);
  assert.deepEqual(pub.granted, ['pull']);
  assert.equal(pub.rule, 'anonymous.public-pull');

  const priv = decideAccess(facts(anon), ['pull']);
  assert.deepEqual(priv, {
    granted: [],
    rule: 'anonymous.sign-in-to-pull',
    reason: 'sign-in required: this registry accepts pulls only from members of mycompany signed in with Bosun.',
  });
  const off = decideAccess(
    facts({ ...anon, repo: { visibility: 'public' }, server: { anonymousPull: false, userNamespaces: false, verifiedPublishers: [] } }),
    ['pull'],
  );
  assert.deepEqual(off, priv);

  const personal = decideAccess(facts({ ...anon, directoryImageAccess: [], repository: 'bob/tool', namespace: { kind: 'user', name: 'bob' } }), ['pull']);
  assert.equal(personal.reason, 'sign-in required: pulling bob/tool needs a signed-in user. Sign in with Bosun (or docker login).');

  const push = decideAccess(facts({ ...anon, repo: { visibility: 'public' } }), ['pull', 'push']);
  assert.deepEqual(push.granted, ['pull']);
  assert.equal(push.rule, 'anonymous.sign-in-to-push');
  assert.equal(push.reason, 'sign-in required: pushing to mycompany/api needs a signed-in user with write access. Sign in with Bosun (or docker login).');
});

test('grant.team-or-user: a team grant gives its level; the highest of grant and visibility wins', () => {
  const d = decideAccess(facts({ grantLevel: 'read' }), ['pull']);
  assert.deepEqual(d.granted, ['pull']);
  assert.equal(d.rule, 'grant.team-or-user');
  assert.equal(decideAccess(facts({ grantLevel: 'write', repo: { visibility: 'public' } }), ['pull', 'push']).rule, 'grant.team-or-user');
  assert.deepEqual(decideAccess(facts({ grantLevel: 'write' }), ['pull', 'push', 'delete']).granted, ['pull', 'push', 'delete']);
});

test('grant.public-repository: any signed-in user pulls a public repository, whatever anonymousPull says', () => {
  const d = decideAccess(
    facts({ memberships: [], repo: { visibility: 'public' }, server: { anonymousPull: false, userNamespaces: false, verifiedPublishers: [] } }),
    ['pull'],
  );
  assert.deepEqual(d.granted, ['pull']);
  assert.equal(d.rule, 'grant.public-repository');
});

test('grant.org-owner, grant.org-editor, grant.global-admin, grant.personal-namespace', () => {
  assert.equal(decideAccess(facts({ memberships: [member('mycompany', 'owner')] }), ['push']).rule, 'grant.org-owner');
  assert.equal(decideAccess(facts({ memberships: [member('mycompany', 'editor')] }), ['delete']).rule, 'grant.org-editor');
  assert.equal(decideAccess(facts({ principal: { ...alice, role: 'admin' }, memberships: [] }), ['push']).rule, 'grant.global-admin');
  assert.equal(
    decideAccess(facts({ repository: 'alice/tool', namespace: { kind: 'user', name: 'alice' }, memberships: [] }), ['pull', 'push']).rule,
    'grant.personal-namespace',
  );
});

test('create.*: first push creates a repository for editors, owners, namespace writers, admins and (when allowed) the namespace owner', () => {
  const absent = { repo: undefined } as Partial<AccessFacts>;
  const ask = ['pull', 'push'] as const;
  assert.equal(decideAccess(facts({ ...absent, memberships: [member('mycompany', 'owner')] }), [...ask]).rule, 'create.org-owner');
  assert.equal(decideAccess(facts({ ...absent, memberships: [member('mycompany', 'editor')] }), [...ask]).rule, 'create.org-editor');
  assert.equal(decideAccess(facts({ ...absent, grantLevel: 'write' }), [...ask]).rule, 'create.namespace-grant');
  assert.equal(decideAccess(facts({ ...absent, principal: { ...alice, role: 'superuser' } }), [...ask]).rule, 'create.global-admin');
  const own = facts({
    ...absent,
    repository: 'alice/new',
    namespace: { kind: 'user', name: 'alice' },
    memberships: [],
    server: { anonymousPull: true, userNamespaces: true, verifiedPublishers: [] },
  });
  const d = decideAccess(own, [...ask]);
  assert.deepEqual(d.granted, ['pull', 'push']);
  assert.equal(d.rule, 'create.personal-namespace');
});

test('deny.needs-write: the issue’s read-only push message, and the public variant', () => {
  const d = decideAccess(facts({ grantLevel: 'read' }), ['pull', 'push']);
  assert.deepEqual(d.granted, ['pull']);
  assert.equal(d.rule, 'deny.needs-write');
  assert.equal(d.reason, 'alice has read access to mycompany/api; pushing needs write. Ask an owner of mycompany for write access.');
  const pub = decideAccess(facts({ repo: { visibility: 'public' } }), ['delete']);
  assert.equal(pub.reason, 'alice may pull mycompany/api because it is public; deleting needs write. Ask an owner of mycompany for write access.');
  const unowned = decideAccess(facts({ repository: 'library/alpine', namespace: { kind: 'unowned', name: 'library' }, repo: { visibility: 'public' } }), [
    'push',
  ]);
  assert.match(unowned.reason, /Ask a Bosun administrator for write access\.$/);
});

test('deny.no-access: one message for private-without-grant and missing, for pulls and pushes', () => {
  const priv = decideAccess(facts(), ['pull']);
  const missing = decideAccess(facts({ repo: undefined }), ['pull']);
  assert.deepEqual(priv, missing);
  assert.equal(priv.rule, 'deny.no-access');
  assert.equal(priv.reason, 'alice may not pull mycompany/api: it does not exist or alice has no access to it. Ask an owner of mycompany for read access.');
  const privPush = decideAccess(facts(), ['push']);
  assert.deepEqual(privPush, decideAccess(facts({ repo: undefined }), ['push']));
  assert.equal(
    privPush.reason,
    'alice may not push to mycompany/api: it does not exist or alice has no access to it. Pushing needs write access to the repository or the right to create repositories in mycompany. Ask an owner of mycompany.',
  );
  const del = decideAccess(facts(), ['delete']);
  assert.deepEqual(del, decideAccess(facts({ repo: undefined }), ['delete']));
  assert.equal(
    del.reason,
    'alice may not delete from mycompany/api: it does not exist or alice has no access to it. Deleting needs write access to the repository. Ask an owner of mycompany.',
  );
  const other = decideAccess(facts({ repository: 'bob/secret', namespace: { kind: 'user', name: 'bob' }, memberships: [member('mycompany', 'member')] }), [
    'pull',
  ]);
  assert.match(other.reason, /Ask bob, who owns the bob namespace, for read access\.$/);
});

test('deny.create-not-allowed and deny.personal-namespaces-disabled: readers may not create', () => {
  const d = decideAccess(facts({ repo: undefined, grantLevel: 'read' }), ['pull', 'push']);
  assert.deepEqual(d.granted, ['pull']);
  assert.equal(d.rule, 'deny.create-not-allowed');
  assert.equal(
    d.reason,
    'alice may not create mycompany/api: creating repositories in mycompany needs the editor role or write access to the namespace. Ask an owner of mycompany.',
  );
  const own = decideAccess(facts({ repo: undefined, repository: 'alice/new', namespace: { kind: 'user', name: 'alice' }, memberships: [] }), ['pull', 'push']);
  assert.equal(own.rule, 'deny.personal-namespaces-disabled');
  assert.match(own.reason, /^alice may not create alice\/new: this server does not let users create repositories in their personal namespace/);
});

test('deny.token-scope: a PAT caps what the user could otherwise do, and says which scope is missing', () => {
  const pat = (scopes: Array<'read' | 'write' | 'delete'>) => facts({ credential: { kind: 'pat', scopes }, grantLevel: 'admin' });
  const read = decideAccess(pat(['read']), ['pull', 'push']);
  assert.deepEqual(read.granted, ['pull']);
  assert.equal(read.rule, 'deny.token-scope');
  assert.equal(
    read.reason,
    'the personal access token alice signed in with has scope read; pushing mycompany/api needs a token with write scope. Create one and sign in with it.',
  );
  assert.deepEqual(decideAccess(pat(['write']), ['pull', 'push', 'delete']).granted, ['pull', 'push']);
  assert.deepEqual(decideAccess(pat(['delete']), ['pull', 'push', 'delete']).granted, ['pull', 'push', 'delete']);
  assert.match(decideAccess(pat([]), ['pull']).reason, /has no scopes; pulling mycompany\/api needs a token with read scope/);
  // The level explains first: a read-only member with a delete-scope PAT is told about write access, not the token.
  assert.equal(decideAccess(facts({ credential: { kind: 'pat', scopes: ['delete'] }, grantLevel: 'read' }), ['push']).rule, 'deny.needs-write');
});

test('iam.*: the issue’s community denial message, word for word; org images and owners pass', () => {
  const community = facts({ repository: 'community/tool', namespace: { kind: 'user', name: 'community' }, repo: { visibility: 'public' } });
  assert.deepEqual(decideAccess(community, ['pull']), {
    granted: [],
    rule: 'iam.community-disabled',
    reason:
      'community/tool is a Community image; Image Access Management in org mycompany allows only organization images and Docker Official Images. Ask an owner of mycompany to allow-list it.',
  });
  // Owners bypass, and so do server admins, who run every org's settings.
  assert.deepEqual(decideAccess({ ...community, memberships: [member('mycompany', 'owner', IAM_STRICT)] }, ['pull']).granted, ['pull']);
  assert.deepEqual(decideAccess({ ...community, principal: { ...alice, role: 'admin' } }, ['pull']).granted, ['pull']);
  // The allowlist exempts a repository by name.
  const listed = facts({ repository: 'somebody/tool', namespace: { kind: 'user', name: 'somebody' }, repo: { visibility: 'public' } });
  assert.deepEqual(decideAccess(listed, ['pull']).granted, ['pull']);
  // Verified Publisher restricted.
  const verified = facts({ repository: 'bitnami/redis', namespace: { kind: 'unowned', name: 'bitnami' }, repo: { visibility: 'public' } });
  const v = decideAccess(verified, ['pull']);
  assert.equal(v.rule, 'iam.verified-restricted');
  assert.equal(
    v.reason,
    'bitnami/redis is a Verified Publisher image; Image Access Management in org mycompany allows only organization images and Docker Official Images. Ask an owner of mycompany to allow-list it or to allow Verified Publisher images.',
  );
  // Official restricted.
  const official = facts({
    repository: 'library/alpine',
    namespace: { kind: 'unowned', name: 'library' },
    repo: { visibility: 'public' },
    memberships: [member('mycompany', 'editor', IAM_STRICT)],
  });
  const o = decideAccess(official, ['pull']);
  assert.equal(o.rule, 'iam.official-restricted');
  assert.equal(
    o.reason,
    'library/alpine is a Docker Official Image; Image Access Management in org mycompany allows only organization images. Ask an owner of mycompany to allow-list it or to allow Docker Official Images.',
  );
});

test("IAM treats a member's own personal namespace as Community, like Docker Hub", () => {
  const own = facts({ repository: 'alice/tool', namespace: { kind: 'user', name: 'alice' } });
  assert.equal(decideAccess(own, ['pull']).rule, 'iam.community-disabled');
});

test('anonymous pulls follow the strictest IAM of the directory by default; ignore relaxes it', () => {
  const strict = { org: 'strictco', imageAccess: IAM_STRICT };
  const anon = (over: Partial<AccessFacts>): AccessFacts =>
    facts({
      principal: { kind: 'anonymous' },
      credential: { kind: 'none' },
      memberships: [],
      directoryImageAccess: [strict],
      repo: { visibility: 'public' },
      ...over,
    });
  const community = anon({ repository: 'community/tool', namespace: { kind: 'unowned', name: 'community' } });
  const denied = decideAccess(community, ['pull']);
  assert.deepEqual(denied, {
    granted: [],
    rule: 'anonymous.image-access-restricted',
    reason:
      'sign-in required: anonymous pulls on this server follow the Image Access Management of every organization, and community/tool is a Community image; ' +
      'Image Access Management in org strictco allows only organization images. Ask an owner of strictco to allow-list it. ' +
      "Or sign in with Bosun (or docker login) to pull under your own organization's rules.",
  });
  // By name only: a private or missing community/tool gets the same answer.
  assert.deepEqual(decideAccess({ ...community, repo: { visibility: 'private' } }, ['pull']), denied);
  assert.deepEqual(decideAccess((({ repo: _r, ...rest }) => rest)(community), ['pull']), denied);
  // Official and Verified follow the org's settings; an org's own images are Organization images
  // to that org only: to strictco, mycompany's public images are Community images.
  assert.equal(
    decideAccess(anon({ repository: 'library/alpine', namespace: { kind: 'unowned', name: 'library' } }), ['pull']).rule,
    'anonymous.image-access-restricted',
  );
  assert.equal(
    decideAccess(anon({ repository: 'bitnami/redis', namespace: { kind: 'unowned', name: 'bitnami' } }), ['pull']).rule,
    'anonymous.image-access-restricted',
  );
  assert.equal(decideAccess(anon({}), ['pull']).rule, 'anonymous.image-access-restricted'); // mycompany/api, public
  assert.deepEqual(decideAccess(anon({ repository: 'strictco/app', namespace: { kind: 'org', name: 'strictco' } }), ['pull']).granted, ['pull']);
  // An org named library does not make library/ an Organization image.
  assert.equal(
    decideAccess(anon({ repository: 'library/alpine', namespace: { kind: 'org', name: 'library' } }), ['pull']).rule,
    'anonymous.image-access-restricted',
  );
  // The allowlist of the org exempts the repository.
  assert.deepEqual(
    decideAccess({ ...community, directoryImageAccess: [{ org: 'strictco', imageAccess: { ...IAM_STRICT, allowlist: ['community/tool'] } }] }, ['pull'])
      .granted,
    ['pull'],
  );
  // ignore: every public repository again.
  const relaxed = { ...community, server: { ...community.server, anonymousPullImageAccess: 'ignore' as const } };
  assert.equal(decideAccess(relaxed, ['pull']).rule, 'anonymous.public-pull');
  // strictest without the directory's IAM facts fails closed.
  const unknown = (({ directoryImageAccess: _d, ...rest }) => rest)(community);
  assert.equal(decideAccess(unknown, ['pull']).rule, 'anonymous.image-access-restricted');
  // With anonymous pulls off, IAM does not come into it: the sign-in answer as always.
  assert.equal(decideAccess({ ...community, server: { ...community.server, anonymousPull: false } }, ['pull']).rule, 'anonymous.sign-in-to-pull');
});

test('IAM applies before grants: a denial stops there even for a user with a grant, and reveals nothing', () => {
  const withGrant = facts({ repository: 'community/tool', namespace: { kind: 'user', name: 'community' }, grantLevel: 'admin' });
  const missing = facts({ repository: 'community/tool', namespace: { kind: 'user', name: 'community' }, repo: undefined });
  assert.equal(decideAccess(withGrant, ['pull']).rule, 'iam.community-disabled');
  assert.deepEqual(decideAccess(withGrant, ['pull']).reason, decideAccess(missing, ['pull']).reason);
});

test('which IAM applies: every org of the user, whatever the credential; an org session never narrows it', () => {
  const memberships = [member('mycompany', 'member', IAM_OFF), member('strictco', 'member', IAM_STRICT)];
  const official = facts({ repository: 'library/alpine', namespace: { kind: 'unowned', name: 'library' }, repo: { visibility: 'public' }, memberships });
  // Password, PAT, a plain docker login refresh token, and agent sessions for either org (the
  // session for mycompany, whose IAM is off, used to escape strictco's): the strictest combination.
  const credentials: Credential[] = [
    { kind: 'password' },
    { kind: 'pat', scopes: ['read'] },
    { kind: 'refresh' },
    { kind: 'refresh', orgSession: 'mycompany' },
    { kind: 'refresh', orgSession: 'strictco' },
  ];
  for (const credential of credentials) {
    const d = decideAccess({ ...official, credential }, ['pull']);
    assert.equal(d.rule, 'iam.official-restricted', JSON.stringify(credential));
    assert.match(d.reason, /in org strictco /);
  }
  // An image is an Organization image only to the org that owns it: to strictco, mycompany's images
  // are Community images, in any session, so nobody launders an image through another org of theirs.
  const mine = facts({ repository: 'mycompany/api', grantLevel: 'read', memberships });
  assert.equal(decideAccess(mine, ['pull']).rule, 'iam.community-disabled');
  assert.equal(decideAccess({ ...mine, credential: { kind: 'refresh', orgSession: 'mycompany' } }, ['pull']).rule, 'iam.community-disabled');
  const strictOwn = facts({ repository: 'strictco/app', namespace: { kind: 'org', name: 'strictco' }, grantLevel: 'read', memberships });
  assert.deepEqual(decideAccess({ ...strictOwn, credential: { kind: 'refresh', orgSession: 'mycompany' } }, ['pull']).granted, ['pull']);
  // An owner of strictco keeps the bypass of strictco's IAM, in a session for the other org too.
  const owner = { ...official, memberships: [member('mycompany', 'member', IAM_OFF), member('strictco', 'owner', IAM_STRICT)] };
  assert.deepEqual(decideAccess({ ...owner, credential: { kind: 'refresh', orgSession: 'mycompany' } }, ['pull']).granted, ['pull']);
});

test('applicableOrgs is every org the user belongs to, with ownership per org', () => {
  const ms = [member('a', 'owner'), member('b', 'member')];
  assert.deepEqual(
    applicableOrgs(ms).map((o) => [o.org, o.isOwner]),
    [
      ['a', true],
      ['b', false],
    ],
  );
});

test('decideCatalogAccess: server admins only', () => {
  assert.equal(decideCatalogAccess({ ...alice, role: 'admin' }).allowed, true);
  assert.equal(decideCatalogAccess({ ...alice, role: 'superuser', disabled: true }).allowed, false);
  assert.equal(decideCatalogAccess(alice).rule, 'catalog.admins-only');
  assert.equal(decideCatalogAccess({ kind: 'anonymous' }).allowed, false);
});

test('never grants more than requested, and lists actions in protocol order', () => {
  const d = decideAccess(facts({ grantLevel: 'admin' }), ['delete', 'pull', 'pull']);
  assert.deepEqual(d.granted, ['pull', 'delete']);
});

test('fails closed on facts a store should never hold', () => {
  const junk = facts({ grantLevel: 'superpower' as never, credential: { kind: 'pat', scopes: ['everything' as never] } });
  assert.deepEqual(decideAccess(junk, ['pull']).granted, []);
  assert.deepEqual(decideAccess(facts({ grantLevel: 'root' as never }), ['pull', 'push']).granted, []);
  assert.deepEqual(decideAccess(facts(), ['frobnicate' as never]).rule, 'request.empty');
});

test('property: for any facts, decideAccess never throws, never grants more than requested, and always explains', () => {
  const level = fc.constantFrom<AccessLevel>('none', 'read', 'write', 'admin');
  const settings = fc.record({
    enabled: fc.boolean(),
    allowOfficial: fc.boolean(),
    allowVerifiedPublishers: fc.boolean(),
    allowlist: fc.array(fc.constantFrom('a/b', 'library/x', 'c/d')),
  });
  const name = fc.constantFrom('a', 'b', 'c', 'library', 'alice');
  const arbFacts: fc.Arbitrary<AccessFacts> = fc
    .record({
      principal: fc.oneof(
        fc.constant({ kind: 'anonymous' as const }),
        fc.record({
          kind: fc.constant('user' as const),
          name: fc.constantFrom('alice', 'bob'),
          role: fc.constantFrom<GlobalRole>('user', 'admin', 'superuser'),
          disabled: fc.boolean(),
        }),
      ),
      credential: fc.oneof(
        fc.constant<Credential>({ kind: 'none' }),
        fc.constant<Credential>({ kind: 'password' }),
        fc.array(fc.constantFrom<PatScope>('read', 'write', 'delete')).map((scopes): Credential => ({ kind: 'pat', scopes })),
        fc.option(name, { nil: undefined }).map((orgSession): Credential => (orgSession === undefined ? { kind: 'refresh' } : { kind: 'refresh', orgSession })),
      ),
      repository: fc.tuple(name, fc.constantFrom('x', 'b', 'd')).map(([n, r]) => `${n}/${r}`),
      repo: fc.option(fc.record({ visibility: fc.constantFrom<'public' | 'private'>('public', 'private') }), { nil: undefined }),
      namespace: fc.record({ kind: fc.constantFrom<'org' | 'user' | 'unowned'>('org', 'user', 'unowned'), name }),
      grantLevel: level,
      memberships: fc.uniqueArray(fc.record({ org: name, role: fc.constantFrom<OrgMembership['role']>('member', 'editor', 'owner'), imageAccess: settings }), {
        selector: (m) => m.org,
        maxLength: 3,
      }),
      server: fc.record({ anonymousPull: fc.boolean(), userNamespaces: fc.boolean(), verifiedPublishers: fc.array(name, { maxLength: 2 }) }),
    })
    .map((f) => (f.repo === undefined ? (({ repo: _repo, ...rest }) => rest)(f) : f));
  const requested = fc.uniqueArray(fc.constantFrom<RepoAction>('pull', 'push', 'delete'), { minLength: 1 });
  fc.assert(
    fc.property(arbFacts, requested, (f, req) => {
      const d = decideAccess(f, req);
      assert.ok(d.granted.every((a) => req.includes(a)));
      assert.ok(d.reason.length > 0 && d.rule.length > 0);
      if (f.principal.kind === 'anonymous') assert.ok(d.granted.every((a) => a === 'pull'));
      if (f.principal.kind === 'user' && f.principal.disabled) assert.deepEqual(d.granted, []);
      if (f.principal.kind === 'user' && f.credential.kind === 'pat' && f.credential.scopes.length === 0) assert.deepEqual(d.granted, []);
    }),
    { numRuns: 3000 },
  );
});
