// The token service's decision for one token request (docs/permission-model.md, "Scopes";
// docs/registry-token-service.md, "Requests and answers"): every requested scope × the facts the
// server looked up → the access entries to sign, or a 403 whose message says which rule refused and
// what to do. Pure: the server authenticates (a bad credential is its 401, never decided here),
// builds AccessFacts for each repository named in the scopes, and writes one audit record per
// ScopeOutcome.
//
// - The grant is requested ∩ allowed, per scope, and may be empty for some scopes.
// - A cross-repository mount asks for `pull` on the source as a scope of its own; the registry
//   mounts only when the token holds it, so the source is decided like any pull.
// - `registry:catalog:*` is for server admins only.
// - Malformed scopes, unknown resource types and unknown actions are never granted.
// - 403 only when at least one scope was asked and nothing at all was granted. A request with no
//   scope (docker login checking credentials) gets a token with no access.
import type { AccessFacts, Principal } from './accessFacts.js';
import { decideAccess, decideCatalogAccess } from './repositoryAccess.js';
import { formatScope, isCatalogScope, parseScopeList, requestedRepoActions, type ResourceScope, type ScopeError } from './scope.js';

/** One `access` claim entry of a registry token. */
export interface GrantedAccess {
  type: string;
  name: string;
  actions: string[];
}

/** What was decided for one requested scope; the audit record's body. */
export interface ScopeOutcome {
  /** The scope as asked (normalized), or the malformed text. */
  scope: string;
  granted: string[];
  rule: string;
  reason: string;
}

export type TokenDecision = { kind: 'grant'; access: GrantedAccess[]; outcomes: ScopeOutcome[] } | { kind: 'deny'; message: string; outcomes: ScopeOutcome[] };

/** A token request's scopes, parsed once (parseRequestedScopes) and used by every step after. */
export interface RequestedScopes {
  /** The valid scopes, merged per resource. */
  scopes: ResourceScope[];
  /** Every malformed scope text. */
  errors: ScopeError[];
  /** How many scope texts were asked, before merging (what a limit on scopes per request counts). */
  asked: number;
}

export interface TokenRequestInput {
  principal: Principal;
  scopes: RequestedScopes;
  /** AccessFacts for each repository name of requestedRepositories(scopes). A missing entry is refused. */
  facts: ReadonlyMap<string, AccessFacts>;
}

/** Parses the raw `scope` values: repeated GET parameters, or the POST form's space-separated field. */
export function parseRequestedScopes(values: readonly string[] | string | undefined): RequestedScopes {
  const texts = (typeof values === 'string' ? [values] : (values ?? [])).flatMap((v) => v.split(' ')).filter((t) => t !== '');
  return { ...parseScopeList(texts), asked: texts.length };
}

/** The repository names whose facts the server must look up for these scopes. */
export function requestedRepositories(requested: RequestedScopes): string[] {
  return [...new Set(requested.scopes.filter(isRepositoryScope).map((s) => s.name))];
}

function isRepositoryScope(scope: ResourceScope): boolean {
  return scope.type === 'repository' && scope.typeClass === undefined;
}

export function decideTokenRequest(input: TokenRequestInput): TokenDecision {
  const { principal } = input;
  const { scopes, errors } = input.scopes;
  const outcomes: ScopeOutcome[] = errors.map((e) => ({
    scope: e.input.slice(0, 300),
    granted: [],
    rule: 'scope.malformed',
    reason: `${e.message}. A scope is type:name:actions, for example repository:myorg/app:pull.`,
  }));

  if (principal.kind === 'user' && principal.disabled) {
    // Account state comes before anything else, even a request with no scope (docker login).
    const reason = `account ${principal.name} is disabled. Ask a Bosun administrator to re-enable it.`;
    for (const s of scopes) outcomes.push({ scope: formatScope(s), granted: [], rule: 'account.disabled', reason });
    if (outcomes.length === 0) outcomes.push({ scope: '', granted: [], rule: 'account.disabled', reason });
    return { kind: 'deny', message: reason, outcomes };
  }

  const access: GrantedAccess[] = [];
  for (const s of scopes) {
    const outcome = decideScope(principal, s, input.facts);
    outcomes.push(outcome);
    if (outcome.granted.length > 0) access.push({ type: s.type, name: s.name, actions: outcome.granted });
  }

  const asked = scopes.length + errors.length;
  if (asked > 0 && access.length === 0) {
    const refusals = outcomes.filter((o) => o.granted.length === 0);
    const first = refusals.find((o) => o.rule !== 'scope.malformed') ?? refusals[0];
    const more = refusals.length - 1;
    const message = `${first?.reason ?? 'nothing was granted'}${more > 0 ? ` (${more} more scope${more === 1 ? '' : 's'} refused)` : ''}`;
    return { kind: 'deny', message, outcomes };
  }
  return { kind: 'grant', access, outcomes };
}

function decideScope(principal: Principal, scope: ResourceScope, facts: ReadonlyMap<string, AccessFacts>): ScopeOutcome {
  const text = formatScope(scope);
  if (isCatalogScope(scope)) {
    const verdict = decideCatalogAccess(principal);
    // Only the catalog's own action is ever granted.
    const granted = verdict.allowed && scope.actions.includes('*') ? ['*'] : [];
    return { scope: text, granted, rule: verdict.rule, reason: verdict.reason };
  }
  if (!isRepositoryScope(scope)) {
    return {
      scope: text,
      granted: [],
      rule: 'scope.unsupported-type',
      reason: `this registry grants only repository scopes and registry:catalog:*, not ${scope.typeClass ? `${scope.type}(${scope.typeClass})` : scope.type}.`,
    };
  }
  const { actions, unknown } = requestedRepoActions(scope);
  if (actions.length === 0) {
    return {
      scope: text,
      granted: [],
      rule: 'scope.unknown-action',
      reason: `${unknown.map((a) => JSON.stringify(a)).join(', ')} ${unknown.length === 1 ? 'is not a registry action' : 'are not registry actions'}; ask for pull, push or delete on ${scope.name}.`,
    };
  }
  const repoFacts = facts.get(scope.name);
  if (!repoFacts || repoFacts.repository !== scope.name || !samePrincipal(repoFacts.principal, principal)) {
    // Facts for another repository or principal would decide the wrong question: refuse.
    return {
      scope: text,
      granted: [],
      rule: 'facts.missing',
      reason: `the server could not look up ${scope.name}; try again, or ask a Bosun administrator to check the server log.`,
    };
  }
  const decision = decideAccess(repoFacts, actions);
  return { scope: text, granted: decision.granted, rule: decision.rule, reason: decision.reason };
}

function samePrincipal(a: Principal, b: Principal): boolean {
  if (a.kind === 'anonymous' || b.kind === 'anonymous') return a.kind === b.kind;
  return a.name === b.name;
}
