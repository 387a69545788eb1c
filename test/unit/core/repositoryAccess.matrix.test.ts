// Exhaustive table-driven test of decideAccess (docs/permission-model.md). The expected
// grant of every combination comes from `specGrant` below: an independent restatement of
// docs/permission-model.md, written per action as plain predicates. It imports nothing from
// src/core except types, so a bug in the code cannot hide in the oracle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  AccessFacts,
  AccessLevel,
  Credential,
  GlobalRole,
  ImageAccessSettings,
  OrgMembership,
  OrgRole,
  RepoAction,
} from '../../../src/core/access/accessFacts.js';
import { decideAccess } from '../../../src/core/access/repositoryAccess.js';

// ---------------------------------------------------------------------------------------------
// The dimensions.

type Who = 'anonymous' | 'user' | 'admin' | 'superuser' | 'disabled-user';
type RoleIn = 'non-member' | OrgRole;
type State = 'public' | 'private' | 'absent';
type Target =
  | 'org' // mycompany/api, in the user's org when a member
  | 'official' // library/alpine
  | 'verified' // bitnami/redis
  | 'community' // community/tool, another user's personal namespace
  | 'allowlisted' // somebody/tool, on mycompany's allowlist
  | 'own-personal' // alice/tool, the principal's personal namespace
  | 'unowned' // orphan/thing, nobody owns the namespace
  | 'other-org'; // partner/app, an org the principal may or may not be in
type Cred = 'password' | 'pat-read' | 'pat-write' | 'pat-delete' | 'pat-none' | 'refresh' | 'refresh-mycompany' | 'refresh-partner';
type Iam = 'off' | 'on-none' | 'on-official' | 'on-verified' | 'on-both';
type PartnerRole = 'non-member' | 'member' | 'owner';

const WHO: Who[] = ['anonymous', 'user', 'admin', 'superuser', 'disabled-user'];
const ROLES: RoleIn[] = ['non-member', 'member', 'editor', 'owner'];
const LEVELS: AccessLevel[] = ['none', 'read', 'write', 'admin'];
const STATES: State[] = ['public', 'private', 'absent'];
const TARGETS: Target[] = ['org', 'official', 'verified', 'community', 'allowlisted', 'own-personal', 'unowned', 'other-org'];
const CREDS: Cred[] = ['password', 'pat-read', 'pat-write', 'pat-delete', 'pat-none', 'refresh', 'refresh-mycompany', 'refresh-partner'];
const IAMS: Iam[] = ['off', 'on-none', 'on-official', 'on-verified', 'on-both'];
const REQUESTS: RepoAction[][] = [['pull'], ['pull', 'push'], ['delete'], ['push']];

interface Case {
  who: Who;
  role: RoleIn;
  partner: PartnerRole;
  level: AccessLevel;
  state: State;
  target: Target;
  cred: Cred;
  iam: Iam;
  anonymousPull: boolean;
  userNamespaces: boolean;
  requested: RepoAction[];
}

const TARGET_REPO: Record<Target, { repository: string; namespace: AccessFacts['namespace'] }> = {
  org: { repository: 'mycompany/api', namespace: { kind: 'org', name: 'mycompany' } },
  official: { repository: 'library/alpine', namespace: { kind: 'unowned', name: 'library' } },
  verified: { repository: 'bitnami/redis', namespace: { kind: 'unowned', name: 'bitnami' } },
  community: { repository: 'community/tool', namespace: { kind: 'user', name: 'community' } },
  allowlisted: { repository: 'somebody/tool', namespace: { kind: 'user', name: 'somebody' } },
  'own-personal': { repository: 'alice/tool', namespace: { kind: 'user', name: 'alice' } },
  unowned: { repository: 'orphan/thing', namespace: { kind: 'unowned', name: 'orphan' } },
  'other-org': { repository: 'partner/app', namespace: { kind: 'org', name: 'partner' } },
};

