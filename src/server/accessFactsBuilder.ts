// Store → AccessFacts: the snapshot the pure decision function (src/core/access/repositoryAccess.ts)
// needs to answer "may P do A on R in org session S?". A few indexed queries; the token service
// caches the result only until the database changes (store/readCache.ts), so a revoked membership,
// a grant, a setting or an org's IAM counts on the very next request.
import type { AccessFacts, Credential, OrgMembership, Principal } from '../core/access/accessFacts.js';
import { repositoryNamespace } from '../core/access/imageCategory.js';
import type { Store } from './store/store.js';
import type { User } from './store/users.js';

/** Who is asking: a user account (as authenticated) or nobody. */
export type Caller = { kind: 'anonymous' } | { kind: 'user'; user: User };

export function principalOf(caller: Caller): Principal {
  return caller.kind === 'anonymous' ? { kind: 'anonymous' } : userPrincipal(caller.user);
}

/** A user account as the decisions see it. */
export function userPrincipal(user: User): Extract<Principal, { kind: 'user' }> {
  return { kind: 'user', name: user.name, role: user.role, disabled: user.disabled };
}

/** Every org the user belongs to, with role and that org's IAM settings. */
export function membershipsOf(store: Store, userId: number): OrgMembership[] {
  return store.orgs.membershipFacts(userId);
}

/**
 * Facts for one repository. `credential` says how the caller proved who they are: a PAT caps
 * rights by its scopes; a refresh token carries its org session, which picks whose IAM applies.
 */
export function buildAccessFacts(store: Store, caller: Caller, credential: Credential, repository: string): AccessFacts {
  const name = repository.toLowerCase();
  const ns = repositoryNamespace(name);
  const repo = store.repositories.byName(name);
  const settings = store.settings.get();
  const namespace: AccessFacts['namespace'] = store.orgs.byName(ns)
    ? { kind: 'org', name: ns }
    : store.users.byName(ns)
      ? { kind: 'user', name: ns }
      : { kind: 'unowned', name: ns };
  const user = caller.kind === 'user' ? caller.user : undefined;
  return {
    principal: principalOf(caller),
    credential: caller.kind === 'anonymous' ? { kind: 'none' } : credential,
    repository: name,
    ...(repo ? { repo: { visibility: repo.visibility } } : {}),
    namespace,
    grantLevel: user ? store.grants.levelFor(user.id, name, ns) : 'none',
    memberships: user ? membershipsOf(store, user.id) : [],
    // Anonymous pulls follow every org's IAM (src/core/access/anonymousImageAccess.ts); users never need it.
    ...(user ? {} : { directoryImageAccess: store.orgs.withImageAccessOn() }),
    server: {
      anonymousPull: settings.anonymousPull,
      anonymousPullImageAccess: settings.anonymousPullImageAccess,
      userNamespaces: settings.userNamespaces,
      verifiedPublishers: settings.verifiedPublishers,
    },
  };
}
