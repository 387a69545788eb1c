// The token request decision: scopes × facts → access entries or a 403 with the rule's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AccessFacts, ImageAccessSettings, Principal } from '../../../src/core/access/accessFacts.js';
import { decideTokenRequest, parseRequestedScopes, requestedRepositories } from '../../../src/core/access/tokenRequest.js';
import { parseScopeList } from '../../../src/core/access/scope.js';

const IAM_OFFICIAL: ImageAccessSettings = { enabled: true, allowOfficial: true, allowVerifiedPublishers: false, allowlist: [] };
const alice: Principal = { kind: 'user', name: 'alice', role: 'user', disabled: false };
const admin: Principal = { kind: 'user', name: 'root', role: 'admin', disabled: false };

/** alice is a member of mycompany; mycompany/api is private with read for her team; mycompany/secret has no grant. */
function factsFor(principal: Principal, repository: string): AccessFacts {
  const [ns = ''] = repository.split('/');
  return {
    principal,
    credential: principal.kind === 'user' ? { kind: 'password' } : { kind: 'none' },
    repository,
    ...(repository === 'mycompany/new' ? {} : { repo: { visibility: repository === 'mycompany/public' ? 'public' : 'private' } }),
    namespace: ns === 'mycompany' ? { kind: 'org', name: 'mycompany' } : { kind: 'unowned', name: ns },
    grantLevel: repository === 'mycompany/api' ? 'read' : repository === 'mycompany/tool' ? 'write' : 'none',
    memberships: principal.kind === 'user' ? [{ org: 'mycompany', role: 'member', imageAccess: IAM_OFFICIAL }] : [],
    // Anonymous pulls follow every org's IAM: mycompany's, whose own images are always allowed.
    ...(principal.kind === 'anonymous' ? { directoryImageAccess: [{ org: 'mycompany', imageAccess: IAM_OFFICIAL }] } : {}),
    server: { anonymousPull: true, userNamespaces: false, verifiedPublishers: [] },
  } as AccessFacts;
}

function decide(principal: Principal, scope: string[] | string | undefined) {
  const scopes = parseRequestedScopes(scope);
  const facts = new Map(requestedRepositories(scopes).map((r) => [r, factsFor(principal, r)]));
  return decideTokenRequest({ principal, scopes, facts });
}

test('a member with read gets pull, and only pull, on a private repository', () => {
  const d = decide(alice, ['repository:mycompany/api:pull,push']);
  assert.equal(d.kind, 'grant');
  assert.deepEqual(d.kind === 'grant' && d.access, [{ type: 'repository', name: 'mycompany/api', actions: ['pull'] }]);
  assert.equal(d.outcomes[0]?.rule, 'deny.needs-write');
});

test("nothing granted at all → deny with the rule's words, naming what to do", () => {
  const d = decide(alice, 'repository:mycompany/secret:pull');
  assert.equal(d.kind, 'deny');
  assert.match(d.kind === 'deny' ? d.message : '', /^alice may not pull mycompany\/secret: .*Ask an owner of mycompany for read access\.$/);
  assert.equal(d.outcomes[0]?.rule, 'deny.no-access');
});

test('IAM denial message reaches the 403', () => {
  const d = decide(alice, 'repository:community/tool:pull');
  assert.equal(d.kind, 'deny');
  assert.equal(
    d.kind === 'deny' && d.message,
    'community/tool is a Community image; Image Access Management in org mycompany allows only organization images and Docker Official Images. Ask an owner of mycompany to allow-list it.',
  );
});

test('no scope at all (docker login) → a token with no access, not a 403', () => {
  const d = decide(alice, undefined);
  assert.deepEqual(d, { kind: 'grant', access: [], outcomes: [] });
});

test('a disabled account is refused even with no scope', () => {
  const d = decide({ kind: 'user', name: 'bob', role: 'user', disabled: true }, undefined);
  assert.equal(d.kind, 'deny');
  assert.match(d.kind === 'deny' ? d.message : '', /account bob is disabled/);
});

