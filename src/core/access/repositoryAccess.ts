// The decision function (docs/permission-model.md, "Evaluation order"): may
// principal P do actions A on repository R, in org session S? Pure, over a snapshot of facts.
//
//   1. (the caller authenticated P)
//   2. account state: a disabled account gets nothing; an org session whose org P left is void
//   3. Image Access Management of every org P belongs to (the strictest combination, whatever the
//      credential or org session); a denial stops here, with its reason
//   4. union of grants and visibility (or, for a repository that does not exist yet, the right to
//      create it by pushing)
//   5. cap by the token's scope (PAT scopes)
//   6. intersect with the requested actions
//   7. (the caller writes the audit record with `rule`)
//
// `rule` names the rule that decided: when everything requested is granted, the rule that gave the
// access; when anything requested is refused, the rule that refused it (even if other actions were
// granted, as when a read-only member asks for pull,push). docs/permission-model.md lists them.
//
// Not leaking private repositories: a registry reveals a repository to someone who can pull it.
// To everyone else, "private and no grant" and "does not exist" must look the same. So every
// refusal of a principal with no right at all on the repository gives one message and one rule
// (deny.no-access, anonymous.sign-in-*) whether it exists or not, and the messages mention only
// what follows from the *name*: who owns the namespace (orgs and users are directory facts, like
// Docker Hub profile pages) and the image category (a function of the namespace). Messages that do
// reveal existence or visibility (deny.needs-write, deny.create-not-allowed) go only to principals
// who can already pull in that namespace or that repository.
import type { AccessDecision, AccessFacts, AccessLevel, OrgMembership, PatScope, RepoAction } from './accessFacts.js';
import { decideAnonymousImageAccess } from './anonymousImageAccess.js';
import { decideImageAccessAcrossOrgs, type ApplicableOrg, type ImageAccessRule } from './imageAccess.js';
import { ACCESS_LEVELS, REPO_ACTIONS, accessLevelAtLeast, actionsForLevel, compareAccessLevels, isGlobalAdmin, patScopeFor } from './permissionLevels.js';
import { credentialCap, credentialScopes } from './credentialCap.js';

/** Every rule id decideAccess can return. */
export type AccessRule =
  | ImageAccessRule
  | 'request.empty'
  | 'account.disabled'
  | 'session.not-a-member'
  | 'anonymous.public-pull'
  | 'anonymous.sign-in-to-pull'
  | 'anonymous.sign-in-to-push'
  | 'anonymous.image-access-restricted'
  | 'grant.global-admin'
  | 'grant.personal-namespace'
  | 'grant.org-owner'
  | 'grant.org-editor'
  | 'grant.team-or-user'
  | 'grant.public-repository'
  | 'create.global-admin'
  | 'create.org-owner'
  | 'create.org-editor'
  | 'create.namespace-grant'
  | 'create.personal-namespace'
  | 'deny.no-access'
  | 'deny.needs-write'
  | 'deny.create-not-allowed'
  | 'deny.personal-namespaces-disabled'
  | 'deny.token-scope';

/** An AccessDecision whose rule is typed. */
export interface RepositoryAccessDecision extends AccessDecision {
  rule: AccessRule;
}

/** What the principal may do before the token's cap, and which rule gave it. */
interface Rights {
  actions: RepoAction[];
  /** Undefined when nothing was granted. */
  rule?: AccessRule;
  note: string;
  level: AccessLevel;
}

type UserPrincipal = Extract<AccessFacts['principal'], { kind: 'user' }>;