function iamSettings(iam: Iam): ImageAccessSettings {
  return {
    enabled: iam !== 'off',
    allowOfficial: iam === 'on-official' || iam === 'on-both',
    allowVerifiedPublishers: iam === 'on-verified' || iam === 'on-both',
    allowlist: ['somebody/tool'],
  };
}
/** partner, when the principal is in it, always runs the strictest IAM (only its own images). */
const PARTNER_IAM: ImageAccessSettings = { enabled: true, allowOfficial: false, allowVerifiedPublishers: false, allowlist: [] };

function credentialOf(cred: Cred): Credential {
  switch (cred) {
    case 'password':
      return { kind: 'password' };
    case 'pat-read':
      return { kind: 'pat', scopes: ['read'] };
    case 'pat-write':
      return { kind: 'pat', scopes: ['write'] };
    case 'pat-delete':
      return { kind: 'pat', scopes: ['delete'] };
    case 'pat-none':
      return { kind: 'pat', scopes: [] };
    case 'refresh':
      return { kind: 'refresh' };
    case 'refresh-mycompany':
      return { kind: 'refresh', orgSession: 'mycompany' };
    case 'refresh-partner':
      return { kind: 'refresh', orgSession: 'partner' };
  }
}

function factsOf(c: Case): AccessFacts {
  const memberships: OrgMembership[] = [];
  if (c.who !== 'anonymous') {
    if (c.role !== 'non-member') memberships.push({ org: 'mycompany', role: c.role, imageAccess: iamSettings(c.iam) });
    if (c.partner !== 'non-member') memberships.push({ org: 'partner', role: c.partner, imageAccess: PARTNER_IAM });
  }
  const role: GlobalRole = c.who === 'admin' ? 'admin' : c.who === 'superuser' ? 'superuser' : 'user';
  return {
    principal: c.who === 'anonymous' ? { kind: 'anonymous' } : { kind: 'user', name: 'alice', role, disabled: c.who === 'disabled-user' },
    credential: c.who === 'anonymous' ? { kind: 'none' } : credentialOf(c.cred),
    ...TARGET_REPO[c.target],
    ...(c.state === 'absent' ? {} : { repo: { visibility: c.state } }),
    grantLevel: c.who === 'anonymous' ? 'none' : c.level,
    memberships,
    // No org of this directory has IAM on for anonymous callers here; anonymous IAM has its own
    // tests (repositoryAccess.test.ts, "anonymous pulls follow ...").
    ...(c.who === 'anonymous' ? { directoryImageAccess: [] } : {}),
    server: { anonymousPull: c.anonymousPull, userNamespaces: c.userNamespaces, verifiedPublishers: ['bitnami'] },
  };
}

// ---------------------------------------------------------------------------------------------
// The oracle: docs/permission-model.md's model, restated as plain predicates, one action at a time.

const rank = (l: AccessLevel) => ({ none: 0, read: 1, write: 2, admin: 3 })[l];

/** Does Image Access Management stop this request? */
function specIamDenies(c: Case): boolean {
  if (c.who === 'admin' || c.who === 'superuser') return false; // they run every org's settings
  // The user's orgs, as (name, owner?, settings).
  const orgs: Array<{ name: string; owner: boolean; s: ImageAccessSettings }> = [];
  if (c.role !== 'non-member') orgs.push({ name: 'mycompany', owner: c.role === 'owner', s: iamSettings(c.iam) });
  if (c.partner !== 'non-member') orgs.push({ name: 'partner', owner: c.partner === 'owner', s: PARTNER_IAM });
  // Every org of the user applies, whatever the credential: an org session never narrows it.
  const applying = orgs;
  const repo = TARGET_REPO[c.target].repository;
  const ns = repo.split('/')[0];
  // Every applying org must let it through; an image is an organization image only to its own org.
  return applying.some((o) => {
    if (!o.s.enabled || o.owner || o.name === ns) return false;
    if (o.s.allowlist.includes(repo)) return false;
    if (ns === 'library') return !o.s.allowOfficial;
    if (ns === 'bitnami') return !o.s.allowVerifiedPublishers;
    return true; // community: disabled
  });
}