test('cross-repository mount: the source needs pull; the target is granted on its own', () => {
  const d = decide(alice, ['repository:mycompany/tool:pull,push', 'repository:mycompany/secret:pull']);
  assert.equal(d.kind, 'grant');
  assert.deepEqual(d.kind === 'grant' && d.access, [{ type: 'repository', name: 'mycompany/tool', actions: ['pull', 'push'] }]);
  assert.equal(d.outcomes[1]?.rule, 'deny.no-access');
});

test('catalog: admins only', () => {
  const a = decide(admin, 'registry:catalog:*');
  assert.deepEqual(a.kind === 'grant' && a.access, [{ type: 'registry', name: 'catalog', actions: ['*'] }]);
  const u = decide(alice, 'registry:catalog:*');
  assert.equal(u.kind, 'deny');
  assert.match(u.kind === 'deny' ? u.message : '', /only Bosun administrators/);
});

test('anonymous: public pull allowed, private refused with sign-in required', () => {
  const anon: Principal = { kind: 'anonymous' };
  const pub = decide(anon, 'repository:mycompany/public:pull');
  assert.equal(pub.kind, 'grant');
  const priv = decide(anon, 'repository:mycompany/api:pull');
  assert.equal(priv.kind === 'deny' && priv.message, 'sign-in required: this registry accepts pulls only from members of mycompany signed in with Bosun.');
});

test('host:port in a scope name parses; unknown actions, types and malformed scopes are never granted', () => {
  assert.deepEqual(requestedRepositories(parseRequestedScopes('repository:127.0.0.1:5000/mycompany/api:pull')), ['127.0.0.1:5000/mycompany/api']);
  const d = decide(alice, ['repository:mycompany/api:pull,*', 'repository(plugin):mycompany/api:pull', 'bogus', 'repository:mycompany/api:frob']);
  assert.equal(d.kind, 'grant');
  assert.deepEqual(d.kind === 'grant' && d.access, [{ type: 'repository', name: 'mycompany/api', actions: ['pull'] }]);
  assert.deepEqual(d.outcomes.map((o) => o.rule).sort(), ['grant.team-or-user', 'scope.malformed', 'scope.unsupported-type'].sort());
  const only = decide(alice, 'repository:mycompany/api:frob');
  assert.equal(only.outcomes[0]?.rule, 'scope.unknown-action');
  assert.equal(only.kind, 'deny');
});

test('facts for another repository or principal are never used', () => {
  const facts = new Map([['mycompany/api', factsFor(admin, 'mycompany/api')]]);
  const d = decideTokenRequest({ principal: alice, scopes: parseRequestedScopes('repository:mycompany/api:pull'), facts });
  assert.equal(d.kind, 'deny');
  assert.equal(d.outcomes[0]?.rule, 'facts.missing');
});

test('fuzzed scope strings never throw and never grant beyond what was asked', () => {
  const part = fc.constantFrom(
    'repository',
    'registry',
    'catalog',
    'mycompany/api',
    'mycompany/tool',
    'mycompany/public',
    '127.0.0.1:5000',
    'pull',
    'push',
    'delete',
    '*',
    ':',
    ',',
    '/',
    ' ',
    '(plugin)',
    '',
  );
  const scopeText = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.array(part, { maxLength: 8 }).map((a) => a.join('')),
  );
  fc.assert(
    fc.property(fc.array(scopeText, { maxLength: 5 }), fc.constantFrom(alice, admin, { kind: 'anonymous' } as Principal), (values, who) => {
      const d = decide(who, values);
      const asked = parseScopeList(values).scopes;
      if (d.kind === 'grant') {
        for (const entry of d.access) {
          const request = asked.find((s) => s.type === entry.type && s.name === entry.name && s.typeClass === undefined);
          assert.ok(request, `granted ${entry.name} which was not asked`);
          for (const a of entry.actions) assert.ok(request.actions.includes(a), `granted ${a} on ${entry.name} beyond the request`);
          if (who === alice) assert.ok(!entry.actions.includes('delete') || entry.name === 'mycompany/tool');
        }
      } else {
        assert.ok(d.message.length > 0);
      }
    }),
    { numRuns: 2000 },
  );
});