/** Decides `requested` actions on `facts.repository`. Pure and total: never throws on well-typed facts. */
export function decideAccess(facts: AccessFacts, requested: readonly RepoAction[]): RepositoryAccessDecision {
  const wanted = REPO_ACTIONS.filter((a) => requested.includes(a));
  if (wanted.length === 0) {
    return { granted: [], rule: 'request.empty', reason: 'no registry action (pull, push or delete) was requested' };
  }
  const principal = facts.principal;
  if (principal.kind === 'anonymous') return decideAnonymous(facts, wanted);

  // 2. Account state.
  if (principal.disabled) {
    return {
      granted: [],
      rule: 'account.disabled',
      reason: `account ${principal.name} is disabled. Ask a Bosun administrator to re-enable it.`,
    };
  }
  const session = facts.credential.kind === 'refresh' ? facts.credential.orgSession : undefined;
  if (session !== undefined && !facts.memberships.some((m) => m.org === session)) {
    return {
      granted: [],
      rule: 'session.not-a-member',
      reason:
        `${principal.name}'s Bosun session is for org ${session}, but ${principal.name} is no longer a member of ${session}. ` +
        `Sign in again with Bosun, or ask an owner of ${session} to add you back.`,
    };
  }

  // 3. Image Access Management. Global admins manage every org's settings, so, like owners, they bypass it.
  if (!isGlobalAdmin(principal.role)) {
    const verdict = decideImageAccessAcrossOrgs({
      repository: facts.repository,
      orgs: applicableOrgs(facts.memberships),
      verifiedPublishers: facts.server.verifiedPublishers,
    });
    if (!verdict.allowed) return { granted: [], rule: verdict.rule, reason: verdict.reason };
  }

  // 4. Grants and visibility.
  const rights = facts.repo ? rightsOnExisting(facts, principal) : rightsToCreate(facts, principal);
  // 5. The token's cap (a PAT's scopes, also on a refresh token minted from a PAT).
  const cap = credentialCap(facts.credential);
  // 6. Intersect with what was asked.
  const granted = wanted.filter((a) => rights.actions.includes(a) && cap.includes(a));
  const refused = wanted.filter((a) => !granted.includes(a));
  if (refused.length === 0) return { granted, rule: rights.rule as AccessRule, reason: rights.note };
  return { granted, ...explainRefusal(facts, principal, rights, refused[0] as RepoAction) };
}

/**
 * Which orgs' IAM applies: every org the user belongs to, whatever the credential. An org session
 * only says which org the agent signed in for; it never lifts another org's restrictions, or a
 * member of an org with IAM on could escape it by signing in for an org without (see
 * docs/permission-model.md, "Invariants"). Owners bypass only their own org's IAM.
 */
export function applicableOrgs(memberships: readonly OrgMembership[]): ApplicableOrg[] {
  return memberships.map((m) => ({ org: m.org, settings: m.imageAccess, isOwner: m.role === 'owner' }));
}

function decideAnonymous(facts: AccessFacts, wanted: RepoAction[]): RepositoryAccessDecision {
  // IAM before visibility, as for users, and by name only: public, private and missing get the
  // same IAM answer. With anonymous pulls off, everything gets the sign-in answer below anyway.
  if (facts.server.anonymousPull && wanted.includes('pull')) {
    const iam = decideAnonymousImageAccess(facts);
    if (!iam.allowed) return { granted: [], rule: iam.rule, reason: iam.reason };
  }
  const publicPull = facts.server.anonymousPull && facts.repo?.visibility === 'public';
  const granted: RepoAction[] = publicPull && wanted.includes('pull') ? ['pull'] : [];
  if (granted.length === wanted.length) {
    return { granted, rule: 'anonymous.public-pull', reason: `${facts.repository} is public and this server allows anonymous pulls` };
  }
  if (!publicPull && wanted.includes('pull')) {
    // The same words for private, absent, and "anonymous pulls are off": nothing about the repository leaks.
    const reason =
      facts.namespace.kind === 'org'
        ? `sign-in required: this registry accepts pulls only from members of ${facts.namespace.name} signed in with Bosun.`
        : `sign-in required: pulling ${facts.repository} needs a signed-in user. Sign in with Bosun (or docker login).`;
    return { granted, rule: 'anonymous.sign-in-to-pull', reason };
  }
  const verb = wanted.includes('push') ? 'pushing to' : 'deleting from';
  return {
    granted,
    rule: 'anonymous.sign-in-to-push',
    reason: `sign-in required: ${verb} ${facts.repository} needs a signed-in user with write access. Sign in with Bosun (or docker login).`,
  };
}