function specMayDo(c: Case, action: RepoAction, withTokenCap = true): boolean {
  if (c.who === 'anonymous') return action === 'pull' && c.state === 'public' && c.anonymousPull;
  if (c.who === 'disabled-user') return false;
  const sessionOrg = c.cred === 'refresh-mycompany' ? 'mycompany' : c.cred === 'refresh-partner' ? 'partner' : undefined;
  const memberOf = (org: string) => (org === 'mycompany' ? c.role !== 'non-member' : c.partner !== 'non-member');
  if (sessionOrg && !memberOf(sessionOrg)) return false;
  if (specIamDenies(c)) return false;

  const globalAdmin = c.who === 'admin' || c.who === 'superuser';
  const roleInNamespace = c.target === 'org' ? c.role : c.target === 'other-org' ? c.partner : 'non-member';
  const orgManager = roleInNamespace === 'editor' || roleInNamespace === 'owner';
  const ownNamespace = c.target === 'own-personal';
  const manager = globalAdmin || orgManager || ownNamespace;

  let byRights: boolean;
  if (c.state !== 'absent') {
    byRights = action === 'pull' ? c.state === 'public' || rank(c.level) >= 1 || manager : rank(c.level) >= 2 || manager;
  } else {
    const mayCreate = globalAdmin || orgManager || rank(c.level) >= 2 || (ownNamespace && c.userNamespaces);
    byRights = action === 'pull' ? mayCreate || rank(c.level) >= 1 || ownNamespace : mayCreate;
  }
  if (!byRights) return false;
  if (!withTokenCap) return true;

  // PAT scopes cap: read → pull; write → pull, push; delete → pull, push, delete.
  if (c.cred === 'pat-none') return false;
  if (c.cred === 'pat-read') return action === 'pull';
  if (c.cred === 'pat-write') return action !== 'delete';
  return true;
}

function specGrant(c: Case): RepoAction[] {
  return (['pull', 'push', 'delete'] as RepoAction[]).filter((a) => c.requested.includes(a) && specMayDo(c, a));
}

// ---------------------------------------------------------------------------------------------

function* cases(): Generator<Case> {
  for (const who of WHO)
    for (const role of ROLES)
      for (const level of LEVELS)
        for (const state of STATES)
          for (const target of TARGETS)
            for (const iam of IAMS)
              for (const cred of CREDS)
                for (const requested of REQUESTS) {
                  // Settings and the second org vary together to keep the table a few hundred thousand rows:
                  // each still takes both values against every other dimension.
                  const i = LEVELS.indexOf(level) + STATES.indexOf(state);
                  const partner: PartnerRole = (['non-member', 'member', 'owner'] as const)[(ROLES.indexOf(role) + CREDS.indexOf(cred)) % 3] as PartnerRole;
                  yield {
                    who,
                    role,
                    partner,
                    level,
                    state,
                    target,
                    cred,
                    iam,
                    requested,
                    anonymousPull: i % 2 === 0,
                    userNamespaces: (i + IAMS.indexOf(iam)) % 2 === 0,
                  };
                }
}

/**
 * The second table: every server setting and every second-org role against the dimensions they
 * interact with (who, org roles, state, category, IAM, credential), so nothing above depends on the
 * rotation.
 */
function* settingsCases(): Generator<Case> {
  for (const who of WHO)
    for (const role of ROLES)
      for (const partner of ['non-member', 'member', 'owner'] as PartnerRole[])
        for (const level of ['none', 'write'] as AccessLevel[])
          for (const state of STATES)
            for (const target of TARGETS)
              for (const iam of ['off', 'on-none', 'on-both'] as Iam[])
                for (const cred of CREDS)
                  for (const anonymousPull of [false, true])
                    for (const userNamespaces of [false, true])
                      yield { who, role, partner, level, state, target, cred, iam, anonymousPull, userNamespaces, requested: ['pull', 'push'] };
}

const label = (c: Case) => JSON.stringify(c);
const DENY_PREFIXES = ['deny.', 'iam.', 'account.', 'session.', 'anonymous.sign-in', 'request.'];
const GRANT_PREFIXES = ['grant.', 'create.', 'anonymous.public-pull'];

