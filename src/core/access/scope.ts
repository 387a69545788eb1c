// Distribution token scopes (distribution docs, "Token Scope and Access"):
//
//   scope          := resourcescope [ ' ' resourcescope ]*
//   resourcescope  := resourcetype ":" resourcename ":" action [ ',' action ]*
//   resourcetype   := resourcetypevalue [ '(' resourcetypevalue ')' ]
//   resourcetypevalue := /[a-z0-9]+/
//   resourcename   := [ hostname '/' ] component [ '/' component ]*
//   action         := /[a-z]*/   ("*" in registry:catalog:*)
//
// The name may hold "host:port", so the type runs to the first ':' and the actions start after
// the last ':' (docs/permission-model.md, "Scopes"). Parsing never throws: bad input is a
// ScopeError value.
import type { RepoAction } from './accessFacts.js';
import { REPO_ACTIONS } from './permissionLevels.js';

/** One `type:name:actions` resource scope. Compatible with the token service's ParsedScope. */
export interface ResourceScope {
  /** "repository", "registry", … (without the class). */
  type: string;
  /** The optional resource class, e.g. "plugin" in `repository(plugin):…`. */
  typeClass?: string;
  name: string;
  /** Distinct actions, in the order first asked. */
  actions: string[];
}

/** Why a scope string was refused. */
export class ScopeError extends Error {
  override readonly name = 'ScopeError';
  constructor(
    readonly input: string,
    readonly problem: string,
  ) {
    super(`malformed scope ${JSON.stringify(input.length > 200 ? `${input.slice(0, 200)}…` : input)}: ${problem}`);
  }
}

export type ScopeResult = { ok: true; scope: ResourceScope } | { ok: false; error: ScopeError };

/** Longer than any valid scope can be (a 255-character name plus type and actions). */
export const SCOPE_LENGTH_MAX = 1024;
const TYPE = /^([a-z0-9]+)(?:\(([a-z0-9]+)\))?$/;
const ACTION = /^(?:[a-z]+|\*)$/;
const NAME_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const NAME_LENGTH_MAX = 255;

/** Parses one resource scope. Never throws. */
export function parseScope(text: string): ScopeResult {
  const fail = (problem: string): ScopeResult => ({ ok: false, error: new ScopeError(String(text), problem) });
  if (typeof text !== 'string') return fail('not a string');
  if (text.length === 0) return fail('it is empty');
  if (text.length > SCOPE_LENGTH_MAX) return fail(`it is longer than ${SCOPE_LENGTH_MAX} characters`);
  if (/\s/.test(text)) return fail('it contains whitespace (separate several scopes with single spaces, or repeat the parameter)');
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  if (first < 0 || first === last) return fail('expected type:name:actions');
  const typeText = text.slice(0, first);
  const name = text.slice(first + 1, last);
  const actionText = text.slice(last + 1);
  const type = TYPE.exec(typeText);
  if (!type) return fail(`the resource type ${JSON.stringify(typeText)} must be lowercase letters and digits, with an optional (class)`);
  if (!isResourceName(name)) return fail(`the resource name ${JSON.stringify(name)} is not a valid repository name`);
  const actions: string[] = [];
  for (const action of actionText.split(',')) {
    if (action === '') continue; // "pull,,push" and a trailing comma ask for nothing more
    if (!ACTION.test(action)) return fail(`the action ${JSON.stringify(action)} must be lowercase letters or "*"`);
    if (!actions.includes(action)) actions.push(action);
  }
  if (actions.length === 0) return fail('it names no action');
  return {
    ok: true,
    scope: { type: type[1] as string, ...(type[2] !== undefined ? { typeClass: type[2] } : {}), name, actions },
  };
}

/** parseScope for callers that only need "valid or not" (the token service's `parseScope` dependency). */
export function tryParseScope(text: string): ResourceScope | undefined {
  const r = parseScope(text);
  return r.ok ? r.scope : undefined;
}

/** resourcename := [hostname '/'] component ['/' component]*; hostname may carry ':port'. */
function isResourceName(name: string): boolean {
  if (name.length === 0 || name.length > NAME_LENGTH_MAX) return false;
  const parts = name.split('/');
  // The first component may be a host[:port] instead (uppercase and ':' are allowed there only).
  if (parts.length > 1 && isHostname(parts[0] as string)) parts.shift();
  return parts.every((p) => NAME_COMPONENT.test(p));
}

function isHostname(text: string): boolean {
  const colon = text.lastIndexOf(':');
  const host = colon >= 0 ? text.slice(0, colon) : text;
  if (colon >= 0 && !/^[0-9]+$/.test(text.slice(colon + 1))) return false;
  return host.length > 0 && host.split('.').every((c) => HOST_COMPONENT.test(c));
}

/**
 * Parses every scope of a token request. `values` are the repeated `scope` query parameters, or
 * the POST form's single space-separated `scope`; both may hold several scopes separated by spaces.
 * Valid scopes come back merged per resource; every invalid one is reported. Never throws.
 */
export function parseScopeList(values: readonly string[] | string | undefined): { scopes: ResourceScope[]; errors: ScopeError[] } {
  const list = values === undefined ? [] : typeof values === 'string' ? [values] : values;
  const scopes: ResourceScope[] = [];
  const errors: ScopeError[] = [];
  for (const value of list) {
    if (typeof value !== 'string') {
      errors.push(new ScopeError(String(value), 'not a string'));
      continue;
    }
    for (const part of value.split(' ')) {
      if (part === '') continue;
      const r = parseScope(part);
      if (r.ok) scopes.push(r.scope);
      else errors.push(r.error);
    }
  }
  return { scopes: mergeScopes(scopes), errors };
}

/** `repository:ns/name:pull,push`. formatScope(parseScope(s)) is s with duplicate actions dropped. */
export function formatScope(scope: ResourceScope): string {
  const type = scope.typeClass !== undefined ? `${scope.type}(${scope.typeClass})` : scope.type;
  return `${type}:${scope.name}:${scope.actions.join(',')}`;
}

/** Joins scopes for the POST form's `scope` field. */
export function formatScopeList(scopes: readonly ResourceScope[]): string {
  return scopes.map(formatScope).join(' ');
}

/**
 * Merges scopes that name the same resource (type, class and name), uniting their actions in first
 * asked order; distinct resources keep their first-seen order.
 */
export function mergeScopes(scopes: readonly ResourceScope[]): ResourceScope[] {
  const merged = new Map<string, ResourceScope>();
  for (const s of scopes) {
    const key = `${s.type}\u0000${s.typeClass ?? ''}\u0000${s.name}`;
    const existing = merged.get(key);
    if (!existing) merged.set(key, { ...s, actions: [...new Set(s.actions)] });
    else for (const a of s.actions) if (!existing.actions.includes(a)) existing.actions.push(a);
  }
  return [...merged.values()];
}

/** The registry actions a repository scope asks for, and the ones Bosun does not know (never granted). */
export function requestedRepoActions(scope: ResourceScope): { actions: RepoAction[]; unknown: string[] } {
  const known = REPO_ACTIONS as readonly string[];
  return {
    actions: REPO_ACTIONS.filter((a) => scope.actions.includes(a)),
    unknown: scope.actions.filter((a) => !known.includes(a)),
  };
}

/** `registry:catalog:*`, which lists every repository. */
export function isCatalogScope(scope: ResourceScope): boolean {
  return scope.type === 'registry' && scope.typeClass === undefined && scope.name === 'catalog';
}