function membershipOfNamespace(facts: AccessFacts): OrgMembership | undefined {
  const ns = facts.namespace;
  return ns.kind === 'org' ? facts.memberships.find((m) => m.org === ns.name) : undefined;
}

function ownsPersonalNamespace(facts: AccessFacts, principal: UserPrincipal): boolean {
  return facts.namespace.kind === 'user' && facts.namespace.name === principal.name;
}

/** The union of every source of rights on an existing repository; the strongest source names the rule. */
function rightsOnExisting(facts: AccessFacts, principal: UserPrincipal): Rights {
  const membership = membershipOfNamespace(facts);
  const repo = facts.repository;
  // In order of precedence when several give the same level.
  const sources: Array<{ level: AccessLevel; rule: AccessRule; note: string }> = [];
  if (isGlobalAdmin(principal.role)) {
    sources.push({ level: 'admin', rule: 'grant.global-admin', note: `${principal.name} is a server ${principal.role} and manages every repository` });
  }
  if (ownsPersonalNamespace(facts, principal)) {
    sources.push({ level: 'admin', rule: 'grant.personal-namespace', note: `${repo} is in ${principal.name}'s personal namespace` });
  }
  if (membership?.role === 'owner') {
    sources.push({ level: 'admin', rule: 'grant.org-owner', note: `${principal.name} is an owner of ${membership.org}` });
  }
  if (membership?.role === 'editor') {
    // Editors create, edit and delete the org's repositories and assign grants on them: admin on repositories.
    sources.push({ level: 'admin', rule: 'grant.org-editor', note: `${principal.name} is an editor of ${membership.org}` });
  }
  if (facts.grantLevel !== 'none' && ACCESS_LEVELS.includes(facts.grantLevel)) {
    sources.push({
      level: facts.grantLevel,
      rule: 'grant.team-or-user',
      note: `${principal.name} has ${facts.grantLevel} access to ${repo} through a team or a direct grant`,
    });
  }
  if (facts.repo?.visibility === 'public') {
    sources.push({ level: 'read', rule: 'grant.public-repository', note: `${repo} is public` });
  }
  let best: (typeof sources)[number] | undefined;
  for (const s of sources) if (!best || compareAccessLevels(s.level, best.level) > 0) best = s;
  if (!best) return { actions: [], note: '', level: 'none' };
  return { actions: actionsForLevel(best.level), rule: best.rule, note: best.note, level: best.level };
}

/**
 * A repository that does not exist yet: pushing creates it (docs/permission-model.md, "Evaluation
 * order", and the `create.*` rule ids). Creators get pull, push and delete (a push needs pull too:
 * the registry checks pull on blob HEADs). Others keep pull where a namespace grant or their own
 * namespace gives read, so they learn nothing they could not already see.
 */
function rightsToCreate(facts: AccessFacts, principal: UserPrincipal): Rights {
  const membership = membershipOfNamespace(facts);
  const repo = facts.repository;
  const ns = facts.namespace.name;
  const create = (rule: AccessRule, note: string): Rights => ({ actions: ['pull', 'push', 'delete'], rule, note, level: 'admin' });
  if (isGlobalAdmin(principal.role)) return create('create.global-admin', `${principal.name} is a server ${principal.role} and may create ${repo}`);
  if (membership?.role === 'owner') return create('create.org-owner', `owners of ${ns} may create ${repo}`);
  if (membership?.role === 'editor') return create('create.org-editor', `editors of ${ns} may create ${repo}`);
  if (accessLevelAtLeast(facts.grantLevel, 'write')) {
    return create('create.namespace-grant', `${principal.name} has ${facts.grantLevel} access to the ${ns} namespace and may create ${repo}`);
  }
  const ownNamespace = ownsPersonalNamespace(facts, principal);
  if (ownNamespace && facts.server.userNamespaces) {
    return create('create.personal-namespace', `${principal.name} may create repositories in their personal namespace`);
  }
  if (ownNamespace)
    return { actions: ['pull'], rule: 'grant.personal-namespace', note: `${repo} is in ${principal.name}'s personal namespace`, level: 'admin' };
  if (facts.grantLevel === 'read') {
    return { actions: ['pull'], rule: 'grant.team-or-user', note: `${principal.name} has read access to the ${ns} namespace`, level: 'read' };
  }
  return { actions: [], note: '', level: 'none' };
}