test('decideAccess matches the model for every role × org role × team level × visibility × IAM × category × credential', () => {
  let rows = 0;
  let grantedRows = 0;
  const rulesSeen = new Set<string>();
  for (const c of cases()) {
    rows++;
    const d = decideAccess(factsOf(c), c.requested);
    const expected = specGrant(c);
    assert.deepEqual(d.granted, expected, label(c));
    rulesSeen.add(d.rule);
    assert.ok(d.reason.length > 0, `empty reason: ${label(c)}`);
    const complete = expected.length === c.requested.length;
    if (complete) {
      grantedRows++;
      assert.ok(
        GRANT_PREFIXES.some((p) => d.rule.startsWith(p)),
        `grant rule ${d.rule}: ${label(c)}`,
      );
    } else {
      assert.ok(
        DENY_PREFIXES.some((p) => d.rule.startsWith(p)),
        `refusal rule ${d.rule}: ${label(c)}`,
      );
    }
    const iamStopped = c.who !== 'anonymous' && c.who !== 'disabled-user' && d.rule.startsWith('iam.');
    if (iamStopped) assert.equal(specIamDenies(c), true, `IAM refused but the model allows: ${label(c)}`);
  }
  assert.ok(rows > 100_000, `only ${rows} rows`);
  // The table reaches both sides and every rule.
  assert.ok(grantedRows > 1000 && grantedRows < rows - 1000);
  for (const rule of [
    'account.disabled',
    'session.not-a-member',
    'anonymous.public-pull',
    'anonymous.sign-in-to-pull',
    'anonymous.sign-in-to-push',
    'grant.global-admin',
    'grant.personal-namespace',
    'grant.org-owner',
    'grant.org-editor',
    'grant.team-or-user',
    'grant.public-repository',
    'create.global-admin',
    'create.org-owner',
    'create.org-editor',
    'create.namespace-grant',
    'create.personal-namespace',
    'deny.no-access',
    'deny.needs-write',
    'deny.create-not-allowed',
    'deny.personal-namespaces-disabled',
    'deny.token-scope',
    'iam.official-restricted',
    'iam.verified-restricted',
    'iam.community-disabled',
  ]) {
    assert.ok(rulesSeen.has(rule), `the table never reaches ${rule}`);
  }
});

test('decideAccess matches the model for every server setting × second org × session', () => {
  let rows = 0;
  for (const c of settingsCases()) {
    rows++;
    assert.deepEqual(decideAccess(factsOf(c), c.requested).granted, specGrant(c), label(c));
  }
  assert.ok(rows > 100_000, `only ${rows} rows`);
});

test('a principal with no access cannot tell a private repository from a missing one', () => {
  let compared = 0;
  for (const c of cases()) {
    if (c.state !== 'private') continue;
    const privateCase = c;
    const absentCase: Case = { ...c, state: 'absent' };
    // Only where the principal has no right at all on the private repository, whatever its token.
    const all: RepoAction[] = ['pull', 'push', 'delete'];
    if (all.some((a) => specMayDo(privateCase, a, false))) continue;
    const a = decideAccess(factsOf(privateCase), c.requested);
    const b = decideAccess(factsOf(absentCase), c.requested);
    assert.deepEqual({ rule: a.rule, reason: a.reason }, { rule: b.rule, reason: b.reason }, label(c));
    compared++;
  }
  assert.ok(compared > 1000, `only ${compared} comparisons`);
});

test('with anonymous pulls off, anonymous callers get the same answer for public, private and missing repositories', () => {
  for (const c of cases()) {
    if (c.who !== 'anonymous' || c.anonymousPull || c.state !== 'public') continue;
    const answers = (['public', 'private', 'absent'] as State[]).map((state) => decideAccess(factsOf({ ...c, state }), c.requested));
    assert.deepEqual(answers[1], answers[0], label(c));
    assert.deepEqual(answers[2], answers[0], label(c));
  }
});
