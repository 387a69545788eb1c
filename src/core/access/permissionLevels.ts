// The permission lattices in one place (as Quay keeps them in auth/permissions.py): access levels,
// org roles, what each level allows, the level names admins type, and PAT scope caps.
// docs/permission-model.md, "The lattices": none < read < write < admin; member < editor < owner.
import type { AccessLevel, GlobalRole, OrgRole, PatScope, RepoAction } from './accessFacts.js';

/** Every access level, weakest first. The index is the level's rank. */
export const ACCESS_LEVELS: readonly AccessLevel[] = ['none', 'read', 'write', 'admin'];
/** Every org role, weakest first. */
export const ORG_ROLES: readonly OrgRole[] = ['member', 'editor', 'owner'];
export const GLOBAL_ROLES: readonly GlobalRole[] = ['user', 'admin', 'superuser'];
export const PAT_SCOPES: readonly PatScope[] = ['read', 'write', 'delete'];
/** Every registry action on a repository, in the order they appear in a scope. */
export const REPO_ACTIONS: readonly RepoAction[] = ['pull', 'push', 'delete'];

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareAccessLevels(a: AccessLevel, b: AccessLevel): number {
  return ACCESS_LEVELS.indexOf(a) - ACCESS_LEVELS.indexOf(b);
}

export function accessLevelAtLeast(level: AccessLevel, minimum: AccessLevel): boolean {
  return compareAccessLevels(level, minimum) >= 0;
}

/** Grants are additive and the highest wins; no level at all is `none`. */
export function highestAccessLevel(...levels: AccessLevel[]): AccessLevel {
  return levels.reduce<AccessLevel>((best, l) => (compareAccessLevels(l, best) > 0 ? l : best), 'none');
}

export function compareOrgRoles(a: OrgRole, b: OrgRole): number {
  return ORG_ROLES.indexOf(a) - ORG_ROLES.indexOf(b);
}

export function orgRoleAtLeast(role: OrgRole, minimum: OrgRole): boolean {
  return compareOrgRoles(role, minimum) >= 0;
}

/** Global admins and superusers manage every org, repository and team. */
export function isGlobalAdmin(role: GlobalRole): boolean {
  return role === 'admin' || role === 'superuser';
}

/** What a user can do to a repository, beyond registry actions. */
export type RepositoryAbility = 'view' | 'pull' | 'push' | 'delete-tags' | 'edit-description' | 'change-visibility' | 'manage-access' | 'delete-repository';

// read = view and pull; write = also push and delete tags; admin = also description, visibility,
// who has access, and deleting the repository.
const MINIMUM_LEVEL: Record<RepositoryAbility, AccessLevel> = {
  view: 'read',
  pull: 'read',
  push: 'write',
  'delete-tags': 'write',
  'edit-description': 'admin',
  'change-visibility': 'admin',
  'manage-access': 'admin',
  'delete-repository': 'admin',
};

/** The lowest level that allows an ability. */
export function minimumLevelFor(ability: RepositoryAbility): AccessLevel {
  return MINIMUM_LEVEL[ability];
}

export function levelAllows(level: AccessLevel, ability: RepositoryAbility): boolean {
  return accessLevelAtLeast(level, MINIMUM_LEVEL[ability]);
}

/**
 * Registry actions a level allows. The registry's `delete` action deletes manifests (tags), which
 * write allows; admin adds only non-registry abilities, so write and admin give the same actions.
 */
export function actionsForLevel(level: AccessLevel): RepoAction[] {
  switch (level) {
    case 'none':
      return [];
    case 'read':
      return ['pull'];
    case 'write':
    case 'admin':
      return ['pull', 'push', 'delete'];
    default:
      // Facts come from a store; a level it should never hold allows nothing (fail closed).
      return [];
  }
}

/** The lowest level that allows a registry action. */
export function minimumLevelForAction(action: RepoAction): AccessLevel {
  return action === 'pull' ? 'read' : 'write';
}

/**
 * What a personal access token may do, whatever the user's own rights: the union over its scopes.
 * read → pull; write → pull, push; delete → pull, push, delete (Docker Hub's "Read, Write, Delete").
 * A token with no scopes allows nothing (fail closed).
 */
export function patScopeActions(scopes: readonly PatScope[]): RepoAction[] {
  const allowed = new Set<RepoAction>();
  for (const s of scopes) {
    // Only the three known scopes count: anything else stored by mistake allows nothing.
    if (s === 'read' || s === 'write' || s === 'delete') allowed.add('pull');
    if (s === 'write' || s === 'delete') allowed.add('push');
    if (s === 'delete') allowed.add('delete');
  }
  return REPO_ACTIONS.filter((a) => allowed.has(a));
}

/** The narrowest PAT scope that allows an action. */
export function patScopeFor(action: RepoAction): PatScope {
  return action === 'pull' ? 'read' : action === 'push' ? 'write' : 'delete';
}

/** Spellings of access levels accepted from admins, keyed by their canonical form (see canonicalKey). */
const LEVEL_NAMES: Record<string, AccessLevel> = {
  // plain
  none: 'none',
  read: 'read',
  write: 'write',
  admin: 'admin',
  // Docker Hub / DTR
  'read-only': 'read',
  'read-write': 'write',
  // UCP grants
  'no-access': 'none',
  'view-only': 'read',
  'restricted-control': 'write',
  'full-control': 'admin',
};

/** Case-insensitive; spaces, underscores and hyphens are the same separator ("Read Only" = "read_only"). */
function canonicalKey(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-');
}

/**
 * Parses a level name in any accepted form: plain (none, read, write, admin), Docker Hub/DTR
 * (read-only, read-write, admin) or UCP (No Access, View Only, Restricted Control, Full Control).
 * `undefined` when the text names no level.
 */
export function parseAccessLevel(text: string): AccessLevel | undefined {
  return Object.hasOwn(LEVEL_NAMES, canonicalKey(text)) ? LEVEL_NAMES[canonicalKey(text)] : undefined;
}

/** Every accepted spelling, for error messages ("expected one of …"). */
export const ACCESS_LEVEL_SPELLINGS: readonly string[] = [
  'none',
  'read',
  'write',
  'admin',
  'read-only',
  'read-write',
  'No Access',
  'View Only',
  'Restricted Control',
  'Full Control',
];

export type LevelNameForm = 'plain' | 'hub' | 'ucp';

/** Writes a level in the vocabulary the reader knows. Hub has no name for `none`; it says "none". */
export function formatAccessLevel(level: AccessLevel, form: LevelNameForm = 'plain'): string {
  if (form === 'hub') return { none: 'none', read: 'read-only', write: 'read-write', admin: 'admin' }[level];
  if (form === 'ucp') return { none: 'No Access', read: 'View Only', write: 'Restricted Control', admin: 'Full Control' }[level];
  return level;
}

/** Parses an org role, case-insensitively. `undefined` when the text names no role. */
export function parseOrgRole(text: string): OrgRole | undefined {
  const key = canonicalKey(text);
  return (ORG_ROLES as readonly string[]).includes(key) ? (key as OrgRole) : undefined;
}

/** Parses a PAT scope, case-insensitively; Hub's labels ("Read-only", "Read & Write", "Read, Write, Delete") too. */
export function parsePatScope(text: string): PatScope | undefined {
  const key = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (key === 'read' || key === 'read-only' || key === 'read only') return 'read';
  if (key === 'write' || key === 'read & write' || key === 'read-write' || key === 'read write') return 'write';
  if (key === 'delete' || key === 'read, write, delete' || key === 'read-write-delete') return 'delete';
  return undefined;
}