function verbFor(action: RepoAction): string {
  return action === 'pull' ? 'pulling' : action === 'push' ? 'pushing' : 'deleting';
}

/** Who can change the principal's rights in this namespace. */
function whoToAsk(facts: AccessFacts): string {
  const ns = facts.namespace;
  if (ns.kind === 'org') return `an owner of ${ns.name}`;
  if (ns.kind === 'user') return `${ns.name}, who owns the ${ns.name} namespace,`;
  return 'a Bosun administrator';
}

function explainRefusal(facts: AccessFacts, principal: UserPrincipal, rights: Rights, action: RepoAction): { rule: AccessRule; reason: string } {
  const user = principal.name;
  const repo = facts.repository;
  const ask = whoToAsk(facts);
  const verb = verbFor(action);

  if (!rights.actions.includes(action)) {
    if (rights.actions.length === 0) {
      // The principal has no right at all here: one message whether the repository is private or absent.
      const lead = `it does not exist or ${user} has no access to it.`;
      const reason =
        action === 'pull'
          ? `${user} may not pull ${repo}: ${lead} Ask ${ask} for read access.`
          : action === 'push'
            ? `${user} may not push to ${repo}: ${lead} Pushing needs write access to the repository or the right to create repositories in ${facts.namespace.name}. Ask ${ask}.`
            : `${user} may not delete from ${repo}: ${lead} Deleting needs write access to the repository. Ask ${ask}.`;
      return { rule: 'deny.no-access', reason };
    }
    if (!facts.repo) {
      // The principal can pull in this namespace but may not create repositories in it.
      if (ownsPersonalNamespace(facts, principal)) {
        return {
          rule: 'deny.personal-namespaces-disabled',
          reason: `${user} may not create ${repo}: this server does not let users create repositories in their personal namespace. Ask a Bosun administrator to create it, or push to an org namespace.`,
        };
      }
      return {
        rule: 'deny.create-not-allowed',
        reason: `${user} may not create ${repo}: creating repositories in ${facts.namespace.name} needs ${facts.namespace.kind === 'org' ? 'the editor role or ' : ''}write access to the namespace. Ask ${ask}.`,
      };
    }
    const how = rights.rule === 'grant.public-repository' ? `may pull ${repo} because it is public` : `has ${rights.level} access to ${repo}`;
    return {
      rule: 'deny.needs-write',
      reason: `${user} ${how}; ${verb} needs write. Ask ${ask} for write access.`,
    };
  }

  // The principal's rights allow it; the personal access token does not.
  const scopes: PatScope[] = credentialScopes(facts.credential) ?? [];
  const scopeText = scopes.length === 0 ? 'no scopes' : `scope ${scopes.join(', ')}`;
  return {
    rule: 'deny.token-scope',
    reason:
      `the personal access token ${user} signed in with has ${scopeText}; ${verb} ${repo} needs a token with ${patScopeFor(action)} scope. ` +
      `Create one and sign in with it.`,
  };
}

/** Catalog access (`registry:catalog:*`) lists every repository, so only server admins get it. */
export function decideCatalogAccess(principal: AccessFacts['principal']): {
  allowed: boolean;
  rule: 'catalog.global-admin' | 'catalog.admins-only';
  reason: string;
} {
  if (principal.kind === 'user' && !principal.disabled && isGlobalAdmin(principal.role)) {
    return { allowed: true, rule: 'catalog.global-admin', reason: `${principal.name} is a server ${principal.role}` };
  }
  return { allowed: false, rule: 'catalog.admins-only', reason: 'the registry catalog lists every repository, so only Bosun administrators may read it.' };
}
